/**
 * LIVE Match rules (the "battle" between two creators): how long a match runs,
 * how a gift scores, who wins. Pure: no I/O, no clock (callers pass `now`).
 * The database applies the same rules when it scores (see
 * prisma/migrations/20261218000000_live_match) and decides the end by its own
 * clock; these functions are what the pages and tests reason with.
 */

export const MATCH_RULES = {
  /** How long a match runs once accepted. */
  durationSeconds: 300,
  /** How long an invitation waits for an answer. */
  inviteSeconds: 30,
  /** The last seconds of a match are highlighted. */
  finalSeconds: 30,
  /** Top gifters shown per side at the end (the first is the MVP). */
  topGifters: 3,
  /** Bounds for a configured duration (LIVE_MATCH_SECONDS). */
  minDurationSeconds: 5,
  maxDurationSeconds: 3600,
} as const;

export type MatchSide = "A" | "B";
export type MatchOutcome = "A" | "B" | "TIE";

/**
 * Points a gift scores for its side: its coin value (1 coin = 1 point). The
 * one place to weight gift types later; the scoring SQL sums the same coins.
 */
export function matchPoints(coins: bigint): bigint {
  return coins;
}

/** The side with more points wins; equal points are a tie; a side that forfeits loses whatever the score. */
export function matchOutcome(scoreA: bigint, scoreB: bigint, forfeitedBy: MatchSide | null): MatchOutcome {
  if (forfeitedBy === "A") return "B";
  if (forfeitedBy === "B") return "A";
  if (scoreA > scoreB) return "A";
  if (scoreB > scoreA) return "B";
  return "TIE";
}

/** Whole seconds left until `endsAtMs` (0 once it has passed), rounded up so a countdown never shows 0 early. */
export function secondsLeft(nowMs: number, endsAtMs: number): number {
  if (!Number.isFinite(nowMs) || !Number.isFinite(endsAtMs)) return 0;
  return Math.max(0, Math.ceil((endsAtMs - nowMs) / 1000));
}

/** "running" until the last `finalSeconds`, then "final", then "over" (the server ends it shortly after). */
export function matchPhase(nowMs: number, endsAtMs: number, finalSeconds: number = MATCH_RULES.finalSeconds): "running" | "final" | "over" {
  const left = secondsLeft(nowMs, endsAtMs);
  if (left <= 0) return "over";
  return left <= finalSeconds ? "final" : "running";
}

/**
 * Side A's share of the score bar in basis points (0–10,000), exact in
 * bigint: half each while nobody has scored.
 */
export function scoreShareBasisPoints(scoreA: bigint, scoreB: bigint): number {
  const total = scoreA + scoreB;
  if (total <= 0n) return 5_000;
  return Number((scoreA * 10_000n) / total);
}

/** "4:05" for a countdown. */
export function formatCountdown(seconds: number): string {
  const s = Math.max(0, Math.trunc(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}
