// Gifter levels: a viewer's level comes from the coins they have ever spent
// on gifts (levels 1–50, level 1 at the first coin). The thresholds grow about
// 1.44× a level (from 1 coin to 50,000,000 coins, rounded to two significant
// figures), so the first levels come within minutes and the last take years.
// The coins are counted from the ledger's gift postings (gifter_totals, folded
// with the earnings aggregates); this module only says what level they make.

/** Coins spent on gifts needed for each level: GIFTER_LEVEL_THRESHOLDS[n - 1] is level n's. */
export const GIFTER_LEVEL_THRESHOLDS: readonly bigint[] = Object.freeze(
  [
    1, 2, 3, 4, 5, 6, 9, 13, 18, 26, 37, 53, 77, 110, 160, 230, 330, 470, 670, 970, 1_400, 2_000, 2_900, 4_100, 5_900, 8_500, 12_000, 17_000, 25_000, 36_000,
    52_000, 74_000, 110_000, 150_000, 220_000, 320_000, 450_000, 650_000, 930_000, 1_300_000, 1_900_000, 2_800_000, 4_000_000, 5_700_000, 8_200_000, 12_000_000,
    17_000_000, 24_000_000, 35_000_000, 50_000_000,
  ].map(BigInt),
);

export const MAX_GIFTER_LEVEL = GIFTER_LEVEL_THRESHOLDS.length;

/** The level `coins` spent on gifts make: 0 before the first coin, at most MAX_GIFTER_LEVEL. */
export function gifterLevel(coins: bigint): number {
  let level = 0;
  while (level < MAX_GIFTER_LEVEL && GIFTER_LEVEL_THRESHOLDS[level]! <= coins) level++;
  return level;
}

export interface GifterProgress {
  level: number;
  coins: bigint;
  /** The next level and the coins still needed to reach it; null at the top level. */
  next: { level: number; coinsToGo: bigint; threshold: bigint } | null;
  /** Progress from this level's threshold to the next in whole percent (0–100, floored). */
  percent: number;
}

/** Where `coins` spent on gifts stand: the level, the next one and how far there is to go. */
export function gifterProgress(coins: bigint): GifterProgress {
  if (coins < 0n) throw new RangeError(`coins must not be negative, got ${coins}`);
  const level = gifterLevel(coins);
  if (level === MAX_GIFTER_LEVEL) return { level, coins, next: null, percent: 100 };
  const from = level === 0 ? 0n : GIFTER_LEVEL_THRESHOLDS[level - 1]!;
  const threshold = GIFTER_LEVEL_THRESHOLDS[level]!;
  return { level, coins, next: { level: level + 1, coinsToGo: threshold - coins, threshold }, percent: Number(((coins - from) * 100n) / (threshold - from)) };
}

/** The levels passed when a gifter's coins go from `before` to `after` (the new level, or null when it did not change). */
export function levelReached(before: bigint, after: bigint): number | null {
  const to = gifterLevel(after);
  return to > gifterLevel(before) ? to : null;
}

/**
 * Badge colours by level band, as the apps do (a new colour every ten levels).
 * Returned as a band number 1–5 for the UI to style; 0 for no level.
 */
export function gifterBand(level: number): number {
  return level <= 0 ? 0 : Math.min(5, Math.ceil(level / 10));
}
