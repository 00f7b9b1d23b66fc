/**
 * Coin packages and their prices per platform and currency.
 *
 * Pricing model:
 * - iOS prices are hand-written App Store price points per currency ({@link IOS_PRICE_TABLES}).
 * - Android and web are derived from iOS: `price = roundDownToPricePoint(⌊iOS × (1 − discount)⌋)`
 *   with the discounts in {@link PLATFORM_DISCOUNTS} (web has no app-store commission).
 * - On one price list a bigger package never costs more per coin than a smaller one. The tables
 *   are written that way, and {@link listPackages} enforces it after rounding: a package is
 *   capped at the price point that keeps it at most the next smaller package's price per coin
 *   (rounding down to a price point takes relatively more off a small price than off a large one).
 *   "Best value" is then the lowest price per coin, the larger package on a tie.
 * - Custom amounts are priced at the web per-coin rate of the 70-coin package, rounded up.
 */
import { type Currency, type Rational, compareRationals, floorDiv, formatCoins, mulCeil, rational, subtractRationals } from "./money";
import { EconomyError, type EconomyResult, fail, succeed } from "./result";

/** Stable ids of the fixed coin packages, smallest first. */
export const PACKAGE_IDS = Object.freeze(["coins-70", "coins-350", "coins-700", "coins-1400", "coins-3500", "coins-7000", "coins-17500"] as const);

/** Id of a fixed coin package. */
export type PackageId = (typeof PACKAGE_IDS)[number];

/** A fixed coin package. */
export type CoinPackage = { readonly id: PackageId; readonly coins: bigint };

/** The fixed coin packages, smallest first. */
export const COIN_PACKAGES: readonly CoinPackage[] = Object.freeze(PACKAGE_IDS.map((id) => Object.freeze({ id, coins: BigInt(id.slice("coins-".length)) })));

/** A price per package id, in minor units of one currency. */
export type PriceTable = Readonly<Record<PackageId, bigint>>;

function makePriceTable(prices: readonly [bigint, bigint, bigint, bigint, bigint, bigint, bigint]): PriceTable {
  const entries = PACKAGE_IDS.map((id, index) => [id, prices[index]] as const);
  return Object.freeze(Object.fromEntries(entries) as Record<PackageId, bigint>);
}

/**
 * iOS (App Store) prices in minor units, per currency, for 70/350/700/1400/3500/7000/17500 coins.
 *
 * USD is the reference list ($0.99 … $234.99); EUR/GBP/JPY/IDR are hand-written regional price
 * points. In every list each larger package is strictly cheaper per coin, on every platform.
 */
export const IOS_PRICE_TABLES: Readonly<Record<Currency, PriceTable>> = Object.freeze({
  USD: makePriceTable([99n, 489n, 969n, 1929n, 4799n, 9499n, 23499n]),
  EUR: makePriceTable([109n, 519n, 1029n, 1999n, 4899n, 9699n, 23499n]),
  GBP: makePriceTable([99n, 469n, 919n, 1799n, 4449n, 8799n, 21499n]),
  JPY: makePriceTable([160n, 760n, 1500n, 2900n, 7200n, 14000n, 34000n]),
  IDR: makePriceTable([16000n, 76000n, 149000n, 289000n, 719000n, 1429000n, 3499000n]),
});

/** Purchase platforms. */
export const PLATFORMS = Object.freeze(["web", "ios", "android"] as const);

/** A purchase platform. */
export type Platform = (typeof PLATFORMS)[number];

/** Returns true when `value` is a supported platform. */
export function isPlatform(value: unknown): value is Platform {
  return typeof value === "string" && (PLATFORMS as readonly string[]).includes(value);
}

/**
 * Discount of each platform relative to the iOS price (iOS includes the App Store commission).
 * Web: 25 % less (no store commission); Android: 15 % less. Each must be in [0, 1).
 */
export const PLATFORM_DISCOUNTS: Readonly<Record<Platform, Rational>> = Object.freeze({
  ios: rational(0n),
  android: rational(15n, 100n),
  web: rational(25n, 100n),
});

/** Human-readable explanation of each platform's price level. */
export const PLATFORM_PRICE_REASONS: Readonly<Record<Platform, string>> = Object.freeze({
  ios: "App Store commission included",
  android: "Google Play commission included (lower than the App Store)",
  web: "No app-store commission: the lowest price",
});

/** A price-point grid: valid prices are `offset + k × step` (k ≥ 0), in minor units. */
export type PricePointRule = { readonly step: bigint; readonly offset: bigint };

