/**
 * Conversions: gifted coins → creator diamonds → cash (USD cents), and withdrawal quotes.
 *
 * Conservation rules (nothing is created or destroyed):
 * - Coins → diamonds: the creator is credited ⌊coins × 1000 × share⌋ milli-diamonds. The exact
 *   sub-milli-diamond fraction is returned as `remainder` and is never issued; it stays with the
 *   platform as undistributed gift revenue. Coins are never lost: the full coin amount of a gift
 *   is booked as gift revenue, the diamonds are a separate liability to the creator.
 * - Diamonds → cash: cents = ⌊milli-diamonds × rate⌋; only the milli-diamonds needed to buy those
 *   cents are spent, the rest stays in the creator's wallet (`used + leftover == input`).
 */
import { DIAMOND_MINOR_PER_DIAMOND, type Rational, ceilDiv, formatMoney, mulCeil, mulFloor, rational } from "./money";
import { type EconomyResult, fail, succeed } from "./result";

/** Share of a gift's coin value credited to the creator as diamonds (50 %). */
export const DEFAULT_CREATOR_SHARE: Rational = rational(1n, 2n);

/** Milli-diamonds per coin of gift value before the creator share (1 coin = 1 diamond). */
export const DIAMOND_MINOR_PER_COIN = DIAMOND_MINOR_PER_DIAMOND;

/** Result of {@link convertCoinsToDiamonds}: `diamondsMinor + remainder == coins × 1000 × share` exactly. */
export type CoinsToDiamonds = { readonly diamondsMinor: bigint; readonly remainder: Rational };

function assertNonNegative(value: bigint, name: string): void {
  if (value < 0n) throw new RangeError(`${name} must not be negative, got ${value}`);
}

function assertShare(share: Rational): void {
  const isValid = share.den > 0n && share.num >= 0n && share.num <= share.den;
  if (!isValid) throw new RangeError(`Creator share must be in [0, 1], got ${share.num}/${share.den}`);
}

/**
 * Converts a gift's coin value into the creator's milli-diamonds.
 * Rounding: floor; the exact fraction of one milli-diamond (0 ≤ remainder < 1) is not issued.
 * With the default 50 % share every whole-coin gift converts exactly (1 coin → 500 milli-diamonds).
 */
export function convertCoinsToDiamonds(coins: bigint, share: Rational = DEFAULT_CREATOR_SHARE): CoinsToDiamonds {
  assertNonNegative(coins, "coins");
  assertShare(share);
  const { value, remainder } = mulFloor(coins * DIAMOND_MINOR_PER_COIN, share);
  return { diamondsMinor: value, remainder };
}

/** Cash value of diamonds: $0.005 per diamond = ½ cent per diamond = 1/2000 cent per milli-diamond. */
export const DEFAULT_DIAMOND_CASH_RATE: Rational = rational(1n, 2000n);

/** Result of {@link convertDiamondsToCash}: `usedDiamondsMinor + leftoverDiamondsMinor == input`. */
export type DiamondsToCash = {
  readonly cents: bigint;
  readonly usedDiamondsMinor: bigint;
  readonly leftoverDiamondsMinor: bigint;
};

function assertPositiveRate(rate: Rational): void {
  if (!(rate.den > 0n && rate.num > 0n)) throw new RangeError(`Cash rate must be positive, got ${rate.num}/${rate.den}`);
}

/**
 * Smallest number of milli-diamonds whose cash value is at least `cents`: ⌈cents ÷ rate⌉.
 * For a rate of the form 1/k (like the default) this is exactly `cents × k`.
 */
export function getDiamondsNeededForCents(cents: bigint, rate: Rational = DEFAULT_DIAMOND_CASH_RATE): bigint {
  assertNonNegative(cents, "cents");
  assertPositiveRate(rate);
  return ceilDiv(cents * rate.den, rate.num);
}

