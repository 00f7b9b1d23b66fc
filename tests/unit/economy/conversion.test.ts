import fc from "fast-check";
import { describe, expect, test } from "vitest";
import {
  DEFAULT_CREATOR_SHARE,
  DEFAULT_DIAMOND_CASH_RATE,
  DEFAULT_WITHDRAWAL_RULES,
  WITHDRAWAL_METHODS,
  addRationals,
  calculateWithdrawalFee,
  compareRationals,
  convertCoinsToDiamonds,
  convertDiamondsToCash,
  getDiamondsNeededForCents,
  mulFloor,
  quoteWithdrawal,
  rational,
  rationalEquals,
  type Rational,
  type WithdrawalMethod,
  type WithdrawalRules,
} from "../../../lib/economy";

const GIFT_PRICES = [1n, 5n, 10n, 20n, 30n, 99n, 500n, 1000n, 5000n, 10000n, 20000n, 29999n, 34999n];

/** Arbitrary share in [0, 1]. */
const shareArb = fc.bigInt({ min: 1n, max: 10n ** 6n }).chain((den) => fc.bigInt({ min: 0n, max: den }).map((num) => rational(num, den)));

/** Arbitrary positive cash rate (cents per milli-diamond), including rates with numerator > 1. */
const rateArb = fc.tuple(fc.bigInt({ min: 1n, max: 10n ** 4n }), fc.bigInt({ min: 1n, max: 10n ** 6n })).map(([num, den]) => rational(num, den));

const coinsArb = fc.bigInt({ min: 0n, max: 10n ** 12n });

/** coins × 1000 × share as an exact rational. */
const exactDiamonds = (coins: bigint, share: Rational): Rational => rational(coins * 1000n * share.num, share.den);

describe("coins → diamonds", () => {
  test("default share is 1/2", () => {
    expect(DEFAULT_CREATOR_SHARE).toEqual({ num: 1n, den: 2n });
  });

  test.each(GIFT_PRICES.map((coins) => [coins, coins * 500n]))("a %s-coin gift credits %s milli-diamonds exactly at 50 %%", (coins, expected) => {
    const result = convertCoinsToDiamonds(coins);
    expect(result.diamondsMinor).toBe(expected);
    expect(result.remainder).toEqual({ num: 0n, den: 1n });
  });

  test.each([
    [1n, rational(1n, 3n), 333n, rational(1n, 3n)],
    [29999n, rational(1n, 3n), 9999666n, rational(2n, 3n)],
    [1n, rational(7n, 10n), 700n, rational(0n)],
    [34999n, rational(3n, 7n), 14999571n, rational(3n, 7n)],
    [5n, rational(0n), 0n, rational(0n)],
    [5n, rational(1n), 5000n, rational(0n)],
    [0n, DEFAULT_CREATOR_SHARE, 0n, rational(0n)],
  ])("convertCoinsToDiamonds(%s, %o) floors to %s with remainder %o", (coins, share, diamonds, remainder) => {
    expect(convertCoinsToDiamonds(coins, share)).toEqual({ diamondsMinor: diamonds, remainder });
  });

  test.each([
    [-1n, DEFAULT_CREATOR_SHARE],
    [1n, rational(3n, 2n)],
    [1n, rational(-1n, 2n)],
  ])("rejects invalid input (%s, %o)", (coins, share) => {
    expect(() => convertCoinsToDiamonds(coins, share)).toThrow(RangeError);
  });

  test("property: floor + remainder reconstructs coins × 1000 × share exactly (conservation)", () => {
    fc.assert(
      fc.property(coinsArb, shareArb, (coins, share) => {
        const { diamondsMinor, remainder } = convertCoinsToDiamonds(coins, share);
        expect(remainder.num >= 0n && remainder.num < remainder.den).toBe(true);
        expect(rationalEquals(addRationals(rational(diamondsMinor), remainder), exactDiamonds(coins, share))).toBe(true);
      }),
    );
  });

  test("property: monotonic in coins", () => {
    fc.assert(
      fc.property(coinsArb, coinsArb, shareArb, (a, b, share) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        expect(convertCoinsToDiamonds(lo, share).diamondsMinor <= convertCoinsToDiamonds(hi, share).diamondsMinor).toBe(true);
      }),
    );
  });

  test("property: monotonic in the share", () => {
    fc.assert(
      fc.property(coinsArb, shareArb, shareArb, (coins, s1, s2) => {
        const [lo, hi] = compareRationals(s1, s2) <= 0 ? [s1, s2] : [s2, s1];
        expect(convertCoinsToDiamonds(coins, lo).diamondsMinor <= convertCoinsToDiamonds(coins, hi).diamondsMinor).toBe(true);
      }),
    );
  });

  test("property: splitting a gift never creates value: conv(a)+conv(b) ≤ conv(a+b) ≤ conv(a)+conv(b)+1", () => {
    fc.assert(
      fc.property(coinsArb, coinsArb, shareArb, (a, b, share) => {
        const parts = convertCoinsToDiamonds(a, share).diamondsMinor + convertCoinsToDiamonds(b, share).diamondsMinor;
        const whole = convertCoinsToDiamonds(a + b, share).diamondsMinor;
        expect(whole >= parts && whole <= parts + 1n).toBe(true);
      }),
    );
  });

  test("property: at the default share every whole coin converts exactly", () => {
    fc.assert(
      fc.property(coinsArb, (coins) => {
        const { diamondsMinor, remainder } = convertCoinsToDiamonds(coins);
        expect(diamondsMinor).toBe(coins * 500n);
        expect(remainder.num).toBe(0n);
      }),
    );
  });
});

