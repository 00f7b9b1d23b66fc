import fc from "fast-check";
import { describe, expect, test } from "vitest";
import {
  CARD_ERROR_MESSAGES,
  DECLINE_MESSAGES,
  TEST_CARDS,
  type CardBrand,
  type CardInput,
  type CardOutcome,
  cardOutcome,
  detectBrand,
  luhnValid,
  maskCard,
  normalizeCardNumber,
  parseExpiry,
  validateCard,
} from "../../../lib/payments/cards";

/** Independent Luhn check-digit computation (not using the code under test). */
function luhnCheckDigit(payload: string): string {
  const sum = payload
    .split("")
    .reverse()
    .map(Number)
    .map((digit, index) => (index % 2 === 0 ? [0, 2, 4, 6, 8, 1, 3, 5, 7, 9][digit]! : digit))
    .reduce((a, b) => a + b, 0);
  return String((10 - (sum % 10)) % 10);
}

/** Arbitrary valid card-like numbers of 12–19 digits. */
const validNumber = fc.string({ unit: fc.constantFrom(..."0123456789"), minLength: 11, maxLength: 18 }).map((payload) => payload + luhnCheckDigit(payload));

const TODAY = { year: 2026, month: 6 };
const VALID_INPUT: CardInput = { number: "4242 4242 4242 4242", expiry: "12/30", cvc: "123", name: "Ada Lovelace" };

describe("normalizeCardNumber", () => {
  test.each([
    ["4242 4242 4242 4242", "4242424242424242"],
    ["4242-4242-4242-4242", "4242424242424242"],
    ["  4242 - 4242 4242-4242 ", "4242424242424242"],
    ["4242424242424242", "4242424242424242"],
    ["", ""],
    ["   ", ""],
    ["4242 4242 4242 424a", null],
    ["4242.4242.4242.4242", null],
    ["4242/4242", null],
    ["+4242", null],
  ])("%j → %j", (input, expected) => {
    expect(normalizeCardNumber(input)).toBe(expected);
  });
});

describe("luhnValid", () => {
  test.each([
    ["4242424242424242", true],
    ["4111111111111111", true],
    ["5555555555554444", true],
    ["378282246310005", true],
    ["6011111111111117", true],
    ["79927398713", true],
    ["4242424242424241", false],
    ["4111111111111112", false],
    ["79927398710", false],
    ["", false],
    ["4242 4242 4242 4242", false],
    ["abcd", false],
  ])("%j → %s", (digits, expected) => {
    expect(luhnValid(digits)).toBe(expected);
  });

  test("every test card passes Luhn", () => {
    for (const card of TEST_CARDS) expect(luhnValid(normalizeCardNumber(card.number)!)).toBe(true);
  });

  test("property: numbers built with a Luhn check digit are valid", () => {
    fc.assert(fc.property(validNumber, (digits) => luhnValid(digits)));
  });

  test("property: changing any single digit of a valid number breaks Luhn", () => {
    const testCardDigits = TEST_CARDS.map((card) => normalizeCardNumber(card.number)!);
    const anyValid = fc.oneof(fc.constantFrom(...testCardDigits), validNumber);
    fc.assert(
      fc.property(anyValid, fc.nat(), fc.integer({ min: 1, max: 9 }), (digits, position, delta) => {
        const index = position % digits.length;
        const changed = String((Number(digits[index]) + delta) % 10);
        const mutated = digits.slice(0, index) + changed + digits.slice(index + 1);
        expect(mutated).not.toBe(digits);
        expect(luhnValid(mutated)).toBe(false);
      }),
    );
  });
});

describe("detectBrand", () => {
  test.each<[string, CardBrand]>([
    ["4242424242424242", "visa"],
    ["4", "visa"],
    ["5105105105105100", "mastercard"],
    ["5555555555554444", "mastercard"],
    ["2221000000000009", "mastercard"],
    ["2720990000000000", "mastercard"],
    ["2500000000000001", "mastercard"],
    ["2220990000000000", "unknown"],
    ["2721000000000000", "unknown"],
    ["5000000000000000", "unknown"],
    ["5600000000000000", "unknown"],
    ["378282246310005", "amex"],
    ["341111111111111", "amex"],
    ["350000000000000", "unknown"],
    ["6011111111111117", "discover"],
    ["6500000000000002", "discover"],
    ["6012000000000000", "unknown"],
    ["3530111333300000", "unknown"],
    ["", "unknown"],
    ["abc", "unknown"],
  ])("%j → %s", (digits, brand) => {
    expect(detectBrand(digits)).toBe(brand);
  });
});

