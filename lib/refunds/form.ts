// The operator's refund form: a purchase and a reason (one of the listed ones,
// or free text of at least 10 characters). Viewers cannot ask for coins back.
import { z } from "zod";

export const REFUND_REASON_CHOICES = ["unauthorised charge", "under-age purchase"] as const;
export const REFUND_REASON_MIN = 10;
export const REFUND_REASON_MAX = 500;
/** The form's value for "another reason" (the free text field is then required). */
export const OTHER_REASON = "other";

/** The purchase refunded, as its page names it. */
export const ZRefundIntent = z.string({ error: "This purchase does not exist." }).regex(/^pi_[A-Za-z0-9_-]{8,64}$/, "This purchase does not exist.");

/** The reason: one of the choices, or "other" with the details written out (the details are checked first). */
export const ZRefundForm = z
  .object({
    details: z.string().trim().max(REFUND_REASON_MAX, `A reason has at most ${REFUND_REASON_MAX} characters.`),
    reason: z.enum([...REFUND_REASON_CHOICES, OTHER_REASON], { error: "Choose a reason for the refund." }),
  })
  .superRefine((value, ctx) => {
    if (value.reason === OTHER_REASON && value.details.length < REFUND_REASON_MIN) {
      ctx.addIssue({ code: "custom", path: ["details"], message: `Describe the reason in at least ${REFUND_REASON_MIN} characters.` });
    }
  })
  .transform(({ reason, details }) => ({ reason: reason === OTHER_REASON ? details : reason }));
