"use client";

import { useActionState, useState, type ReactNode } from "react";
import { requestWithdrawalAction } from "@/app/actions/earnings";
import { Field } from "@/components/ui/Field";
import { FormMessage } from "@/components/ui/FormMessage";
import { SubmitButton } from "@/components/ui/SubmitButton";
import { DEFAULT_WITHDRAWAL_RULES, formatDiamonds, formatMoney, quoteWithdrawal, type WithdrawalMethod } from "@/lib/economy";
import { parseDiamonds } from "@/lib/withdrawals/amount";

const usd = (cents: bigint) => formatMoney(cents, "USD");

/** "1%, min $0.25" or "$0.30 + 2%", from the fee rule in force. */
function describeFee(method: WithdrawalMethod): string {
  const fee = DEFAULT_WITHDRAWAL_RULES.fees[method];
  const percent = `${(fee.percent.num * 100n) / fee.percent.den}%`;
  const parts = fee.flatCents > 0n ? `${usd(fee.flatCents)} + ${percent}` : percent;
  return fee.minimumCents > 0n ? `${parts}, min ${usd(fee.minimumCents)}` : parts;
}

function describeDelay(seconds: number): string {
  if (seconds <= 0) return "right away";
  if (seconds < 120) return `after a ${seconds}-second review`;
  return `after a review of about ${Math.round(seconds / 60)} minutes`;
}

/** One radio button of a choice, checked when it is the current value. */
function Choice<T extends string>({
  name,
  value,
  current,
  onChoose,
  children,
}: {
  name: string;
  value: T;
  current: T;
  onChoose: (value: T) => void;
  children: ReactNode;
}) {
  return (
    <label className="flex items-center gap-2">
      <input type="radio" name={name} value={value} checked={current === value} onChange={() => onChoose(value)} className="size-5 accent-[#c8102e]" />
      {children}
    </label>
  );
}