describe("parseExpiry", () => {
  test.each([
    ["12/30", { month: 12, year: 2030 }],
    ["01 / 27", { month: 1, year: 2027 }],
    ["06/2031", { month: 6, year: 2031 }],
    [" 4/27 ", { month: 4, year: 2027 }],
    ["13/27", null],
    ["00/27", null],
    ["1227", null],
    ["12-27", null],
    ["12/7", null],
    ["12/270", null],
    ["", null],
  ])("%j → %j", (input, expected) => {
    expect(parseExpiry(input)).toEqual(expected);
  });
});

describe("validateCard", () => {
  test.each<[string, Partial<CardInput>, { brand: CardBrand; last4: string; expMonth: number; expYear: number; digits: string }]>([
    ["a Visa with grouped digits", {}, { brand: "visa", last4: "4242", expMonth: 12, expYear: 2030, digits: "4242424242424242" }],
    [
      "an Amex with a 4-digit code",
      { number: "3782-822463-10005", cvc: "1234" },
      { brand: "amex", last4: "0005", expMonth: 12, expYear: 2030, digits: "378282246310005" },
    ],
    [
      'a Mastercard with "MM / YY"',
      { number: "5555 5555 5555 4444", expiry: "07 / 28" },
      { brand: "mastercard", last4: "4444", expMonth: 7, expYear: 2028, digits: "5555555555554444" },
    ],
    [
      'a Discover with "MM/YYYY"',
      { number: "6011111111111117", expiry: "03/2029" },
      { brand: "discover", last4: "1117", expMonth: 3, expYear: 2029, digits: "6011111111111117" },
    ],
    ["a card expiring this month", { expiry: "06/26" }, { brand: "visa", last4: "4242", expMonth: 6, expYear: 2026, digits: "4242424242424242" }],
    ["a 12-digit unknown-brand number", { number: "1000 0000 0008" }, { brand: "unknown", last4: "0008", expMonth: 12, expYear: 2030, digits: "100000000008" }],
    ["a 19-digit Visa", { number: "4000 0000 0000 0000 006" }, { brand: "visa", last4: "0006", expMonth: 12, expYear: 2030, digits: "4000000000000000006" }],
    [
      "a name of exactly 2 and with surrounding spaces",
      { name: "  Al  " },
      { brand: "visa", last4: "4242", expMonth: 12, expYear: 2030, digits: "4242424242424242" },
    ],
  ])("accepts %s", (_label, overrides, card) => {
    expect(validateCard({ ...VALID_INPUT, ...overrides }, TODAY)).toEqual({ ok: true, card });
  });

  test.each<[string, Partial<CardInput>, Partial<Record<"number" | "expiry" | "cvc" | "name", string>>]>([
    ["an empty number", { number: "  " }, { number: "Enter the card number." }],
    ["a number with letters", { number: "4242 4242 4242 42a2" }, { number: "This card number is not valid (check the digits)." }],
    ["a number failing Luhn", { number: "4242 4242 4242 4241" }, { number: "This card number is not valid (check the digits)." }],
    ["an 11-digit number", { number: "79927398713" }, { number: "This card number is not valid (check the digits)." }],
    ["a 20-digit number", { number: "40000000000000000006" }, { number: "This card number is not valid (check the digits)." }],
    ["an empty expiry", { expiry: "" }, { expiry: "Enter the expiry as MM/YY." }],
    ["month 13", { expiry: "13/30" }, { expiry: "Enter the expiry as MM/YY." }],
    ["an expiry without slash", { expiry: "1230" }, { expiry: "Enter the expiry as MM/YY." }],
    ["last month", { expiry: "05/26" }, { expiry: "This card has expired." }],
    ["last year", { expiry: "12/2025" }, { expiry: "This card has expired." }],
    ["a 2-digit code", { cvc: "12" }, { cvc: "The security code is 3 digits (4 for American Express)." }],
    ["a 4-digit code on Visa", { cvc: "1234" }, { cvc: "The security code is 3 digits (4 for American Express)." }],
    ["a 3-digit code on Amex", { number: "378282246310005", cvc: "123" }, { cvc: "The security code is 3 digits (4 for American Express)." }],
    ["a non-numeric code", { cvc: "12a" }, { cvc: "The security code is 3 digits (4 for American Express)." }],
    ["an empty name", { name: "   " }, { name: "Enter the name on the card." }],
    ["a 1-character name", { name: "A" }, { name: "Enter the name on the card." }],
    ["an 81-character name", { name: "A".repeat(81) }, { name: "The name on the card can be at most 80 characters." }],
    [
      "everything wrong at once",
      { number: "", expiry: "soon", cvc: "", name: "" },
      {
        number: "Enter the card number.",
        expiry: "Enter the expiry as MM/YY.",
        cvc: "The security code is 3 digits (4 for American Express).",
        name: "Enter the name on the card.",
      },
    ],
  ])("rejects %s", (_label, overrides, errors) => {
    expect(validateCard({ ...VALID_INPUT, ...overrides }, TODAY)).toEqual({ ok: false, errors });
  });

  test("accepts an 80-character name", () => {
    expect(validateCard({ ...VALID_INPUT, name: "A".repeat(80) }, TODAY).ok).toBe(true);
  });

  test("the expiry check compares calendar months across a year boundary", () => {
    const january = { year: 2027, month: 1 };
    expect(validateCard({ ...VALID_INPUT, expiry: "12/26" }, january)).toEqual({
      ok: false,
      errors: { expiry: CARD_ERROR_MESSAGES.expired },
    });
    expect(validateCard({ ...VALID_INPUT, expiry: "01/27" }, january).ok).toBe(true);
  });

  test("every test card validates with a future expiry (including the issuer-expired one)", () => {
    for (const card of TEST_CARDS) {
      expect(validateCard({ ...VALID_INPUT, number: card.number }, TODAY).ok).toBe(true);
    }
  });

  test.each([
    { year: 2026, month: 0 },
    { year: 2026, month: 13 },
    { year: 2026.5, month: 1 },
  ])("throws for an invalid today %j", (today) => {
    expect(() => validateCard(VALID_INPUT, today)).toThrow(RangeError);
  });

  test("property: every valid 12–19 digit number is accepted and its last4/digits are kept", () => {
    fc.assert(
      fc.property(validNumber, (digits) => {
        const cvc = detectBrand(digits) === "amex" ? "1234" : "123";
        const result = validateCard({ ...VALID_INPUT, number: digits, cvc }, TODAY);
        expect(result).toEqual({
          ok: true,
          card: { brand: detectBrand(digits), last4: digits.slice(-4), expMonth: 12, expYear: 2030, digits },
        });
      }),
    );
  });
});

