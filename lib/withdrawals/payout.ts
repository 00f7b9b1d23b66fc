// Payout details of a withdrawal: validated here, then stored masked only (the
// full account number or email address never reaches the database). Pure.
import { z } from "zod";
import { WITHDRAWAL_METHODS } from "../economy";

export type PayoutDetails =
  | { method: "bank"; format: "iban"; iban: string }
  | { method: "bank"; format: "us"; accountNumber: string; routingNumber: string }
  | { method: "paypal"; email: string };

/** IBAN check: country, check digits, 11–30 letters/digits, and ISO 7064 mod-97 = 1. */
export function isValidIban(value: string): boolean {
  const iban = value.replace(/[\s-]/g, "").toUpperCase();
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(iban)) return false;
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  const digits = rearranged.replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55));
  return BigInt(digits) % 97n === 1n;
}

/** ABA routing number: 9 digits with the 3-7-1 weighted checksum. */
export function isValidRoutingNumber(value: string): boolean {
  if (!/^\d{9}$/.test(value)) return false;
  const d = [...value].map(Number);
  const sum = 3 * (d[0]! + d[3]! + d[6]!) + 7 * (d[1]! + d[4]! + d[7]!) + (d[2]! + d[5]! + d[8]!);
  return sum % 10 === 0 && value !== "000000000";
}

const compact = (value: unknown) => (typeof value === "string" ? value.replace(/[\s-]/g, "") : "");

export const ZPayoutForm = z
  .object({
    method: z.enum(WITHDRAWAL_METHODS, { error: "Choose how you want to be paid." }),
    bankFormat: z.enum(["iban", "us"]).optional(),
    iban: z.string().max(64).optional(),
    accountNumber: z.string().max(40).optional(),
    routingNumber: z.string().max(40).optional(),
    paypalEmail: z.string().max(254).optional(),
  })
  .transform((form, ctx): PayoutDetails => {
    if (form.method === "paypal") {
      const email = (form.paypalEmail ?? "").trim().toLowerCase();
      if (!z.email().safeParse(email).success) {
        ctx.addIssue({ code: "custom", path: ["paypalEmail"], message: "Enter the email address of your PayPal account, like name@example.com." });
        return z.NEVER;
      }
      return { method: "paypal", email };
    }
    if (form.bankFormat === "us") {
      const accountNumber = compact(form.accountNumber);
      const routingNumber = compact(form.routingNumber);
      let bad = false;
      if (!/^\d{4,17}$/.test(accountNumber)) {
        ctx.addIssue({ code: "custom", path: ["accountNumber"], message: "An account number has 4 to 17 digits." });
        bad = true;
      }
      if (!isValidRoutingNumber(routingNumber)) {
        ctx.addIssue({ code: "custom", path: ["routingNumber"], message: "A routing number has 9 digits (check them: this one is not valid)." });
        bad = true;
      }
      return bad ? z.NEVER : { method: "bank", format: "us", accountNumber, routingNumber };
    }
    const iban = compact(form.iban).toUpperCase();
    if (!isValidIban(iban)) {
      ctx.addIssue({ code: "custom", path: ["iban"], message: "Enter a valid IBAN, like DE89 3704 0044 0532 0130 00 (check the digits)." });
      return z.NEVER;
    }
    return { method: "bank", format: "iban", iban };
  });

const DOT = "•";

/** What is stored and shown: enough to recognise the destination, not to use it. */
export function maskPayout(details: PayoutDetails): string {
  if (details.method === "paypal") {
    const [local = "", domain = ""] = details.email.split("@");
    return `PayPal ${local.slice(0, 1)}${DOT.repeat(3)}@${domain}`;
  }
  if (details.format === "iban") {
    return `IBAN ${details.iban.slice(0, 2)}${DOT.repeat(2)} ${DOT.repeat(4)} ${details.iban.slice(-4)}`;
  }
  return `Bank account ${DOT.repeat(4)}${details.accountNumber.slice(-4)}, routing ${DOT.repeat(5)}${details.routingNumber.slice(-4)}`;
}