/**
 * Converts milli-diamonds to whole cents at `rate` (cents per milli-diamond).
 * cents = ⌊diamondsMinor × rate⌋; usedDiamondsMinor = ⌈cents ÷ rate⌉ (the fewest milli-diamonds
 * that buy those cents) and the rest is left in the wallet.
 * Proof that used ≤ input: cents ≤ input × rate ⇒ cents ÷ rate ≤ input, and input is an integer,
 * so ⌈cents ÷ rate⌉ ≤ input. With a 1/k rate `used × rate == cents` exactly; with a rate whose
 * reduced numerator is > 1 the used milli-diamonds may be worth up to one milli-diamond's value
 * more than `cents` (that sliver is not paid out).
 */
export function convertDiamondsToCash(diamondsMinor: bigint, rate: Rational = DEFAULT_DIAMOND_CASH_RATE): DiamondsToCash {
  assertNonNegative(diamondsMinor, "diamondsMinor");
  assertPositiveRate(rate);
  const cents = mulFloor(diamondsMinor, rate).value;
  const usedDiamondsMinor = getDiamondsNeededForCents(cents, rational(rate.num, rate.den));
  return { cents, usedDiamondsMinor, leftoverDiamondsMinor: diamondsMinor - usedDiamondsMinor };
}

/** Longest reason an operator may give when rejecting a withdrawal (the creator reads it). */
export const WITHDRAWAL_REJECTION_REASON_MAX = 200;

/** Payout methods. */
export const WITHDRAWAL_METHODS = Object.freeze(["bank", "paypal"] as const);

/** A payout method. */
export type WithdrawalMethod = (typeof WITHDRAWAL_METHODS)[number];

/** Fee = max(minimumCents, flatCents + ⌈gross × percent⌉), all in USD cents. */
export type WithdrawalFeeRule = {
  readonly percent: Rational;
  readonly flatCents: bigint;
  readonly minimumCents: bigint;
};

/** Parameters of withdrawals. Amounts are USD cents; the daily limit applies to gross amounts. */
export type WithdrawalRules = {
  readonly minimumCents: bigint;
  readonly dailyLimitCents: bigint;
  readonly cashRate: Rational;
  readonly fees: Readonly<Record<WithdrawalMethod, WithdrawalFeeRule>>;
  readonly reviewDelaySeconds: number;
};

/**
 * Default withdrawal rules: minimum $10.00, at most $1,000.00 gross per day,
 * bank fee 1 % rounded up to the cent with a $0.25 minimum, PayPal fee $0.30 + 2 % (rounded up),
 * 60 s review delay, diamonds valued at {@link DEFAULT_DIAMOND_CASH_RATE}.
 */
export const DEFAULT_WITHDRAWAL_RULES: WithdrawalRules = Object.freeze({
  minimumCents: 1000n,
  dailyLimitCents: 100000n,
  cashRate: DEFAULT_DIAMOND_CASH_RATE,
  fees: Object.freeze({
    bank: Object.freeze({ percent: rational(1n, 100n), flatCents: 0n, minimumCents: 25n }),
    paypal: Object.freeze({ percent: rational(2n, 100n), flatCents: 30n, minimumCents: 0n }),
  }),
  reviewDelaySeconds: 60,
});

/** Computes the fee in cents for a gross withdrawal: max(minimum, flat + ⌈gross × percent⌉). */
export function calculateWithdrawalFee(grossCents: bigint, method: WithdrawalMethod, rules: WithdrawalRules = DEFAULT_WITHDRAWAL_RULES): bigint {
  assertNonNegative(grossCents, "grossCents");
  const fee = rules.fees[method];
  const computed = fee.flatCents + mulCeil(grossCents, fee.percent);
  return computed > fee.minimumCents ? computed : fee.minimumCents;
}

/** A withdrawal request. `diamondsMinor` is what the creator wants to convert. */
export type WithdrawalRequest = {
  readonly diamondsMinor: bigint;
  readonly method: WithdrawalMethod;
  readonly withdrawnTodayCents?: bigint;
  readonly rules?: WithdrawalRules;
};