describe("diamonds → cash", () => {
  test("default rate: $0.005 per diamond = 1/2000 cent per milli-diamond", () => {
    expect(DEFAULT_DIAMOND_CASH_RATE).toEqual({ num: 1n, den: 2000n });
  });

  test.each([
    [0n, 0n, 0n, 0n],
    [1999n, 0n, 0n, 1999n],
    [2000n, 1n, 2000n, 0n],
    [2001n, 1n, 2000n, 1n],
    [12345n, 6n, 12000n, 345n],
    [500n * 34999n, 8749n, 17498000n, 1500n], // one Universe-sized gift, 50 %: 17,499.5 diamonds
    [2_000_000n, 1000n, 2_000_000n, 0n], // 2,000 diamonds = $10.00
    [200_000_000n, 100000n, 200_000_000n, 0n],
  ])("convertDiamondsToCash(%s) = %s cents, used %s, leftover %s", (input, cents, used, leftover) => {
    expect(convertDiamondsToCash(input)).toEqual({
      cents,
      usedDiamondsMinor: used,
      leftoverDiamondsMinor: leftover,
    });
  });

  test.each([
    // a rate with numerator > 1: 3/4000 cent per milli-diamond ($0.0075 per diamond)
    [1000n, rational(3n, 4000n), 0n, 0n, 1000n],
    [1334n, rational(3n, 4000n), 1n, 1334n, 0n], // ⌈4000/3⌉ = 1334
    [2667n, rational(3n, 4000n), 2n, 2667n, 0n],
    [2668n, rational(3n, 4000n), 2n, 2667n, 1n],
  ])("convertDiamondsToCash(%s, %o) = %s cents, used %s, leftover %s", (input, rate, cents, used, leftover) => {
    expect(convertDiamondsToCash(input, rate)).toEqual({ cents, usedDiamondsMinor: used, leftoverDiamondsMinor: leftover });
  });

  test("getDiamondsNeededForCents", () => {
    expect(getDiamondsNeededForCents(1000n)).toBe(2_000_000n);
    expect(getDiamondsNeededForCents(1n, rational(3n, 4000n))).toBe(1334n);
  });

  test("rejects negative diamonds and non-positive rates", () => {
    expect(() => convertDiamondsToCash(-1n)).toThrow(RangeError);
    expect(() => convertDiamondsToCash(1n, rational(0n))).toThrow(RangeError);
    expect(() => convertDiamondsToCash(1n, rational(-1n, 2n))).toThrow(RangeError);
  });

  test("property: used + leftover == input, used ≤ input, used buys exactly the cents, leftover < 1 cent", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 15n }), rateArb, (input, rate) => {
        const { cents, usedDiamondsMinor, leftoverDiamondsMinor } = convertDiamondsToCash(input, rate);
        expect(usedDiamondsMinor + leftoverDiamondsMinor).toBe(input);
        expect(usedDiamondsMinor >= 0n && usedDiamondsMinor <= input).toBe(true);
        expect(cents).toBe(mulFloor(input, rate).value);
        expect(mulFloor(usedDiamondsMinor, rate).value).toBe(cents);
        expect(usedDiamondsMinor === 0n || mulFloor(usedDiamondsMinor - 1n, rate).value < cents).toBe(true);
        expect(mulFloor(leftoverDiamondsMinor, rate).value).toBe(0n);
      }),
    );
  });

  test("property: with a 1/k rate the used diamonds are worth exactly the cents", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 15n }), fc.bigInt({ min: 1n, max: 10n ** 6n }), (input, k) => {
        const { cents, usedDiamondsMinor } = convertDiamondsToCash(input, rational(1n, k));
        expect(usedDiamondsMinor).toBe(cents * k);
      }),
    );
  });

  test("property: cash is monotonic in diamonds", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 15n }), fc.bigInt({ min: 0n, max: 10n ** 15n }), rateArb, (a, b, rate) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        expect(convertDiamondsToCash(lo, rate).cents <= convertDiamondsToCash(hi, rate).cents).toBe(true);
      }),
    );
  });
});

