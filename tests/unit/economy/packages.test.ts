import fc from "fast-check";
import { describe, expect, test } from "vitest";
import {
  COIN_PACKAGES,
  CURRENCIES,
  CUSTOM_MAX_COINS,
  CUSTOM_MIN_COINS,
  EconomyError,
  IOS_PRICE_TABLES,
  PACKAGE_IDS,
  PLATFORMS,
  PLATFORM_DISCOUNTS,
  PLATFORM_PRICE_REASONS,
  capPricePerCoin,
  compareRationals,
  derivePlatformPrice,
  findBestValueIndex,
  findPackage,
  formatMoney,
  getCustomCoinRate,
  getPackage,
  isPlatform,
  listPackages,
  priceCustomAmount,
  priceFor,
  rational,
  roundDownToPricePoint,
  type Currency,
  type Platform,
} from "../../../lib/economy";

/** Expected prices (minor units) for 70/350/700/1400/3500/7000/17500 coins. */
const EXPECTED_PRICES: Record<Currency, Record<Platform, bigint[]>> = {
  USD: {
    ios: [99n, 489n, 969n, 1929n, 4799n, 9499n, 23499n],
    android: [84n, 414n, 819n, 1634n, 4079n, 8074n, 19974n], // 1400: 1639 capped to 819/700 per coin
    web: [74n, 364n, 724n, 1444n, 3599n, 7124n, 17624n],
  },
  EUR: {
    ios: [109n, 519n, 1029n, 1999n, 4899n, 9699n, 23499n],
    android: [89n, 439n, 874n, 1699n, 4164n, 8244n, 19974n],
    web: [79n, 389n, 769n, 1499n, 3674n, 7274n, 17624n],
  },
  GBP: {
    ios: [99n, 469n, 919n, 1799n, 4449n, 8799n, 21499n],
    android: [84n, 394n, 779n, 1529n, 3779n, 7479n, 18274n],
    web: [74n, 349n, 689n, 1349n, 3334n, 6599n, 16124n],
  },
  JPY: {
    ios: [160n, 760n, 1500n, 2900n, 7200n, 14000n, 34000n],
    android: [130n, 640n, 1270n, 2460n, 6120n, 11900n, 28900n],
    web: [120n, 570n, 1120n, 2170n, 5400n, 10500n, 25500n],
  },
  IDR: {
    ios: [16000n, 76000n, 149000n, 289000n, 719000n, 1429000n, 3499000n],
    android: [13000n, 64000n, 126000n, 245000n, 611000n, 1214000n, 2974000n],
    web: [12000n, 57000n, 111000n, 216000n, 539000n, 1071000n, 2624000n],
  },
};

const PRICE_CASES = CURRENCIES.flatMap((currency) =>
  PLATFORMS.flatMap((platform) => PACKAGE_IDS.map((id, index) => ({ currency, platform, id, price: EXPECTED_PRICES[currency][platform][index]! }))),
);

const PLATFORM_CURRENCY_CASES = CURRENCIES.flatMap((currency) => PLATFORMS.map((platform) => ({ currency, platform })));