describe("maskCard", () => {
  test.each<[CardBrand, string, string]>([
    ["visa", "4242", "Visa •••• 4242"],
    ["mastercard", "4444", "Mastercard •••• 4444"],
    ["amex", "0005", "American Express •••• 0005"],
    ["discover", "1117", "Discover •••• 1117"],
    ["unknown", "0008", "Card •••• 0008"],
  ])("(%s, %s) → %s", (brand, last4, expected) => {
    expect(maskCard(brand, last4)).toBe(expected);
  });
});

describe("test cards and simulator outcomes", () => {
  test.each<[string, CardOutcome]>([
    ["4242424242424242", "succeeds"],
    ["4000000000000002", "declined"],
    ["4000000000009995", "insufficient_funds"],
    ["4000000000000069", "expired_card"],
    ["4000000000003220", "requires_3ds"],
    ["4000000000000077", "succeeds_after_delay"],
    ["4000000000000259", "charged_back"],
  ])("%s → %s", (digits, outcome) => {
    expect(cardOutcome(digits)).toBe(outcome);
    expect(TEST_CARDS.find((card) => normalizeCardNumber(card.number) === digits)?.outcome).toBe(outcome);
  });

  test("the table lists each outcome once, grouped in fours, with a description", () => {
    expect(TEST_CARDS.map((card) => card.outcome).sort()).toEqual(
      ["charged_back", "declined", "expired_card", "insufficient_funds", "requires_3ds", "succeeds", "succeeds_after_delay"].sort(),
    );
    for (const card of TEST_CARDS) {
      expect(card.number).toMatch(/^\d{4} \d{4} \d{4} \d{4}$/);
      expect(card.description.length).toBeGreaterThan(10);
    }
    expect(Object.isFrozen(TEST_CARDS)).toBe(true);
  });

  test("cardOutcome accepts grouped input", () => {
    expect(cardOutcome("4000 0000 0000 0002")).toBe("declined");
    expect(cardOutcome("4000-0000-0000-3220")).toBe("requires_3ds");
  });

  test.each(["", "4242424242424241", "4242 4242 4242 42x2", "79927398713"])("an invalid number %j is declined, never approved", (digits) => {
    expect(cardOutcome(digits)).toBe("declined");
  });

  test("property: the simulator approves any other valid number", () => {
    const testCardDigits = new Set(TEST_CARDS.map((card) => normalizeCardNumber(card.number)));
    fc.assert(
      fc.property(validNumber, (digits) => {
        fc.pre(!testCardDigits.has(digits));
        expect(cardOutcome(digits)).toBe("succeeds");
      }),
    );
  });

  test("decline messages are customer-facing", () => {
    expect(DECLINE_MESSAGES).toEqual({
      declined: "Your card was declined. Try another card or payment method.",
      insufficient_funds: "Your card has insufficient funds.",
      expired_card: "Your card has expired.",
      authentication_failed: "3-D Secure authentication was not completed. You were not charged.",
    });
  });
});
