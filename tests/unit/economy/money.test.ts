import fc from "fast-check";
import { describe, expect, test } from "vitest";
import {
  CURRENCY_MINOR_DIGITS,
  DIAMOND_MINOR_PER_DIAMOND,
  addRationals,
  ceilDiv,
  compareRationals,
  floorDiv,
  formatCoins,
  formatDiamonds,
  formatMoney,
  formatPricePerCoin,
  getMinorPerMajor,
  isCurrency,
  mulCeil,
  mulFloor,
  rational,
  rationalEquals,
  roundHalfUp,
  subtractRationals,
  toDecimalString,
  type Currency,
} from "../../../lib/economy";

describe("rational helpers", () => {
  test.each([
    [2n, 4n, 1n, 2n],
    [-2n, 4n, -1n, 2n],
    [2n, -4n, -1n, 2n],
    [0n, 7n, 0n, 1n],
    [15n, 100n, 3n, 20n],
  ])("rational(%s, %s) reduces to %s/%s", (num, den, eNum, eDen) => {
    expect(rational(num, den)).toEqual({ num: eNum, den: eDen });
  });

  test("rational rejects a zero denominator", () => {
    expect(() => rational(1n, 0n)).toThrow(RangeError);
  });

  test.each([
    [7n, 2n, 3n, 4n],
    [-7n, 2n, -4n, -3n],
    [7n, -2n, -4n, -3n],
    [-7n, -2n, 3n, 4n],
    [6n, 3n, 2n, 2n],
    [0n, 5n, 0n, 0n],
  ])("floorDiv/ceilDiv(%s, %s) = %s / %s", (a, b, floor, ceil) => {
    expect(floorDiv(a, b)).toBe(floor);
    expect(ceilDiv(a, b)).toBe(ceil);
  });

  test("floorDiv rejects division by zero", () => {
    expect(() => floorDiv(1n, 0n)).toThrow(RangeError);
  });

  test.each([
    [10n, rational(1n, 3n), 3n, rational(1n, 3n), 4n],
    [99n, rational(3n, 4n), 74n, rational(1n, 4n), 75n],
    [1000n, rational(1n, 2n), 500n, rational(0n), 500n],
  ])("mulFloor/mulCeil(%s, rate)", (amount, rate, value, remainder, ceil) => {
    expect(mulFloor(amount, rate)).toEqual({ value, remainder });
    expect(mulCeil(amount, rate)).toBe(ceil);
  });

  test.each([
    [rational(1n, 2n), 1n],
    [rational(3n, 2n), 2n],
    [rational(5n, 2n), 3n],
    [rational(49n, 100n), 0n],
    [rational(-1n, 2n), 0n],
    [rational(-3n, 2n), -1n],
  ])("roundHalfUp(%o) = %s", (value, expected) => {
    expect(roundHalfUp(value)).toBe(expected);
  });

  test("compare/add/subtract rationals exactly", () => {
    expect(compareRationals(rational(99n, 70n), rational(499n, 350n))).toBe(-1);
    expect(compareRationals(rational(2n, 4n), rational(1n, 2n))).toBe(0);
    expect(compareRationals(rational(1n, 2n), rational(1n, 3n))).toBe(1);
    expect(rationalEquals(addRationals(rational(1n, 3n), rational(1n, 6n)), rational(1n, 2n))).toBe(true);
    expect(subtractRationals(rational(1n), rational(1n, 4n))).toEqual(rational(3n, 4n));
  });

  test("property: mulFloor value + remainder reconstructs amount × rate exactly, remainder in [0, 1)", () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }),
        fc.bigInt({ min: -(10n ** 9n), max: 10n ** 9n }),
        fc.bigInt({ min: 1n, max: 10n ** 9n }),
        (amount, num, den) => {
          const { value, remainder } = mulFloor(amount, { num, den });
          expect(remainder.num >= 0n && remainder.num < remainder.den).toBe(true);
          expect(rationalEquals(addRationals(rational(value), remainder), rational(amount * num, den))).toBe(true);
          const ceil = mulCeil(amount, { num, den });
          expect(ceil - value).toBe(remainder.num === 0n ? 0n : 1n);
        },
      ),
    );
  });
});

