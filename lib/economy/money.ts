/**
 * Exact money primitives for the coin economy.
 *
 * Every amount is a `bigint` in integer minor units; every rate is an exact
 * {@link Rational}. Nothing in this module converts money to a JS `number`:
 * formatting builds a decimal string from bigint division and hands that
 * string to `Intl.NumberFormat` (which formats decimal strings exactly).
 */

/** An exact fraction `num / den`. Values built by {@link rational} are reduced and have `den > 0`. */
export type Rational = { readonly num: bigint; readonly den: bigint };

/** Minor units per coin: a coin is indivisible. */
export const COIN_MINOR_PER_COIN = 1n;

/** Minor units per diamond: balances are kept in milli-diamonds (1/1000 diamond). */
export const DIAMOND_MINOR_PER_DIAMOND = 1000n;

/** Supported fiat currencies. */
export const CURRENCIES = Object.freeze(["USD", "EUR", "GBP", "JPY", "IDR"] as const);

/** A supported fiat currency code (ISO 4217). */
export type Currency = (typeof CURRENCIES)[number];

/**
 * Number of decimal digits in one minor unit of each currency.
 *
 * IDR uses 0 (minor unit = 1 rupiah), not ISO 4217's 2: that matches what
 * `Intl.NumberFormat` (CLDR) displays and how app stores price rupiah, so a
 * stored amount is always exactly what the user sees. JPY is 0 (1 yen).
 */
export const CURRENCY_MINOR_DIGITS: Readonly<Record<Currency, number>> = Object.freeze({
  USD: 2,
  EUR: 2,
  GBP: 2,
  JPY: 0,
  IDR: 0,
});

/** Returns true when `value` is a supported currency code. */
export function isCurrency(value: unknown): value is Currency {
  return typeof value === "string" && (CURRENCIES as readonly string[]).includes(value);
}

/** Returns the number of minor units in one major unit (100n for USD, 1n for JPY). */
export function getMinorPerMajor(currency: Currency): bigint {
  return 10n ** BigInt(CURRENCY_MINOR_DIGITS[currency]);
}

function absBig(value: bigint): bigint {
  return value < 0n ? -value : value;
}

function gcd(a: bigint, b: bigint): bigint {
  let x = absBig(a);
  let y = absBig(b);
  while (y !== 0n) {
    [x, y] = [y, x % y];
  }
  return x;
}

/** Creates a reduced rational with a positive denominator. Throws `RangeError` when `den` is 0. */
export function rational(num: bigint, den: bigint = 1n): Rational {
  if (den === 0n) throw new RangeError("Rational denominator must not be zero");
  const sign = den < 0n ? -1n : 1n;
  const divisor = gcd(num, den) || 1n;
  return Object.freeze({ num: (sign * num) / divisor, den: (sign * den) / divisor });
}

/** Floor division `⌊a / b⌋` for bigints of any sign (native `/` truncates toward zero). */
export function floorDiv(a: bigint, b: bigint): bigint {
  if (b === 0n) throw new RangeError("Division by zero");
  const quotient = a / b;
  const hasRemainder = a % b !== 0n;
  const signsDiffer = a < 0n !== b < 0n;
  return hasRemainder && signsDiffer ? quotient - 1n : quotient;
}

/** Ceiling division `⌈a / b⌉` for bigints of any sign. */
export function ceilDiv(a: bigint, b: bigint): bigint {
  return -floorDiv(-a, b);
}

/** Result of {@link mulFloor}: `amount × rate == value + remainder`, with `0 ≤ remainder < 1`. */
export type FloorResult = { readonly value: bigint; readonly remainder: Rational };

/** Multiplies an integer by a rational and floors, returning the exact fractional remainder in [0, 1). */
export function mulFloor(amount: bigint, rate: Rational): FloorResult {
  const r = rational(rate.num, rate.den);
  const product = amount * r.num;
  const value = floorDiv(product, r.den);
  return { value, remainder: rational(product - value * r.den, r.den) };
}

/** Multiplies an integer by a rational and rounds up (`⌈amount × rate⌉`). */
export function mulCeil(amount: bigint, rate: Rational): bigint {
  const r = rational(rate.num, rate.den);
  return ceilDiv(amount * r.num, r.den);
}

/** Rounds a rational to the nearest integer, halves rounding up (toward +∞). */
export function roundHalfUp(value: Rational): bigint {
  const r = rational(value.num, value.den);
  return floorDiv(2n * r.num + r.den, 2n * r.den);
}