/** An accepted withdrawal quote. Invariants: gross = fee + net, net > 0, used + leftover = requested. */
export type WithdrawalQuote = {
  readonly method: WithdrawalMethod;
  readonly grossCents: bigint;
  readonly feeCents: bigint;
  readonly netCents: bigint;
  /** Milli-diamonds actually spent (exactly buys `grossCents`). */
  readonly diamondsMinor: bigint;
  /** Milli-diamonds of the request that stay in the wallet (worth less than one cent). */
  readonly leftoverDiamondsMinor: bigint;
  readonly reviewDelaySeconds: number;
};

/** Error codes of {@link quoteWithdrawal}. */
export type WithdrawalErrorCode = "NOTHING_TO_WITHDRAW" | "BELOW_MINIMUM" | "DAILY_LIMIT_EXCEEDED" | "FEE_EXCEEDS_AMOUNT";

const usd = (cents: bigint): string => formatMoney(cents, "USD");

function checkDailyLimit(grossCents: bigint, withdrawnTodayCents: bigint, rules: WithdrawalRules): EconomyResult<null, "DAILY_LIMIT_EXCEEDED"> {
  if (withdrawnTodayCents + grossCents <= rules.dailyLimitCents) return succeed(null);
  const remaining = rules.dailyLimitCents > withdrawnTodayCents ? rules.dailyLimitCents - withdrawnTodayCents : 0n;
  return fail(
    "DAILY_LIMIT_EXCEEDED",
    `Withdrawals are limited to ${usd(rules.dailyLimitCents)} per day. You have already withdrawn ` +
      `${usd(withdrawnTodayCents)} today, so you can withdraw at most ${usd(remaining)} more ` +
      `(requested ${usd(grossCents)}).`,
  );
}

/**
 * Quotes a withdrawal of `diamondsMinor` milli-diamonds. Checks, in order:
 * NOTHING_TO_WITHDRAW (worth < 1 cent), BELOW_MINIMUM (gross < minimum),
 * DAILY_LIMIT_EXCEEDED (today's gross + this gross > limit), FEE_EXCEEDS_AMOUNT (net would be ≤ 0).
 */
export function quoteWithdrawal(request: WithdrawalRequest): EconomyResult<WithdrawalQuote, WithdrawalErrorCode> {
  const { method, rules = DEFAULT_WITHDRAWAL_RULES, withdrawnTodayCents = 0n } = request;
  assertNonNegative(withdrawnTodayCents, "withdrawnTodayCents");
  const requested = request.diamondsMinor > 0n ? request.diamondsMinor : 0n;
  const cash = convertDiamondsToCash(requested, rules.cashRate);
  if (cash.cents === 0n) {
    return fail("NOTHING_TO_WITHDRAW", "There is nothing to withdraw: your diamonds are worth less than $0.01.");
  }
  if (cash.cents < rules.minimumCents) {
    return fail("BELOW_MINIMUM", `The minimum withdrawal is ${usd(rules.minimumCents)}; these diamonds are worth ${usd(cash.cents)}.`);
  }
  const limit = checkDailyLimit(cash.cents, withdrawnTodayCents, rules);
  if (!limit.ok) return limit;
  const feeCents = calculateWithdrawalFee(cash.cents, method, rules);
  if (feeCents >= cash.cents) {
    return fail("FEE_EXCEEDS_AMOUNT", `The ${usd(feeCents)} ${method} fee would consume the whole ${usd(cash.cents)}.`);
  }
  return succeed({
    method,
    grossCents: cash.cents,
    feeCents,
    netCents: cash.cents - feeCents,
    diamondsMinor: cash.usedDiamondsMinor,
    leftoverDiamondsMinor: cash.leftoverDiamondsMinor,
    reviewDelaySeconds: rules.reviewDelaySeconds,
  });
}