describe("units and currencies", () => {
  test("diamond minor unit is 1/1000 diamond", () => {
    expect(DIAMOND_MINOR_PER_DIAMOND).toBe(1000n);
  });

  test.each([
    ["USD", 2, 100n],
    ["EUR", 2, 100n],
    ["GBP", 2, 100n],
    ["JPY", 0, 1n],
    ["IDR", 0, 1n],
  ] as const)("%s has %i minor digits", (currency, digits, perMajor) => {
    expect(CURRENCY_MINOR_DIGITS[currency]).toBe(digits);
    expect(getMinorPerMajor(currency)).toBe(perMajor);
    // Our minor unit matches what Intl displays, so stored amounts are exactly what users see.
    const intlDigits = new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits;
    expect(intlDigits).toBe(digits);
  });

  test("isCurrency guards unknown codes", () => {
    expect(isCurrency("USD")).toBe(true);
    expect(isCurrency("CHF")).toBe(false);
    expect(isCurrency(1)).toBe(false);
  });
});

describe("formatting", () => {
  test.each([
    [12345n, 2, "123.45"],
    [5n, 2, "0.05"],
    [-5n, 2, "-0.05"],
    [160n, 0, "160"],
    [1n, 3, "0.001"],
    [123456789012345678901234567890n, 2, "1234567890123456789012345678.90"],
  ])("toDecimalString(%s, %i) = %s", (scaled, digits, expected) => {
    expect(toDecimalString(scaled, digits)).toBe(expected);
  });

  test.each<[bigint, Currency, string, string]>([
    [499n, "USD", "en-US", "$4.99"],
    [99n, "USD", "en-US", "$0.99"],
    [24999n, "USD", "en-US", "$249.99"],
    [100000n, "USD", "en-US", "$1,000.00"],
    [0n, "USD", "en-US", "$0.00"],
    [-5n, "USD", "en-US", "-$0.05"],
    [109n, "EUR", "en-US", "€1.09"],
    [109n, "EUR", "de-DE", "1,09\u00a0€"],
    [99n, "GBP", "en-GB", "£0.99"],
    [160n, "JPY", "en-US", "¥160"],
    [34000n, "JPY", "ja-JP", "￥34,000"],
    [16000n, "IDR", "en-US", "IDR\u00a016,000"],
    [16000n, "IDR", "id-ID", "Rp\u00a016.000"],
  ])("formatMoney(%s, %s, %s) = %s", (minor, currency, locale, expected) => {
    expect(formatMoney(minor, currency, locale)).toBe(expected);
  });

  test("formatMoney does not lose precision on huge amounts (no float round trip)", () => {
    expect(formatMoney(123456789012345678901n, "USD")).toBe("$1,234,567,890,123,456,789.01");
  });

  test.each([
    [17500n, "17,500"],
    [70n, "70"],
    [2500000n, "2,500,000"],
    [12345678901234567890n, "12,345,678,901,234,567,890"],
  ])("formatCoins(%s) = %s", (coins, expected) => {
    expect(formatCoins(coins)).toBe(expected);
  });

  test.each([
    [500n, "0.5"],
    [1234500n, "1,234.5"],
    [1000n, "1"],
    [1n, "0.001"],
  ])("formatDiamonds(%s) = %s", (minor, expected) => {
    expect(formatDiamonds(minor)).toBe(expected);
  });

  test.each<[bigint, bigint, Currency, string]>([
    [499n, 350n, "USD", "$0.0143"],
    [99n, 70n, "USD", "$0.0141"],
    [24999n, 17500n, "USD", "$0.0143"],
    [1n, 2n, "USD", "$0.0050"],
    [1n, 200n, "USD", "$0.0001"], // exactly $0.00005 → half rounds up
    [1n, 201n, "USD", "$0.0000"], // just below half rounds down
    [160n, 70n, "JPY", "¥2.29"],
    [16000n, 70n, "IDR", "IDR\u00a0228.57"],
  ])("formatPricePerCoin(%s/%s, %s) = %s", (num, den, currency, expected) => {
    expect(formatPricePerCoin(rational(num, den), currency)).toBe(expected);
  });
});