/** Compares two rationals exactly by cross-multiplication: -1 if a < b, 0 if equal, 1 if a > b. */
export function compareRationals(a: Rational, b: Rational): -1 | 0 | 1 {
  const x = rational(a.num, a.den);
  const y = rational(b.num, b.den);
  const left = x.num * y.den;
  const right = y.num * x.den;
  if (left === right) return 0;
  return left < right ? -1 : 1;
}

/** Returns true when two rationals denote the same value. */
export function rationalEquals(a: Rational, b: Rational): boolean {
  return compareRationals(a, b) === 0;
}

/** Adds two rationals exactly. */
export function addRationals(a: Rational, b: Rational): Rational {
  return rational(a.num * b.den + b.num * a.den, a.den * b.den);
}

/** Subtracts `b` from `a` exactly. */
export function subtractRationals(a: Rational, b: Rational): Rational {
  return rational(a.num * b.den - b.num * a.den, a.den * b.den);
}

/**
 * Renders a scaled integer as a plain decimal string, e.g. (12345n, 2) → "123.45",
 * (-5n, 2) → "-0.05", (160n, 0) → "160". Pure bigint arithmetic.
 */
export function toDecimalString(scaled: bigint, fractionDigits: number): string {
  if (!Number.isInteger(fractionDigits) || fractionDigits < 0) {
    throw new RangeError(`fractionDigits must be a non-negative integer, got ${fractionDigits}`);
  }
  const sign = scaled < 0n ? "-" : "";
  const magnitude = absBig(scaled);
  if (fractionDigits === 0) return `${sign}${magnitude}`;
  const unit = 10n ** BigInt(fractionDigits);
  const whole = magnitude / unit;
  const fraction = (magnitude % unit).toString().padStart(fractionDigits, "0");
  return `${sign}${whole}.${fraction}`;
}

function formatDecimal(decimal: string, options: Intl.NumberFormatOptions, locale: string): string {
  // Intl.NumberFormat formats decimal strings exactly (no float conversion) in Node ≥ 19.
  return new Intl.NumberFormat(locale, options).format(decimal as `${number}`);
}

/**
 * Formats an amount in minor units as currency, e.g. (499n, 'USD') → "$4.99",
 * (160n, 'JPY') → "¥160", (16000n, 'IDR', 'id-ID') → "Rp 16.000".
 */
export function formatMoney(minor: bigint, currency: Currency, locale: string = "en-US"): string {
  const digits = CURRENCY_MINOR_DIGITS[currency];
  return formatDecimal(toDecimalString(minor, digits), { style: "currency", currency, minimumFractionDigits: digits, maximumFractionDigits: digits }, locale);
}

/** Formats a coin count with grouping, e.g. 17500n → "17,500". */
export function formatCoins(coins: bigint, locale: string = "en-US"): string {
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }).format(coins);
}

/** Formats milli-diamonds as diamonds with up to 3 decimals, e.g. 1234500n → "1,234.5". */
export function formatDiamonds(diamondsMinor: bigint, locale: string = "en-US"): string {
  return formatDecimal(toDecimalString(diamondsMinor, 3), { minimumFractionDigits: 0, maximumFractionDigits: 3 }, locale);
}

/**
 * Formats a rate in minor units per coin as a currency amount per coin, rounded
 * half-up (display only) to `minorDigits + extraDigits` decimals,
 * e.g. ({num: 99n, den: 70n}, 'USD') → "$0.0141", ({num: 16000n, den: 70n}, 'IDR') → "IDR 228.57".
 */
export function formatPricePerCoin(minorPerCoin: Rational, currency: Currency, locale: string = "en-US", extraDigits: number = 2): string {
  const digits = CURRENCY_MINOR_DIGITS[currency] + extraDigits;
  const scale = 10n ** BigInt(extraDigits);
  const scaled = roundHalfUp(rational(minorPerCoin.num * scale, minorPerCoin.den));
  return formatDecimal(toDecimalString(scaled, digits), { style: "currency", currency, minimumFractionDigits: digits, maximumFractionDigits: digits }, locale);
}

/**
 * An amount of any ledger asset for people, in its own unit: "12,345 coins",
 * "743 diamonds" (from milli-diamonds), "$86.04". Any other asset shows its
 * minor units with the asset's code.
 */
export function formatAssetAmount(minor: bigint, asset: string, locale: string = "en-US"): string {
  if (asset === "COIN") return `${formatCoins(minor, locale)} ${minor === 1n || minor === -1n ? "coin" : "coins"}`;
  if (asset === "DIAMOND") return `${formatDiamonds(minor, locale)} ${minor === 1000n || minor === -1000n ? "diamond" : "diamonds"}`;
  if (isCurrency(asset)) return formatMoney(minor, asset, locale);
  return `${minor} ${asset}`;
}