describe("withdrawal fees", () => {
  test.each<[bigint, WithdrawalMethod, bigint]>([
    [1000n, "bank", 25n], // 1 % = 10¢ < 25¢ minimum
    [2500n, "bank", 25n], // exactly 25¢
    [2501n, "bank", 26n], // 25.01¢ rounds up
    [12345n, "bank", 124n], // 123.45¢ → 124¢
    [100000n, "bank", 1000n],
    [1000n, "paypal", 50n], // 30¢ + 20¢
    [1001n, "paypal", 51n], // 30¢ + ⌈20.02¢⌉
    [12345n, "paypal", 277n], // 30¢ + ⌈246.9¢⌉
    [100000n, "paypal", 2030n],
  ])("fee(%s¢, %s) = %s¢", (gross, method, fee) => {
    expect(calculateWithdrawalFee(gross, method)).toBe(fee);
  });

  test("default rules", () => {
    expect(DEFAULT_WITHDRAWAL_RULES.minimumCents).toBe(1000n);
    expect(DEFAULT_WITHDRAWAL_RULES.dailyLimitCents).toBe(100000n);
    expect(DEFAULT_WITHDRAWAL_RULES.reviewDelaySeconds).toBe(60);
    expect(WITHDRAWAL_METHODS).toEqual(["bank", "paypal"]);
  });
});

