"use server";

import { action, type ActionState } from "@/lib/action";
import { formText } from "@/lib/validation/input";
import { ZRefundForm, ZRefundIntent } from "@/lib/refunds/form";
import { refundOutcomeView, reversePurchase, type RefundOutcomeView } from "@/lib/refunds/refunds";

export type { RefundOutcomeView };
export type RefundActionState = ActionState<"reason" | "details"> & { outcome?: RefundOutcomeView; already?: boolean };

/** An operator refunds one purchase (reason required). Repeats and concurrent refunds reverse it once. */
export const refundPurchaseAction = action({
  roles: ["OPERATOR"],
  input: (intentId: unknown, _prev: RefundActionState, form: unknown) => ({ intentId, reason: formText(form, "reason"), details: formText(form, "details") }),
  args: { intentId: ZRefundIntent },
  form: ZRefundForm,
  refill: ["reason", "details"],
  key: true,
  run: (user, { intentId, reason }) => reversePurchase({ intentId, reason, kind: "REFUND", operatorId: user.id }),
  done: async ({ outcome, reversed }) => ({
    message: reversed ? "Refunded." : "This purchase had already been reversed; nothing more was taken.",
    outcome: await refundOutcomeView(outcome),
    already: !reversed,
  }),
});
