"use server";

import { randomUUID } from "node:crypto";
import { withUser, type ActionState } from "@/lib/auth/action";
import { formText } from "@/lib/validation/input";
import { parseRefundForm, type RefundFormField } from "@/lib/refunds/form";
import { creatorNames, RefundError, reversePurchase, type RefundOutcome } from "@/lib/refunds/refunds";

export type RefundActionState = ActionState<RefundFormField> & { outcome?: RefundOutcomeView; already?: boolean };

/** The outcome as plain strings (server action answers cannot carry bigint safely across every client). */
export interface RefundOutcomeView {
  coinsRemoved: string;
  debtCreated: string;
  amount: string;
  currency: string;
  lossMinor: string;
  creators: Array<{ creatorId: string; name: string; clawedMinor: string; lossMinor: string }>;
}

async function view(outcome: RefundOutcome): Promise<RefundOutcomeView> {
  const names = await creatorNames(outcome.creators.map((c) => c.creatorId));
  return {
    coinsRemoved: outcome.coinsRemoved.toString(),
    debtCreated: outcome.debtCreated.toString(),
    amount: outcome.amount.toString(),
    currency: outcome.currency,
    lossMinor: outcome.lossMinor.toString(),
    creators: outcome.creators.map((c) => ({ creatorId: c.creatorId, name: names.get(c.creatorId) ?? "A creator", clawedMinor: c.clawedMinor.toString(), lossMinor: c.lossMinor.toString() })),
  };
}

/** An operator refunds one purchase (reason required). Repeats and concurrent refunds reverse it once. */
export const refundPurchaseAction = withUser(
  async (user, intentId: unknown, _prev: RefundActionState, form: unknown): Promise<RefundActionState> => {
    const parsed = parseRefundForm(intentId, form);
    const values = { reason: formText(form, "reason").slice(0, 40), details: formText(form, "details").slice(0, 500) };
    if (!parsed.ok) {
      const message = parsed.errors.intentId?.[0] ?? parsed.errors.details?.[0] ?? parsed.errors.reason?.[0] ?? "Check the refund form.";
      return { ok: false, message, errors: parsed.errors, values, key: randomUUID() };
    }
    try {
      const { outcome, reversed } = await reversePurchase({ ...parsed.value, kind: "REFUND", operatorId: user.id });
      return {
        ok: true,
        message: reversed ? "Refunded." : "This purchase had already been reversed; nothing more was taken.",
        outcome: await view(outcome),
        already: !reversed,
      };
    } catch (error) {
      if (error instanceof RefundError) return { ok: false, message: error.message, values, key: randomUUID() };
      throw error;
    }
  },
  ["OPERATOR"],
);
