"use client";

import { useActionState, useState } from "react";
import { refundPurchaseAction, type RefundActionState, type RefundOutcomeView } from "@/app/actions/refunds";
import { FormMessage } from "@/components/ui/FormMessage";
import { SubmitButton } from "@/components/ui/SubmitButton";
import { formatCoins, formatDiamonds, formatMoney, type Currency } from "@/lib/economy/money";
import { OTHER_REASON, REFUND_REASON_CHOICES, REFUND_REASON_MIN } from "@/lib/refunds/form";

/** What a refund did, in the assets it moved. */
export function RefundOutcomeSummary({ outcome }: { outcome: RefundOutcomeView }) {
  return (
    <ul className="flex flex-col gap-1 text-sm" data-testid="refund-outcome">
      <li>Money returned: {formatMoney(BigInt(outcome.amount), outcome.currency as Currency)}</li>
      <li>Coins removed from the wallet: {formatCoins(BigInt(outcome.coinsRemoved))}</li>
      <li>Coins the viewer now owes: {formatCoins(BigInt(outcome.debtCreated))}</li>
      {outcome.creators.map((c) => (
        <li key={c.creatorId}>
          Diamonds clawed back from {c.name}: 💎 {formatDiamonds(BigInt(c.clawedMinor))}
          {BigInt(c.lossMinor) > 0n ? ` (💎 ${formatDiamonds(BigInt(c.lossMinor))} already withdrawn)` : ""}
        </li>
      ))}
      <li>Platform loss: 💎 {formatDiamonds(BigInt(outcome.lossMinor))}</li>
    </ul>
  );
}

/** The Refund button: opens a confirmation asking for the reason, then shows the outcome. */
export function RefundPurchase({ id, label }: { id: string; label: string }) {
  const [state, refund] = useActionState<RefundActionState, FormData>(refundPurchaseAction.bind(null, id), {});
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState<string>(REFUND_REASON_CHOICES[0]);
  if (state.ok && state.outcome) {
    return (
      <div className="flex flex-col gap-2">
        <FormMessage message={state.message} ok />
        <RefundOutcomeSummary outcome={state.outcome} />
      </div>
    );
  }
  if (!open) {
    return (
      <button
        type="button"
        onClick={() => setOpen(true)}
        className="self-start rounded-full border border-brand-dark px-4 py-2 text-sm font-semibold text-brand-dark"
      >
        Refund {label}
      </button>
    );
  }
  return (
    <form action={refund} className="flex flex-col gap-3 rounded-xl border border-gray-300 p-3" key={state.key}>
      <fieldset className="flex flex-col gap-1">
        <legend className="text-sm font-semibold">Why is {label} refunded?</legend>
        {[...REFUND_REASON_CHOICES, OTHER_REASON].map((choice) => (
          <label key={choice} className="flex items-center gap-2 text-sm">
            <input type="radio" name="reason" value={choice} checked={reason === choice} onChange={() => setReason(choice)} />
            {choice === OTHER_REASON ? "Another reason" : choice[0]!.toUpperCase() + choice.slice(1)}
          </label>
        ))}
      </fieldset>
      {reason === OTHER_REASON ? (
        <div className="flex flex-col gap-1">
          <label htmlFor={`details-${id}`} className="text-sm font-semibold">
            Reason (at least {REFUND_REASON_MIN} characters)
          </label>
          <textarea
            id={`details-${id}`}
            name="details"
            required
            maxLength={500}
            defaultValue={state.values?.details}
            aria-invalid={state.errors?.details ? true : undefined}
            aria-describedby={state.errors?.details ? `details-${id}-error` : undefined}
            className="rounded-lg border border-gray-300 px-2 py-1.5 text-sm"
          />
          {state.errors?.details ? (
            <p id={`details-${id}-error`} className="text-sm text-brand-dark">
              {state.errors.details[0]}
            </p>
          ) : null}
        </div>
      ) : null}
      <p className="text-sm text-muted">
        The coins come off the viewer&apos;s wallet (what they spent becomes a debt) and the money goes back to them. This cannot be undone.
      </p>
      <div className="flex flex-wrap gap-2">
        <SubmitButton pendingLabel="Refunding…" className="px-4 py-2 text-sm">
          Confirm refund
        </SubmitButton>
        <button type="button" onClick={() => setOpen(false)} className="rounded-full border border-gray-500 px-4 py-2 text-sm font-semibold">
          Keep the purchase
        </button>
      </div>
      <FormMessage message={state.ok === false && !state.errors?.details ? state.message : undefined} ok={false} />
    </form>
  );
}
