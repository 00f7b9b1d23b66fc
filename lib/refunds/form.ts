// The operator's refund form: a purchase and a reason (one of the listed ones,
// or free text of at least 10 characters). Viewers cannot ask for coins back.
import { z } from "zod";
import { formText } from "../validation/input";

export const REFUND_REASON_CHOICES = ["unauthorised charge", "under-age purchase"] as const;
export const REFUND_REASON_MIN = 10;
export const REFUND_REASON_MAX = 500;
/** The form's value for "another reason" (the free text field is then required). */
export const OTHER_REASON = "other";

const ZIntentId = z.string().regex(/^pi_[A-Za-z0-9_-]{8,64}$/, "This purchase does not exist.");

const ZRefundForm = z
  .object({
    intentId: ZIntentId,
    reason: z.enum([...REFUND_REASON_CHOICES, OTHER_REASON], { error: "Choose a reason for the refund." }),
    details: z.string().trim().max(REFUND_REASON_MAX, `A reason has at most ${REFUND_REASON_MAX} characters.`),
  })
  .superRefine((value, ctx) => {
    if (value.reason === OTHER_REASON && value.details.length < REFUND_REASON_MIN) {
      ctx.addIssue({ code: "custom", path: ["details"], message: `Describe the reason in at least ${REFUND_REASON_MIN} characters.` });
    }
  });

export type RefundFormField = "reason" | "details" | "intentId";

export type ParsedRefundForm =
  | { ok: true; value: { intentId: string; reason: string } }
  | { ok: false; errors: Partial<Record<RefundFormField, string[]>> };

/** Reads the refund form (anything but FormData is an empty form). */
export function parseRefundForm(intentId: unknown, form: unknown): ParsedRefundForm {
  const parsed = ZRefundForm.safeParse({ intentId, reason: formText(form, "reason"), details: formText(form, "details") });
  if (!parsed.success) {
    const errors: Partial<Record<RefundFormField, string[]>> = {};
    for (const issue of parsed.error.issues) {
      const field = (issue.path[0] as RefundFormField | undefined) ?? "reason";
      (errors[field] ??= []).push(issue.message);
    }
    return { ok: false, errors };
  }
  const { reason, details } = parsed.data;
  return { ok: true, value: { intentId: parsed.data.intentId, reason: reason === OTHER_REASON ? details : reason } };
}
