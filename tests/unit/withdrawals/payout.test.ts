import { describe, expect, test } from "vitest";
import { parseDiamonds, parseWithdrawalForm } from "../../../lib/withdrawals/form";
import { isValidIban, isValidRoutingNumber, maskPayout, ZPayoutForm } from "../../../lib/withdrawals/payout";

describe("payout details", () => {
  test.each([
    ["DE89 3704 0044 0532 0130 00", true],
    ["GB82WEST12345698765432", true],
    ["fr14 2004 1010 0505 0001 3m02 606", true],
    ["DE89 3704 0044 0532 0130 01", false],
    ["DE89", false],
    ["1234567890123456", false],
    ["", false],
  ])("IBAN %s → %s", (iban, valid) => {
    expect(isValidIban(iban)).toBe(valid);
  });

  test.each([
    ["021000021", true],
    ["011401533", true],
    ["123456789", false],
    ["000000000", false],
    ["02100002", false],
    ["02100002a", false],
  ])("routing number %s → %s", (routing, valid) => {
    expect(isValidRoutingNumber(routing)).toBe(valid);
  });

  test("only masked details come out", () => {
    expect(maskPayout({ method: "bank", format: "iban", iban: "DE89370400440532013000" })).toBe("IBAN DE•• •••• 3000");
    expect(maskPayout({ method: "bank", format: "us", accountNumber: "123456789", routingNumber: "021000021" })).toBe(
      "Bank account ••••6789, routing •••••0021",
    );
    expect(maskPayout({ method: "paypal", email: "cleo@example.com" })).toBe("PayPal c•••@example.com");
  });

  test("the form schema names the field that is wrong", () => {
    const bad = ZPayoutForm.safeParse({ method: "bank", bankFormat: "us", accountNumber: "12", routingNumber: "123456789" });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues.map((i) => i.path[0])).toEqual(["accountNumber", "routingNumber"]);
    expect(ZPayoutForm.safeParse({ method: "cash" }).success).toBe(false);
    expect(ZPayoutForm.parse({ method: "paypal", paypalEmail: " Cleo@Example.com " })).toEqual({ method: "paypal", email: "cleo@example.com" });
  });
});

describe("withdrawal amounts", () => {
  test.each([
    ["2500", 2_500_000n],
    ["2,500.5", 2_500_500n],
    ["0.001", 1n],
    ["0", 0n],
    ["1.0005", null],
    ["-5", null],
    ["1e3", null],
    ["", null],
    ["12 000", null],
  ])("%s diamonds → %s milli-diamonds", (text, minor) => {
    expect(parseDiamonds(text)).toBe(minor);
  });

  test("a whole form", () => {
    const form = new FormData();
    for (const [k, v] of Object.entries({ amount: "amount", diamonds: "2500", method: "paypal", paypalEmail: "a@b.co", clientKey: "abcdefgh12" })) form.set(k, v);
    expect(parseWithdrawalForm(form)).toEqual({ ok: true, value: { diamonds: 2_500_000n, payout: { method: "paypal", email: "a@b.co" }, clientKey: "abcdefgh12" } });
    form.set("clientKey", "x");
    form.set("diamonds", "lots");
    const failed = parseWithdrawalForm(form);
    expect(failed.ok).toBe(false);
    if (!failed.ok) expect(Object.keys(failed.errors).sort()).toEqual(["diamonds", "form"]);
  });
});