/** The withdrawal form with a live quote: cash value, fee and what arrives. */
export function WithdrawForm({
  balanceMinor,
  withdrawnTodayCents,
  reviewDelaySeconds,
  clientKey,
}: {
  balanceMinor: string;
  withdrawnTodayCents: string;
  reviewDelaySeconds: number;
  clientKey: string;
}) {
  const [state, action] = useActionState(requestWithdrawalAction, {});
  const v = state.values ?? {};
  const [amount, setAmount] = useState(v.amount === "amount" ? "amount" : "all");
  const [diamonds, setDiamonds] = useState(v.diamonds ?? "");
  const [method, setMethod] = useState<WithdrawalMethod>(v.method === "paypal" ? "paypal" : "bank");
  const [bankFormat, setBankFormat] = useState(v.bankFormat === "us" ? "us" : "iban");

  const balance = BigInt(balanceMinor);
  const requested = amount === "all" ? balance : parseDiamonds(diamonds);
  const quote =
    requested === null
      ? null
      : requested > balance
        ? ({ ok: false, message: `You have 💎 ${formatDiamonds(balance)} diamonds; you cannot withdraw more.` } as const)
        : quoteWithdrawal({ diamondsMinor: requested, method, withdrawnTodayCents: BigInt(withdrawnTodayCents) });

  return (
    <form action={action} className="flex flex-col gap-4" noValidate key={state.key}>
      <input type="hidden" name="clientKey" value={clientKey} />
      <fieldset className="flex flex-col gap-2">
        <legend className="mb-1 text-sm font-semibold">How many diamonds?</legend>
        <Choice name="amount" value="all" current={amount} onChoose={setAmount}>
          All my diamonds (💎 {formatDiamonds(balance)})
        </Choice>
        <Choice name="amount" value="amount" current={amount} onChoose={setAmount}>
          Choose an amount
        </Choice>
        {amount === "amount" ? (
          <Field
            label="Diamonds to withdraw"
            name="diamonds"
            inputMode="decimal"
            autoComplete="off"
            value={diamonds}
            onChange={(e) => setDiamonds(e.target.value)}
            hint={`Minimum ${usd(DEFAULT_WITHDRAWAL_RULES.minimumCents)} worth; at most ${usd(DEFAULT_WITHDRAWAL_RULES.dailyLimitCents)} per day.`}
            errors={state.errors?.diamonds}
          />
        ) : state.errors?.diamonds ? (
          <p className="text-sm font-medium text-brand-dark">{state.errors.diamonds.join(" ")}</p>
        ) : null}
      </fieldset>

      <div aria-live="polite" className="rounded-xl bg-gray-50 p-4 text-sm" data-testid="withdraw-quote">
        {quote === null ? (
          <p>Enter a number of diamonds to see what you would receive.</p>
        ) : quote.ok ? (
          <>
            <dl className="flex flex-col gap-1">
              <div className="flex justify-between">
                <dt>Diamonds withdrawn</dt>
                <dd className="font-semibold tabular-nums">💎 {formatDiamonds(quote.value.diamondsMinor)}</dd>
              </div>
              <div className="flex justify-between">
                <dt>Cash value</dt>
                <dd className="font-semibold tabular-nums" data-testid="quote-gross">
                  {usd(quote.value.grossCents)}
                </dd>
              </div>
              <div className="flex justify-between">
                <dt>
                  {method === "bank" ? "Bank transfer" : "PayPal"} fee ({describeFee(method)})
                </dt>
                <dd className="font-semibold tabular-nums" data-testid="quote-fee">
                  −{usd(quote.value.feeCents)}
                </dd>
              </div>
              <div className="flex justify-between border-t border-gray-200 pt-1 text-base">
                <dt className="font-bold">You receive</dt>
                <dd className="font-extrabold tabular-nums" data-testid="quote-net">
                  {usd(quote.value.netCents)}
                </dd>
              </div>
            </dl>
            {quote.value.leftoverDiamondsMinor > 0n ? (
              <p className="text-xs text-muted">💎 {formatDiamonds(quote.value.leftoverDiamondsMinor)} (worth less than a cent) stay in your balance.</p>
            ) : null}
            <p className="text-xs text-muted">Paid {describeDelay(reviewDelaySeconds)}.</p>
          </>
        ) : (
          <p className="font-medium text-brand-dark">{quote.message}</p>
        )}
      </div>

      <fieldset className="flex flex-col gap-2">
        <legend className="mb-1 text-sm font-semibold">Pay me by</legend>
        <Choice name="method" value="bank" current={method} onChoose={setMethod}>
          Bank transfer
        </Choice>
        <Choice name="method" value="paypal" current={method} onChoose={setMethod}>
          PayPal
        </Choice>
      </fieldset>

      {method === "bank" ? (
        <fieldset className="flex flex-col gap-3">
          <legend className="mb-1 text-sm font-semibold">Bank account</legend>
          <div className="flex flex-wrap gap-4">
            <Choice name="bankFormat" value="iban" current={bankFormat} onChoose={setBankFormat}>
              IBAN
            </Choice>
            <Choice name="bankFormat" value="us" current={bankFormat} onChoose={setBankFormat}>
              US account and routing number
            </Choice>
          </div>
          {bankFormat === "iban" ? (
            <Field
              label="IBAN"
              name="iban"
              autoComplete="off"
              defaultValue={v.iban}
              errors={state.errors?.iban}
              hint="For example DE89 3704 0044 0532 0130 00."
            />
          ) : (
            <>
              <Field
                label="Account number"
                name="accountNumber"
                inputMode="numeric"
                autoComplete="off"
                defaultValue={v.accountNumber}
                errors={state.errors?.accountNumber}
              />
              <Field
                label="Routing number"
                name="routingNumber"
                inputMode="numeric"
                autoComplete="off"
                defaultValue={v.routingNumber}
                errors={state.errors?.routingNumber}
                hint="9 digits."
              />
            </>
          )}
        </fieldset>
      ) : (
        <Field label="PayPal email" name="paypalEmail" type="email" autoComplete="email" defaultValue={v.paypalEmail} errors={state.errors?.paypalEmail} />
      )}
      <p className="text-xs text-muted">Simulated payout: no real money moves. We keep only a masked copy of these details.</p>
      <FormMessage message={state.message} ok={state.ok} />
      <SubmitButton pendingLabel="Requesting…">Request withdrawal</SubmitButton>
    </form>
  );
}