describe("package catalogue", () => {
  test("fixed packages with stable ids, smallest first", () => {
    expect(COIN_PACKAGES.map((p) => [p.id, p.coins])).toEqual([
      ["coins-70", 70n],
      ["coins-350", 350n],
      ["coins-700", 700n],
      ["coins-1400", 1400n],
      ["coins-3500", 3500n],
      ["coins-7000", 7000n],
      ["coins-17500", 17500n],
    ]);
  });

  test("getPackage / findPackage", () => {
    expect(getPackage("coins-350").coins).toBe(350n);
    expect(findPackage("coins-1")).toBeUndefined();
    expect(() => getPackage("coins-1")).toThrow(EconomyError);
    let error: unknown = null;
    try {
      getPackage("nope");
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(EconomyError);
    expect((error as EconomyError).code).toBe("UNKNOWN_PACKAGE");
  });

  test("every platform has a reason string and a discount in [0, 1)", () => {
    expect(PLATFORM_PRICE_REASONS.ios).toBe("App Store commission included");
    for (const platform of PLATFORMS) {
      expect(PLATFORM_PRICE_REASONS[platform].length).toBeGreaterThan(0);
      const d = PLATFORM_DISCOUNTS[platform];
      expect(d.num >= 0n && d.num < d.den).toBe(true);
    }
    expect(isPlatform("web")).toBe(true);
    expect(isPlatform("desktop")).toBe(false);
  });
});

describe("package prices", () => {
  test.each(PRICE_CASES)("$id on $platform in $currency costs $price", ({ currency, platform, id, price }) => {
    const quote = priceFor(id, platform, currency);
    expect(quote.ok).toBe(true);
    if (!quote.ok) return;
    expect(quote.value.price).toBe(price);
    expect(quote.value.currency).toBe(currency);
    expect(quote.value.platform).toBe(platform);
    expect(compareRationals(quote.value.pricePerCoin, rational(price, quote.value.coins))).toBe(0);
  });

  test.each<[Currency, Platform, string, string]>([
    ["USD", "ios", "coins-350", "$4.89"],
    ["USD", "web", "coins-350", "$3.64"],
    ["USD", "web", "coins-70", "$0.74"],
    ["USD", "android", "coins-17500", "$199.74"],
    ["EUR", "ios", "coins-70", "€1.09"],
    ["GBP", "ios", "coins-70", "£0.99"],
    ["JPY", "ios", "coins-70", "¥160"],
    ["JPY", "web", "coins-700", "¥1,120"],
    ["IDR", "ios", "coins-70", "IDR\u00a016,000"],
  ])("%s %s %s displays as %s", (currency, platform, id, expected) => {
    const quote = priceFor(id, platform, currency);
    expect(quote.ok && formatMoney(quote.value.price, currency)).toBe(expected);
  });

  test("unknown package ids are a typed error", () => {
    expect(priceFor("coins-71", "web", "USD")).toEqual({
      ok: false,
      code: "UNKNOWN_PACKAGE",
      message: 'Unknown coin package "coins-71".',
    });
  });

  test.each([
    [7425n, "USD", 7424n],
    [7429n, "USD", 7429n],
    [7428n, "USD", 7424n],
    [7423n, "USD", 7419n],
    [3n, "USD", 4n], // never 0: smallest positive price point
    [1275n, "JPY", 1270n],
    [5n, "JPY", 10n],
    [13600n, "IDR", 13000n],
    [12000n, "IDR", 12000n],
  ] as const)("roundDownToPricePoint(%s, %s) = %s", (minor, currency, expected) => {
    expect(roundDownToPricePoint(minor, currency)).toBe(expected);
  });

  test("web price for 70 coins in USD is between $0.74 and $0.79", () => {
    const price = derivePlatformPrice(99n, "web", "USD");
    expect(price >= 74n && price <= 79n).toBe(true);
  });

  test("platform order: web ≤ android ≤ ios for every package and currency", () => {
    for (const currency of CURRENCIES) {
      const web = listPackages("web", currency);
      const android = listPackages("android", currency);
      const ios = listPackages("ios", currency);
      expect([web.length, android.length, ios.length]).toEqual([PACKAGE_IDS.length, PACKAGE_IDS.length, PACKAGE_IDS.length]);
      web.forEach((w, i) => {
        expect(w.price <= android[i]!.price).toBe(true);
        expect(android[i]!.price <= ios[i]!.price).toBe(true);
      });
    }
  });

  test("discounts are parameters: a 0 % web discount reproduces iOS prices", () => {
    const noDiscount = { ...PLATFORM_DISCOUNTS, web: rational(0n) };
    expect(listPackages("web", "EUR", noDiscount).map((q) => q.price)).toEqual(EXPECTED_PRICES.EUR.ios);
  });

  test("an invalid discount is rejected", () => {
    expect(() => listPackages("web", "USD", { ...PLATFORM_DISCOUNTS, web: rational(1n) })).toThrow(RangeError);
  });
});

describe("best value", () => {
  test.each(PLATFORM_CURRENCY_CASES)("exactly one best value for $platform $currency", ({ platform, currency }) => {
    const quotes = listPackages(platform, currency);
    const best = quotes.filter((q) => q.bestValue);
    expect(best).toHaveLength(1);
    for (const q of quotes) expect(compareRationals(best[0]!.pricePerCoin, q.pricePerCoin)).toBeLessThanOrEqual(0);
  });

  test.each(PLATFORM_CURRENCY_CASES)("$platform $currency best value is the largest package", ({ platform, currency }) => {
    expect(listPackages(platform, currency).find((q) => q.bestValue)?.id).toBe("coins-17500");
  });

  test.each([
    [[rational(3n, 2n), rational(1n), rational(2n)], 1],
    [[rational(1n), rational(2n, 2n), rational(3n, 2n)], 1], // exact tie → larger package
    [[rational(160n, 70n), rational(800n, 350n)], 1], // 16/7 == 16/7
    [[rational(99n, 70n), rational(499n, 350n)], 0],
    [[], -1],
  ])("findBestValueIndex(%o) = %i (lowest per coin, ties → larger)", (perCoin, expected) => {
    expect(findBestValueIndex(perCoin)).toBe(expected);
  });
});

describe("price per coin never rises with package size", () => {
  /** a/b ≤ c/d for positive denominators, cross-multiplied (no floats, no rationals). */
  const perCoinAtMost = (price: bigint, coins: bigint, otherPrice: bigint, otherCoins: bigint) => price * otherCoins <= otherPrice * coins;

  test("property: on every platform × currency, for i < j, package j costs at most package i per coin and best value is the lowest", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...CURRENCIES),
        fc.constantFrom(...PLATFORMS),
        fc.integer({ min: 0, max: PACKAGE_IDS.length - 1 }),
        fc.integer({ min: 0, max: PACKAGE_IDS.length - 1 }),
        (currency, platform, a, b) => {
          const [i, j] = a <= b ? [a, b] : [b, a];
          const quotes = listPackages(platform, currency);
          const [small, big] = [quotes[i]!, quotes[j]!];
          expect(perCoinAtMost(big.price, big.coins, small.price, small.coins)).toBe(true);
          const best = quotes.find((q) => q.bestValue)!;
          expect(perCoinAtMost(best.price, best.coins, small.price, small.coins)).toBe(true);
          expect(perCoinAtMost(best.price, best.coins, big.price, big.coins)).toBe(true);
        },
      ),
    );
  });

  test("property: the rule holds for any platform discount (the derivation enforces it after rounding)", () => {
    fc.assert(
      fc.property(fc.constantFrom(...CURRENCIES), fc.constantFrom(...PLATFORMS), fc.bigInt({ min: 0n, max: 999n }), (currency, platform, permille) => {
        const discounts = { ...PLATFORM_DISCOUNTS, [platform]: rational(permille, 1000n) };
        const quotes = listPackages(platform, currency, discounts);
        for (let k = 1; k < quotes.length; k++) {
          const [small, big] = [quotes[k - 1]!, quotes[k]!];
          expect(big.price > 0n).toBe(true);
          expect(perCoinAtMost(big.price, big.coins, small.price, small.coins)).toBe(true);
        }
        const best = quotes.filter((q) => q.bestValue);
        expect(best).toHaveLength(1);
        // Lowest per coin, and the largest package among those tied with it.
        for (const q of quotes) expect(perCoinAtMost(best[0]!.price, best[0]!.coins, q.price, q.coins)).toBe(true);
        const tied = quotes.filter((q) => q.price * best[0]!.coins === best[0]!.price * q.coins);
        expect(tied.at(-1)!.id).toBe(best[0]!.id);
      }),
    );
  });

  test.each(PLATFORM_CURRENCY_CASES)("strictly decreasing for $platform $currency", ({ currency, platform }) => {
    const quotes = listPackages(platform, currency);
    expect(quotes).toHaveLength(PACKAGE_IDS.length);
    for (let k = 1; k < quotes.length; k++) {
      expect(compareRationals(quotes[k]!.pricePerCoin, quotes[k - 1]!.pricePerCoin)).toBe(-1);
    }
  });

  test.each(CURRENCIES.map((c) => [c]))("the hand-written iOS table for %s is strictly cheaper per coin for larger packages", (currency) => {
    const perCoin = COIN_PACKAGES.map((p) => rational(IOS_PRICE_TABLES[currency][p.id], p.coins));
    for (let k = 1; k < perCoin.length; k++) expect(compareRationals(perCoin[k]!, perCoin[k - 1]!)).toBe(-1);
  });

  test.each([
    [1639n, 1400n, 819n, 700n, "USD", 1634n], // over 819/700 per coin → the next lower price point
    [1629n, 1400n, 819n, 700n, "USD", 1629n], // already cheaper per coin: unchanged
    [1638n, 1400n, 819n, 700n, "USD", 1638n], // exactly 819/700 per coin is allowed: unchanged
    [1500n, 700n, 120n, 70n, "JPY", 1200n],
  ] as const)("capPricePerCoin(%s for %s coins, after %s for %s, %s) = %s", (price, coins, smallerPrice, smallerCoins, currency, expected) => {
    expect(capPricePerCoin(price, coins, smallerPrice, smallerCoins, currency)).toBe(expected);
  });
});

