// The withdrawal form as the server reads it: amount ("all" or a number of
// diamonds with up to 3 decimals), payout details and the form's key. Pure.
import { z } from "zod";
import { parseDiamonds } from "./amount";
import { ZPayoutForm, type PayoutDetails } from "./payout";

export type WithdrawalFormField = "diamonds" | "method" | "iban" | "accountNumber" | "routingNumber" | "paypalEmail" | "form";

export { parseDiamonds };

export type ParsedWithdrawalForm =
  | { ok: true; value: { diamonds: bigint | "all"; payout: PayoutDetails; clientKey: string } }
  | { ok: false; errors: Partial<Record<WithdrawalFormField, string[]>> };

export function parseWithdrawalForm(form: FormData): ParsedWithdrawalForm {
  const text = (name: string) => {
    const value = form.get(name);
    return typeof value === "string" ? value : undefined;
  };
  const errors: Partial<Record<WithdrawalFormField, string[]>> = {};
  let diamonds: bigint | "all" = "all";
  if (text("amount") !== "all") {
    const parsed = parseDiamonds(text("diamonds") ?? "");
    if (parsed === null) errors.diamonds = ["Enter a number of diamonds, like 2500 (up to 3 decimals), or choose “All my diamonds”."];
    else if (parsed === 0n) errors.diamonds = ["Enter a number of diamonds above zero."];
    else diamonds = parsed;
  }
  const payout = ZPayoutForm.safeParse({
    method: text("method"),
    bankFormat: text("bankFormat"),
    iban: text("iban"),
    accountNumber: text("accountNumber"),
    routingNumber: text("routingNumber"),
    paypalEmail: text("paypalEmail"),
  });
  if (!payout.success) Object.assign(errors, z.flattenError(payout.error).fieldErrors);
  const clientKey = text("clientKey") ?? "";
  if (!/^[A-Za-z0-9_-]{8,64}$/.test(clientKey)) errors.form = ["This form has expired. Reload the page and try again."];
  if (Object.keys(errors).length || !payout.success) return { ok: false, errors };
  return { ok: true, value: { diamonds, payout: payout.data, clientKey } };
}
