// The withdrawal form as the server reads it: amount ("all" or a number of
// diamonds with up to 3 decimals), payout details, and the form's key. Pure.
import { z } from "zod";
import { parseDiamonds } from "./amount";
import { ZPayoutForm } from "./payout";
import { isClientKey } from "../validation/input";

export { parseDiamonds };

/** The form's idempotency key (made with the page): one that is not a key means the page is too old. */
export const ZWithdrawalKey = z.custom<string>(isClientKey, { error: "This form has expired. Reload the page and try again." });

/** How much: "all", or the diamonds typed (in milli-diamonds, above zero). */
const ZAmount = z.object({ amount: z.string().optional(), diamonds: z.string().optional() }).transform((form, ctx): { diamonds: bigint | "all" } => {
  if (form.amount === "all") return { diamonds: "all" };
  const diamonds = parseDiamonds(form.diamonds ?? "");
  if (diamonds !== null && diamonds > 0n) return { diamonds };
  const message =
    diamonds === null ? "Enter a number of diamonds, like 2500 (up to 3 decimals), or choose “All my diamonds”." : "Enter a number of diamonds above zero.";
  ctx.addIssue({ code: "custom", path: ["diamonds"], message });
  return z.NEVER;
});

/** The form's fields (a missing one is undefined): how much, and where to pay it; each refused field has its message. */
export const ZWithdrawalForm = ZAmount.and(ZPayoutForm.transform((payout) => ({ payout })));