/**
 * Price-point grids used to round derived (web/Android) prices **down**:
 * USD/EUR/GBP → prices ending in 4 or 9 minor units (x.x4 / x.x9);
 * JPY → multiples of ¥10; IDR → multiples of Rp 1,000.
 */
export const PRICE_POINT_RULES: Readonly<Record<Currency, PricePointRule>> = Object.freeze({
  USD: Object.freeze({ step: 5n, offset: 4n }),
  EUR: Object.freeze({ step: 5n, offset: 4n }),
  GBP: Object.freeze({ step: 5n, offset: 4n }),
  JPY: Object.freeze({ step: 10n, offset: 0n }),
  IDR: Object.freeze({ step: 1000n, offset: 0n }),
});

/**
 * Rounds a price down to the currency's price-point grid (largest grid point ≤ `minor`).
 * If that would be ≤ 0, returns the smallest positive grid point instead (a price is never 0).
 */
export function roundDownToPricePoint(minor: bigint, currency: Currency): bigint {
  const { step, offset } = PRICE_POINT_RULES[currency];
  const rounded = floorDiv(minor - offset, step) * step + offset;
  if (rounded > 0n) return rounded;
  return offset > 0n ? offset : step;
}

function assertDiscount(discount: Rational): void {
  const isValid = discount.den > 0n && discount.num >= 0n && discount.num < discount.den;
  if (!isValid) throw new RangeError(`Platform discount must be in [0, 1), got ${discount.num}/${discount.den}`);
}

/** Derives a platform price from an iOS price: iOS unchanged, others ⌊iOS × (1 − discount)⌋ rounded down to a price point. */
export function derivePlatformPrice(
  iosPrice: bigint,
  platform: Platform,
  currency: Currency,
  discounts: Readonly<Record<Platform, Rational>> = PLATFORM_DISCOUNTS,
): bigint {
  const discount = discounts[platform];
  assertDiscount(discount);
  if (discount.num === 0n) return iosPrice;
  const factor = subtractRationals(rational(1n), discount);
  return roundDownToPricePoint(floorDiv(iosPrice * factor.num, factor.den), currency);
}

/** A package priced for one platform and currency. `pricePerCoin` is exact, in minor units per coin. */
export type PackageQuote = {
  readonly id: PackageId;
  readonly coins: bigint;
  readonly price: bigint;
  readonly currency: Currency;
  readonly platform: Platform;
  readonly pricePerCoin: Rational;
  readonly bestValue: boolean;
};

/**
 * Index of the best value among prices per coin listed smallest package first:
 * the lowest exact price per coin; on an exact tie the later (larger) package wins. -1 if empty.
 */
export function findBestValueIndex(pricesPerCoin: readonly Rational[]): number {
  if (pricesPerCoin.length === 0) return -1;
  let best = 0;
  pricesPerCoin.forEach((candidate, index) => {
    const current = pricesPerCoin[best];
    if (current !== undefined && compareRationals(candidate, current) <= 0) best = index;
  });
  return best;
}

/**
 * The price of a package of `coins` capped so that it costs at most as much per coin as a smaller
 * package of `smallerCoins` at `smallerPrice`: the largest price point `p ≤ price` with
 * `p × smallerCoins ≤ smallerPrice × coins` (exact, cross-multiplied).
 */
export function capPricePerCoin(price: bigint, coins: bigint, smallerPrice: bigint, smallerCoins: bigint, currency: Currency): bigint {
  if (price * smallerCoins <= smallerPrice * coins) return price;
  const capped = roundDownToPricePoint(floorDiv(smallerPrice * coins, smallerCoins), currency);
  return capped < price ? capped : price;
}

/**
 * Lists every fixed package priced for a platform and currency, smallest first.
 * Price per coin never rises with package size (see {@link capPricePerCoin}); exactly one entry
 * has `bestValue: true`: the lowest exact price per coin (ties → larger package).
 */
export function listPackages(platform: Platform, currency: Currency, discounts: Readonly<Record<Platform, Rational>> = PLATFORM_DISCOUNTS): PackageQuote[] {
  const table = IOS_PRICE_TABLES[currency];
  const priced: Array<CoinPackage & { price: bigint; pricePerCoin: Rational }> = [];
  for (const pkg of COIN_PACKAGES) {
    const derived = derivePlatformPrice(table[pkg.id], platform, currency, discounts);
    const smaller = priced.at(-1);
    const price = smaller ? capPricePerCoin(derived, pkg.coins, smaller.price, smaller.coins, currency) : derived;
    priced.push({ ...pkg, price, pricePerCoin: rational(price, pkg.coins) });
  }
  const bestIndex = findBestValueIndex(priced.map((p) => p.pricePerCoin));
  return priced.map((p, index) => ({ ...p, currency, platform, bestValue: index === bestIndex }));
}