describe("custom amounts", () => {
  test.each<[bigint | number | string, Currency, "ok" | "AMOUNT_OUT_OF_RANGE" | "NOT_AN_INTEGER", bigint | null]>([
    [29n, "USD", "AMOUNT_OUT_OF_RANGE", null],
    [30n, "USD", "ok", 32n], // ⌈30 × 74/70⌉ = ⌈31.71⌉
    [70n, "USD", "ok", 74n], // equals the 70-coin web price
    [2_500_000n, "USD", "ok", 2_642_858n], // ⌈2,642,857.14⌉
    [2_500_001n, "USD", "AMOUNT_OUT_OF_RANGE", null],
    [0n, "USD", "AMOUNT_OUT_OF_RANGE", null],
    [-30n, "USD", "AMOUNT_OUT_OF_RANGE", null],
    [30, "USD", "ok", 32n],
    ["30", "USD", "ok", 32n],
    [" 100 ", "USD", "ok", 106n], // ⌈105.71⌉
    [30.5, "USD", "NOT_AN_INTEGER", null],
    [Number.NaN, "USD", "NOT_AN_INTEGER", null],
    ["1e3", "USD", "NOT_AN_INTEGER", null],
    ["12.0", "USD", "NOT_AN_INTEGER", null],
    ["", "USD", "NOT_AN_INTEGER", null],
    [30n, "EUR", "ok", 34n], // ⌈30 × 79/70⌉ = ⌈33.86⌉
    [30n, "GBP", "ok", 32n],
    [30n, "JPY", "ok", 52n], // ⌈30 × 120/70⌉ = ⌈51.43⌉
    [30n, "IDR", "ok", 5143n], // ⌈30 × 12000/70⌉ = ⌈5142.86⌉
    [2_500_000n, "IDR", "ok", 428_571_429n],
  ])("priceCustomAmount(%s, %s) → %s %s", (coins, currency, outcome, price) => {
    const result = priceCustomAmount(coins, currency);
    if (outcome === "ok") {
      expect(result.ok).toBe(true);
      if (result.ok) expect(result.value.price).toBe(price);
    } else {
      expect(result).toMatchObject({ ok: false, code: outcome });
      if (!result.ok) expect(result.message.length).toBeGreaterThan(0);
    }
  });

  test("range constants and message", () => {
    expect(CUSTOM_MIN_COINS).toBe(30n);
    expect(CUSTOM_MAX_COINS).toBe(2_500_000n);
    const result = priceCustomAmount(2_500_001n, "USD");
    expect(!result.ok && result.message).toBe("Custom amount must be between 30 and 2,500,000 coins, got 2,500,001.");
  });

  test.each(CURRENCIES.map((c) => [c]))("custom rate for %s is the 70-coin web price ÷ 70", (currency) => {
    const web70 = listPackages("web", currency)[0]!;
    expect(compareRationals(getCustomCoinRate(currency), rational(web70.price, 70n))).toBe(0);
  });

  test("property: custom price never undercharges and overcharges by less than one minor unit", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: CUSTOM_MIN_COINS, max: CUSTOM_MAX_COINS }), fc.constantFrom(...CURRENCIES), (coins, currency) => {
        const result = priceCustomAmount(coins, currency);
        if (!result.ok) throw new Error(result.message);
        const { num, den } = getCustomCoinRate(currency);
        // price ≥ coins × rate  and  price − 1 < coins × rate  (cross-multiplied, exact)
        expect(result.value.price * den >= coins * num).toBe(true);
        expect((result.value.price - 1n) * den < coins * num).toBe(true);
      }),
    );
  });

  test("property: custom price is monotonic in the amount", () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: CUSTOM_MIN_COINS, max: CUSTOM_MAX_COINS }),
        fc.bigInt({ min: CUSTOM_MIN_COINS, max: CUSTOM_MAX_COINS }),
        fc.constantFrom(...CURRENCIES),
        (a, b, currency) => {
          const [lo, hi] = a <= b ? [a, b] : [b, a];
          const pLo = priceCustomAmount(lo, currency);
          const pHi = priceCustomAmount(hi, currency);
          expect(pLo.ok && pHi.ok && pLo.value.price <= pHi.value.price).toBe(true);
        },
      ),
    );
  });
});
