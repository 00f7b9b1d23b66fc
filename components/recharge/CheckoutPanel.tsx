"use client";

import { useRouter } from "next/navigation";
import { useActionState, useEffect, useState } from "react";
import { answerChallenge, cancelCheckout, payIntent } from "@/app/actions/recharge";
import { Field } from "@/components/ui/Field";
import { FormMessage } from "@/components/ui/FormMessage";
import { SubmitButton } from "@/components/ui/SubmitButton";
import type { PaymentStatus } from "@/lib/payments/types";

type Method = "card" | "paypal" | "wallet";

interface Props {
  intentId: string;
  status: PaymentStatus;
  method: "CARD" | "PAYPAL" | "WALLET" | null;
  failureMessage: string | null;
  price: string;
  returnTo: string;
  testCards: Array<{ number: string; description: string }>;
}

export function CheckoutPanel(props: Props) {
  const { status } = props;
  if (status === "PROCESSING") return <Processing />;
  if (status === "REQUIRES_ACTION") return <Challenge {...props} />;
  if (status === "CANCELED") {
    return (
      <section className="rounded-2xl bg-white p-5 shadow-sm" aria-live="polite">
        <h2 className="text-lg font-bold">Payment canceled</h2>
        <p className="mt-1" data-testid="checkout-outcome">
          {props.failureMessage ?? "This payment was canceled. You were not charged."}
        </p>
      </section>
    );
  }
  return <PaymentForm {...props} />;
}

function Processing() {
  const router = useRouter();
  useEffect(() => {
    const timer = setInterval(() => router.refresh(), 1000);
    return () => clearInterval(timer);
  }, [router]);
  return (
    <section className="flex items-center gap-3 rounded-2xl bg-white p-5 shadow-sm" role="status" aria-live="polite">
      <span className="size-6 animate-spin rounded-full border-4 border-gray-200 border-t-brand-dark" aria-hidden="true" />
      <p>Your bank is processing the payment. This page updates by itself.</p>
    </section>
  );
}

function Challenge({ intentId, method, price, returnTo }: Props) {
  const [approveState, approve] = useActionState(answerChallenge.bind(null, intentId, true, returnTo), {});
  const [, decline] = useActionState(answerChallenge.bind(null, intentId, false, returnTo), {});
  const card = method === "CARD";
  const provider = method === "PAYPAL" ? "PayPal" : "your mobile wallet";
  return (
    <section aria-labelledby="challenge" className="rounded-2xl border-2 border-ink bg-white p-5 shadow-lg">
      <p className="text-xs font-bold tracking-wider text-muted uppercase">{card ? "Your bank · 3-D Secure (simulated)" : `${provider} (simulated)`}</p>
      <h2 id="challenge" className="mt-1 text-lg font-bold">
        {card ? `Confirm the payment of ${price}` : `Approve the payment of ${price} in ${provider}`}
      </h2>
      <p className="mt-1 text-sm text-muted">
        {card
          ? "Your card issuer asks you to confirm that it is you. In a real payment this would open your banking app."
          : `In a real payment you would now be redirected to ${provider} and back.`}
      </p>
      <FormMessage message={approveState.message} ok={approveState.ok} />
      <div className="mt-3 flex flex-wrap gap-3">
        <form action={approve}>
          <SubmitButton pendingLabel="Confirming…">{card ? "Confirm payment" : "Approve payment"}</SubmitButton>
        </form>
        <form action={decline}>
          <button type="submit" className="rounded-full border border-gray-400 px-5 py-3 font-semibold">
            Cancel
          </button>
        </form>
      </div>
    </section>
  );
}

function PaymentForm({ intentId, failureMessage, price, returnTo, testCards }: Props) {
  const [method, setMethod] = useState<Method>("card");
  const [state, pay] = useActionState(payIntent.bind(null, intentId), {});
  const [, cancel] = useActionState(cancelCheckout.bind(null, intentId), {});
  const errors = state.errors ?? {};
  return (
    <section aria-labelledby="pay" className="rounded-2xl bg-white p-5 shadow-sm">
      <h2 id="pay" className="font-bold">
        Pay {price}
      </h2>
      {failureMessage && !state.message ? (
        <p className="mt-2 rounded-lg bg-red-50 px-3 py-2 text-sm font-medium text-brand-dark" role="alert" data-testid="checkout-outcome">
          {failureMessage}
        </p>
      ) : null}
      <div role="radiogroup" aria-label="Payment method" className="mt-3 grid grid-cols-3 gap-2">
        {(["card", "paypal", "wallet"] as const).map((m) => (
          <label
            key={m}
            className="flex cursor-pointer items-center justify-center gap-2 rounded-xl border-2 border-gray-200 px-2 py-2 text-sm font-semibold has-[:checked]:border-brand-dark"
          >
            <input type="radio" name="method-choice" value={m} checked={method === m} onChange={() => setMethod(m)} />
            {m === "card" ? "Card" : m === "paypal" ? "PayPal" : "Wallet"}
          </label>
        ))}
      </div>
      <form action={pay} className="mt-4 flex flex-col gap-3" noValidate>
        <input type="hidden" name="method" value={method} />
        <input type="hidden" name="returnTo" value={returnTo} />
        {method === "card" ? (
          <div key={state.key} className="flex flex-col gap-3">
            <Field label="Card number" name="number" inputMode="numeric" autoComplete="cc-number" placeholder="4242 4242 4242 4242" errors={errors.number} />
            <div className="grid grid-cols-2 gap-3">
              <Field
                label="Expiry (MM/YY)"
                name="expiry"
                autoComplete="cc-exp"
                placeholder="12/30"
                defaultValue={state.values?.expiry}
                errors={errors.expiry}
              />
              <Field label="Security code" name="cvc" inputMode="numeric" autoComplete="cc-csc" placeholder="123" errors={errors.cvc} />
            </div>
            <Field label="Name on card" name="name" autoComplete="cc-name" defaultValue={state.values?.name} errors={errors.name} />
          </div>
        ) : (
          <p className="text-sm text-muted">You will approve the payment with {method === "paypal" ? "PayPal" : "your mobile wallet"} on the next step.</p>
        )}
        <FormMessage message={state.message} ok={state.ok} />
        <SubmitButton pendingLabel="Paying…">{method === "card" ? `Pay ${price}` : "Continue"}</SubmitButton>
      </form>
      <form action={cancel} className="mt-2">
        <button type="submit" className="w-full rounded-full px-5 py-2 text-sm font-semibold text-muted underline">
          Cancel purchase
        </button>
      </form>
      <details className="mt-4 text-sm">
        <summary className="cursor-pointer font-semibold">Test cards (this is a simulator: no real card is charged)</summary>
        <table className="mt-2 w-full text-left">
          <caption className="sr-only">Test cards and what they do</caption>
          <thead>
            <tr>
              <th scope="col" className="py-1 pr-2">
                Number
              </th>
              <th scope="col" className="py-1">
                Behaviour
              </th>
            </tr>
          </thead>
          <tbody>
            {testCards.map((card) => (
              <tr key={card.number} className="border-t border-gray-100">
                <td className="py-1 pr-2 font-mono whitespace-nowrap">{card.number}</td>
                <td className="py-1">{card.description}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p className="mt-1 text-muted">Use any future expiry, any 3-digit code and any name.</p>
      </details>
    </section>
  );
}