/** Returns the package with this id, or `undefined`. */
export function findPackage(id: string): CoinPackage | undefined {
  return COIN_PACKAGES.find((pkg) => pkg.id === id);
}

/** Returns the package with this id; throws `EconomyError` with code `UNKNOWN_PACKAGE` otherwise. */
export function getPackage(id: string): CoinPackage {
  const pkg = findPackage(id);
  if (!pkg) throw new EconomyError("UNKNOWN_PACKAGE", `Unknown coin package "${id}".`);
  return pkg;
}

/** Prices one package for a platform and currency, or fails with `UNKNOWN_PACKAGE`. */
export function priceFor(
  packageId: string,
  platform: Platform,
  currency: Currency,
  discounts: Readonly<Record<Platform, Rational>> = PLATFORM_DISCOUNTS,
): EconomyResult<PackageQuote, "UNKNOWN_PACKAGE"> {
  const quote = listPackages(platform, currency, discounts).find((q) => q.id === packageId);
  if (!quote) return fail("UNKNOWN_PACKAGE", `Unknown coin package "${packageId}".`);
  return succeed(quote);
}

/** Smallest custom coin amount that can be bought. */
export const CUSTOM_MIN_COINS = 30n;

/** Largest custom coin amount that can be bought. */
export const CUSTOM_MAX_COINS = 2_500_000n;

/** The package whose web price defines the custom-amount per-coin rate. */
export const CUSTOM_RATE_BASE_PACKAGE: PackageId = "coins-70";

/** Exact custom-amount rate in minor units per coin: the currency's 70-coin web price ÷ 70. */
export function getCustomCoinRate(currency: Currency, discounts: Readonly<Record<Platform, Rational>> = PLATFORM_DISCOUNTS): Rational {
  const base = getPackage(CUSTOM_RATE_BASE_PACKAGE);
  const webPrice = derivePlatformPrice(IOS_PRICE_TABLES[currency][base.id], "web", currency, discounts);
  return rational(webPrice, base.coins);
}

/** A priced custom amount (always bought on the web). */
export type CustomAmountQuote = {
  readonly coins: bigint;
  readonly price: bigint;
  readonly currency: Currency;
  readonly platform: "web";
  readonly pricePerCoin: Rational;
};

/** Error codes of {@link priceCustomAmount}. */
export type CustomAmountErrorCode = "AMOUNT_OUT_OF_RANGE" | "NOT_AN_INTEGER";

/** Parses a whole coin amount from a bigint, a safe-integer number or a decimal-digit string. */
export function parseCoinAmount(input: bigint | number | string): EconomyResult<bigint, "NOT_AN_INTEGER"> {
  if (typeof input === "bigint") return succeed(input);
  if (typeof input === "number" && Number.isSafeInteger(input)) return succeed(BigInt(input));
  if (typeof input === "string" && /^-?\d+$/.test(input.trim())) return succeed(BigInt(input.trim()));
  return fail("NOT_AN_INTEGER", `Coin amount must be a whole number, got "${String(input)}".`);
}

/**
 * Prices a custom coin amount (30 … 2,500,000 coins): `price = ⌈coins × rate⌉` with the
 * {@link getCustomCoinRate} of the currency, so the buyer is never undercharged.
 */
export function priceCustomAmount(
  coins: bigint | number | string,
  currency: Currency,
  discounts: Readonly<Record<Platform, Rational>> = PLATFORM_DISCOUNTS,
): EconomyResult<CustomAmountQuote, CustomAmountErrorCode> {
  const parsed = parseCoinAmount(coins);
  if (!parsed.ok) return parsed;
  const amount = parsed.value;
  if (amount < CUSTOM_MIN_COINS || amount > CUSTOM_MAX_COINS) {
    const range = `${formatCoins(CUSTOM_MIN_COINS)} and ${formatCoins(CUSTOM_MAX_COINS)}`;
    return fail("AMOUNT_OUT_OF_RANGE", `Custom amount must be between ${range} coins, got ${formatCoins(amount)}.`);
  }
  const rate = getCustomCoinRate(currency, discounts);
  return succeed({ coins: amount, price: mulCeil(amount, rate), currency, platform: "web", pricePerCoin: rate });
}