describe("withdrawal quotes", () => {
  test.each<[bigint, WithdrawalMethod, bigint, bigint, bigint, bigint, bigint, bigint]>([
    // diamondsMinor, method, withdrawnToday, gross, fee, net, used, leftover
    [2_000_000n, "bank", 0n, 1000n, 25n, 975n, 2_000_000n, 0n],
    [2_000_000n, "paypal", 0n, 1000n, 50n, 950n, 2_000_000n, 0n],
    [2_001_999n, "bank", 0n, 1000n, 25n, 975n, 2_000_000n, 1999n],
    [24_690_000n, "bank", 0n, 12345n, 124n, 12221n, 24_690_000n, 0n],
    [24_691_234n, "paypal", 0n, 12345n, 277n, 12068n, 24_690_000n, 1234n],
    [200_000_000n, "bank", 0n, 100000n, 1000n, 99000n, 200_000_000n, 0n], // exactly the daily limit
    [20_000_000n, "bank", 90000n, 10000n, 100n, 9900n, 20_000_000n, 0n], // fills the rest of the day
  ])("quote %s milli-diamonds via %s (today %s¢)", (diamondsMinor, method, today, gross, fee, net, used, leftover) => {
    expect(quoteWithdrawal({ diamondsMinor, method, withdrawnTodayCents: today })).toEqual({
      ok: true,
      value: {
        method,
        grossCents: gross,
        feeCents: fee,
        netCents: net,
        diamondsMinor: used,
        leftoverDiamondsMinor: leftover,
        reviewDelaySeconds: 60,
      },
    });
  });

  test.each<[bigint, WithdrawalMethod, bigint, string, string]>([
    [0n, "bank", 0n, "NOTHING_TO_WITHDRAW", "There is nothing to withdraw: your diamonds are worth less than $0.01."],
    [-5n, "bank", 0n, "NOTHING_TO_WITHDRAW", "There is nothing to withdraw: your diamonds are worth less than $0.01."],
    [1999n, "paypal", 0n, "NOTHING_TO_WITHDRAW", "There is nothing to withdraw: your diamonds are worth less than $0.01."],
    [2000n, "bank", 0n, "BELOW_MINIMUM", "The minimum withdrawal is $10.00; these diamonds are worth $0.01."],
    [1_999_999n, "bank", 0n, "BELOW_MINIMUM", "The minimum withdrawal is $10.00; these diamonds are worth $9.99."],
    [
      200_002_000n,
      "bank",
      0n,
      "DAILY_LIMIT_EXCEEDED",
      "Withdrawals are limited to $1,000.00 per day. You have already withdrawn $0.00 today, " +
        "so you can withdraw at most $1,000.00 more (requested $1,000.01).",
    ],
    [
      20_002_000n,
      "paypal",
      90000n,
      "DAILY_LIMIT_EXCEEDED",
      "Withdrawals are limited to $1,000.00 per day. You have already withdrawn $900.00 today, " +
        "so you can withdraw at most $100.00 more (requested $100.01).",
    ],
    [
      2_000_000n,
      "bank",
      150000n,
      "DAILY_LIMIT_EXCEEDED",
      "Withdrawals are limited to $1,000.00 per day. You have already withdrawn $1,500.00 today, " +
        "so you can withdraw at most $0.00 more (requested $10.00).",
    ],
  ])("quote %s milli-diamonds via %s (today %s¢) fails with %s", (diamondsMinor, method, today, code, message) => {
    expect(quoteWithdrawal({ diamondsMinor, method, withdrawnTodayCents: today })).toEqual({
      ok: false,
      code,
      message,
    });
  });

  test("FEE_EXCEEDS_AMOUNT when custom rules would leave nothing", () => {
    const rules: WithdrawalRules = {
      ...DEFAULT_WITHDRAWAL_RULES,
      minimumCents: 1n,
      fees: { ...DEFAULT_WITHDRAWAL_RULES.fees, bank: { percent: rational(0n), flatCents: 0n, minimumCents: 25n } },
    };
    expect(quoteWithdrawal({ diamondsMinor: 50_000n, method: "bank", rules })).toEqual({
      ok: false,
      code: "FEE_EXCEEDS_AMOUNT",
      message: "The $0.25 bank fee would consume the whole $0.25.",
    });
    expect(quoteWithdrawal({ diamondsMinor: 52_000n, method: "bank", rules }).ok).toBe(true);
  });

  test("rejects a negative withdrawn-today amount", () => {
    expect(() => quoteWithdrawal({ diamondsMinor: 2_000_000n, method: "bank", withdrawnTodayCents: -1n })).toThrow(RangeError);
  });

  test("property: refused exactly for its stated reason; otherwise gross = fee + net, net > 0, used + leftover = requested, within the daily limit", () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -10n, max: 400_000_000n }),
        fc.constantFrom(...WITHDRAWAL_METHODS),
        fc.bigInt({ min: 0n, max: 120_000n }),
        (diamondsMinor, method, withdrawnTodayCents) => {
          const result = quoteWithdrawal({ diamondsMinor, method, withdrawnTodayCents });
          // What the diamonds are worth decides: nothing, under the minimum, past today's limit, or a quote
          // (the default fees never take a whole withdrawal of the minimum or more).
          const gross = convertDiamondsToCash(diamondsMinor > 0n ? diamondsMinor : 0n).cents;
          const rules = DEFAULT_WITHDRAWAL_RULES;
          const expected =
            gross === 0n
              ? "NOTHING_TO_WITHDRAW"
              : gross < rules.minimumCents
                ? "BELOW_MINIMUM"
                : withdrawnTodayCents + gross > rules.dailyLimitCents
                  ? "DAILY_LIMIT_EXCEEDED"
                  : "ok";
          expect(result.ok ? "ok" : result.code).toBe(expected);
          if (!result.ok) return;
          const q = result.value;
          expect(q.grossCents).toBe(q.feeCents + q.netCents);
          expect(q.netCents > 0n).toBe(true);
          expect(q.feeCents >= 0n).toBe(true);
          expect(q.diamondsMinor + q.leftoverDiamondsMinor).toBe(diamondsMinor);
          expect(q.grossCents >= DEFAULT_WITHDRAWAL_RULES.minimumCents).toBe(true);
          expect(withdrawnTodayCents + q.grossCents <= DEFAULT_WITHDRAWAL_RULES.dailyLimitCents).toBe(true);
          expect(q.grossCents).toBe(convertDiamondsToCash(q.diamondsMinor).cents);
        },
      ),
    );
  });

  test("property: with arbitrary rules a quote is refused only when worth nothing or eaten by its fee, and satisfies gross = fee + net and net > 0", () => {
    const feeArb = fc.record({
      percent: fc.bigInt({ min: 0n, max: 100n }).map((p) => rational(p, 100n)),
      flatCents: fc.bigInt({ min: 0n, max: 5000n }),
      minimumCents: fc.bigInt({ min: 0n, max: 5000n }),
    });
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 12n }), fc.constantFrom(...WITHDRAWAL_METHODS), feeArb, rateArb, (diamondsMinor, method, fee, cashRate) => {
        const rules: WithdrawalRules = {
          ...DEFAULT_WITHDRAWAL_RULES,
          minimumCents: 1n,
          dailyLimitCents: 10n ** 18n,
          cashRate,
          fees: { bank: fee, paypal: fee },
        };
        const result = quoteWithdrawal({ diamondsMinor, method, rules });
        // The fee worked out here: max(minimum, flat + the percentage rounded up).
        const gross = convertDiamondsToCash(diamondsMinor, cashRate).cents;
        const percent = (gross * fee.percent.num + fee.percent.den - 1n) / fee.percent.den;
        const feeCents = fee.flatCents + percent > fee.minimumCents ? fee.flatCents + percent : fee.minimumCents;
        expect(result.ok ? "ok" : result.code).toBe(gross === 0n ? "NOTHING_TO_WITHDRAW" : feeCents >= gross ? "FEE_EXCEEDS_AMOUNT" : "ok");
        if (!result.ok) return;
        expect(result.value.feeCents).toBe(feeCents);
        expect(result.value.grossCents).toBe(result.value.feeCents + result.value.netCents);
        expect(result.value.netCents > 0n).toBe(true);
        expect(result.value.diamondsMinor + result.value.leftoverDiamondsMinor).toBe(diamondsMinor);
      }),
    );
  });
});
