import { describe, expect, test } from "vitest";
import { parseDiamonds, ZWithdrawalForm, ZWithdrawalKey } from "../../../lib/withdrawals/form";
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
    const form = { amount: "amount", diamonds: "2500", method: "paypal", paypalEmail: "a@b.co" };
    expect(ZWithdrawalForm.parse(form)).toEqual({ diamonds: 2_500_000n, payout: { method: "paypal", email: "a@b.co" } });
    expect(ZWithdrawalKey.parse("abcdefgh12")).toBe("abcdefgh12");
    expect(ZWithdrawalKey.safeParse("x").success).toBe(false);
    const failed = ZWithdrawalForm.safeParse({ ...form, diamonds: "lots", method: "bank", bankFormat: "iban", iban: "DE00" });
    expect(failed.success).toBe(false);
    expect(failed.error?.issues.map((issue) => issue.path.join(".")).sort()).toEqual(["diamonds", "iban"]);
    // "All my diamonds" ignores the number field; a bank account in the US needs both its numbers.
    expect(
      ZWithdrawalForm.parse({ amount: "all", diamonds: "lots", method: "bank", bankFormat: "us", accountNumber: "000123456789", routingNumber: "021000021" }),
    ).toEqual({
      diamonds: "all",
      payout: { method: "bank", format: "us", accountNumber: "000123456789", routingNumber: "021000021" },
    });
    expect(ZWithdrawalForm.safeParse({ amount: "amount", diamonds: "0", method: "paypal", paypalEmail: "a@b.co" }).error?.issues[0]?.message).toBe(
      "Enter a number of diamonds above zero.",
    );
  });
});
