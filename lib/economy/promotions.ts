/**
 * Recharge bonuses, defined as data: a first-recharge bonus plus time-boxed promotions.
 *
 * Bonus coins are always computed on the purchased coins (bonuses never compound) and floored.
 * Pure: the current time is passed in.
 */
import { type Rational, mulFloor, rational } from "./money";

/** Bonus on a user's first recharge: +10 % of the purchased coins, floored. */
export const FIRST_RECHARGE_BONUS: Rational = rational(1n, 10n);

/** Line id of the first-recharge bonus in {@link computeBonus}. */
export const FIRST_RECHARGE_BONUS_ID = "first-recharge";

/** Line title of the first-recharge bonus in {@link computeBonus}. */
export const FIRST_RECHARGE_BONUS_TITLE = "First recharge bonus";

/**
 * A time-boxed promotion. Active when `startsAt ≤ now < endsAt` (ISO 8601 instants) and the
 * recharge is at least `minCoins`; it then adds `⌊coins × bonus⌋` coins.
 */
export type Promotion = {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly startsAt: string;
  readonly endsAt: string;
  readonly bonus: Rational;
  readonly minCoins: bigint;
};

/**
 * Promotions, in priority order (on an exact tie in bonus coins the earlier one is applied).
 * Includes an expired and a future promotion so time boxing is visible.
 */
export const PROMOTIONS: readonly Promotion[] = Object.freeze(
  [
    {
      id: "summer-kickoff",
      title: "Summer kickoff",
      description: "+8% bonus coins on recharges of 350 coins or more, June 1–7, 2025.",
      startsAt: "2025-06-01T00:00:00Z",
      endsAt: "2025-06-08T00:00:00Z",
      bonus: rational(8n, 100n),
      minCoins: 350n,
    },
    {
      id: "weekend-boost",
      title: "Weekend boost",
      description: "+5% bonus coins on recharges of 700 coins or more, November 20–29, 2026.",
      startsAt: "2026-11-20T00:00:00Z",
      endsAt: "2026-11-30T00:00:00Z",
      bonus: rational(5n, 100n),
      minCoins: 700n,
    },
    {
      id: "new-year-2027",
      title: "New Year bonus",
      description: "+15% bonus coins on recharges of 1,400 coins or more, December 31, 2026 – January 1, 2027.",
      startsAt: "2026-12-31T00:00:00Z",
      endsAt: "2027-01-02T00:00:00Z",
      bonus: rational(15n, 100n),
      minCoins: 1400n,
    },
  ].map((promo): Promotion => Object.freeze(promo)),
);

function parseInstant(label: string, iso: string): number {
  const time = Date.parse(iso);
  if (Number.isNaN(time)) throw new RangeError(`${label} is not a valid ISO date: "${iso}"`);
  return time;
}

function assertValidDate(now: Date): number {
  const time = now.getTime();
  if (Number.isNaN(time)) throw new RangeError("now must be a valid Date");
  return time;
}

/** True when `startsAt ≤ now < endsAt`. Throws `RangeError` for unparseable dates. */
export function isPromotionActive(promo: Promotion, now: Date): boolean {
  const time = assertValidDate(now);
  return parseInstant(`${promo.id}.startsAt`, promo.startsAt) <= time && time < parseInstant(`${promo.id}.endsAt`, promo.endsAt);
}

/** Promotions active at `now`, in their original order (regardless of coin minimums). */
export function activePromotions(now: Date, promotions: readonly Promotion[] = PROMOTIONS): Promotion[] {
  return promotions.filter((promo) => isPromotionActive(promo, now));
}

/** One line of a bonus breakdown. */
export type BonusLine = { readonly id: string; readonly title: string; readonly coins: bigint };

/** Bonus coins for a recharge, itemised. `totalBonus` is the sum of the lines. */
export type BonusBreakdown = { readonly totalBonus: bigint; readonly lines: BonusLine[] };

/** Input of {@link computeBonus}. */
export type BonusInput = {
  readonly coins: bigint;
  readonly isFirstRecharge: boolean;
  readonly now: Date;
  readonly promotions?: readonly Promotion[];
};

function assertRate(label: string, rate: Rational): void {
  if (rate.den <= 0n || rate.num < 0n) throw new RangeError(`${label} must be a non-negative rational, got ${rate.num}/${rate.den}`);
}

/**
 * Bonus coins for a recharge of `coins`: the first-recharge bonus (when applicable) plus the
 * single best promotion active at `now` whose `minCoins` the recharge reaches (most bonus coins;
 * ties → earlier in the list). Each line is floored; lines worth 0 coins are omitted.
 * Throws `RangeError` for negative coins, an invalid date or a negative bonus rate.
 */
export function computeBonus(input: BonusInput): BonusBreakdown {
  const { coins, isFirstRecharge, now } = input;
  const promotions = input.promotions ?? PROMOTIONS;
  if (coins < 0n) throw new RangeError(`coins must not be negative, got ${coins}`);
  assertValidDate(now);

  const lines: BonusLine[] = [];
  if (isFirstRecharge) {
    const bonus = mulFloor(coins, FIRST_RECHARGE_BONUS).value;
    if (bonus > 0n) lines.push({ id: FIRST_RECHARGE_BONUS_ID, title: FIRST_RECHARGE_BONUS_TITLE, coins: bonus });
  }

  let best: BonusLine | null = null;
  for (const promo of promotions) {
    assertRate(`${promo.id}.bonus`, promo.bonus);
    if (coins < promo.minCoins || !isPromotionActive(promo, now)) continue;
    const bonus = mulFloor(coins, promo.bonus).value;
    if (bonus > 0n && (best === null || bonus > best.coins)) best = { id: promo.id, title: promo.title, coins: bonus };
  }
  if (best) lines.push(best);

  return { totalBonus: lines.reduce((sum, line) => sum + line.coins, 0n), lines };
}
