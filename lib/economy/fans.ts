// Fan clubs: a viewer joins a creator's club by sending that creator a Heart
// Me during a LIVE, then earns fan points from activity in that creator's
// LIVEs, and the points make a fan level shown in the club's badge.
//
// - Gifts: FAN_CLUB_RULES.pointsPerCoin points per coin of every gift a member
//   sends the creator (the joining Heart Me included), uncapped: gift points are
//   checked against the ledger's gifts (`npm run reconcile`).
// - Watching: one point per minute watched, at most watchMinutesPerDay a day.
// - Chat: one point per message, at most chatPointsPerDay a day.
// - A membership lapses lapseDays after the member's last activity (a gift, a
//   minute watched or a chat in the creator's LIVEs); lapsed members keep their
//   points and level but show no badge until a Heart Me renews the membership.
//
// Days are UTC days of the database clock. Pure: no I/O, no clock.
import { fail, succeed, type EconomyResult } from "./result";

export const FAN_CLUB_RULES = {
  /** Days without any activity after which a membership lapses (FAN_CLUB_LAPSE_DAYS overrides it). */
  lapseDays: 7,
  /** Members are warned this many days before their membership lapses. */
  warnDays: 2,
  /** Minutes watched that earn points per member, club and UTC day. */
  watchMinutesPerDay: 30,
  /** Chat messages that earn points per member, club and UTC day. */
  chatPointsPerDay: 10,
  /** Bounds of a club name, in characters. */
  nameMinLength: 2,
  nameMaxLength: 8,
  /** Bounds for a configured lapse period. */
  minLapseDays: 1,
  maxLapseDays: 365,
} as const;

/** The lapse period by default (a parameter: FAN_CLUB_LAPSE_DAYS). */
export const FAN_CLUB_LAPSE_DAYS = FAN_CLUB_RULES.lapseDays;

/** The gift that joins a creator's fan club (or renews a lapsed membership). */
export const FAN_CLUB_JOIN_GIFT = "heart-me";

/** Fan points a gift of `coins` coins earns a member (1 point per coin). The reconcile check applies the same rule. */
export const FAN_POINTS_PER_COIN = 1n;

export function fanGiftPoints(coins: bigint): bigint {
  if (coins < 0n) throw new RangeError(`coins must not be negative, got ${coins}`);
  return coins * FAN_POINTS_PER_COIN;
}

/** Points needed for each fan level: FAN_LEVEL_THRESHOLDS[n - 1] is level n's (level 1 on joining). */
export const FAN_LEVEL_THRESHOLDS: readonly bigint[] = Object.freeze([0, 30, 100, 250, 500, 1_000, 2_000, 5_000, 10_000, 25_000].map(BigInt));

export const MAX_FAN_LEVEL = FAN_LEVEL_THRESHOLDS.length;

/** The fan level `points` make (1 to MAX_FAN_LEVEL). */
export function fanLevel(points: bigint): number {
  if (points < 0n) throw new RangeError(`points must not be negative, got ${points}`);
  let level = 0;
  while (level < MAX_FAN_LEVEL && FAN_LEVEL_THRESHOLDS[level]! <= points) level++;
  return level;
}

/** The new fan level when points go from `before` to `after`, or null when it did not rise. */
export function fanLevelReached(before: bigint, after: bigint): number | null {
  const to = fanLevel(after);
  return to > fanLevel(before) ? to : null;
}

/** Points still needed for the next level (null at the top level). */
export function fanPointsToNextLevel(points: bigint): { level: number; pointsToGo: bigint } | null {
  const level = fanLevel(points);
  if (level >= MAX_FAN_LEVEL) return null;
  return { level: level + 1, pointsToGo: FAN_LEVEL_THRESHOLDS[level]! - points };
}

/** Points a capped daily activity earns: `wanted` more on top of `already` today, at most `cap` a day. */
export function cappedDailyPoints(already: number, wanted: number, cap: number): number {
  if (![already, wanted, cap].every((n) => Number.isInteger(n) && n >= 0)) throw new RangeError("daily points are whole, non-negative numbers");
  return Math.max(0, Math.min(wanted, cap - already));
}

export type FanClubNameError = "EMPTY" | "TOO_SHORT" | "TOO_LONG" | "CHARACTERS";

/**
 * A club name as the creator types it: trimmed, 2–8 letters or digits (any
 * script; no spaces, punctuation, emoji or control characters), NFC-normalised.
 */
export function validateFanClubName(raw: string): EconomyResult<string, FanClubNameError> {
  const name = raw.trim().normalize("NFC");
  if (!name) return fail("EMPTY", "Name your fan club first.");
  const length = [...name].length;
  if (!/^[\p{L}\p{N}]+$/u.test(name)) return fail("CHARACTERS", "A fan club name has only letters and digits (no spaces, symbols or emoji).");
  if (length < FAN_CLUB_RULES.nameMinLength) return fail("TOO_SHORT", `A fan club name has at least ${FAN_CLUB_RULES.nameMinLength} characters.`);
  if (length > FAN_CLUB_RULES.nameMaxLength) return fail("TOO_LONG", `A fan club name has at most ${FAN_CLUB_RULES.nameMaxLength} characters.`);
  return succeed(name);
}

/**
 * The name a club has until its creator names it: the letters and digits of
 * the first word of the creator's name ("Cleo Creator" → "Cleo"), else of the
 * whole name, at most 8; "Fans" when there are not 2.
 */
export function defaultFanClubName(creatorName: string): string {
  const lettersOf = (text: string) => [...text].filter((c) => /^[\p{L}\p{N}]$/u.test(c)).slice(0, FAN_CLUB_RULES.nameMaxLength);
  const name = creatorName.normalize("NFC").trim();
  for (const letters of [lettersOf(name.split(/\s+/)[0] ?? ""), lettersOf(name)]) {
    if (letters.length >= FAN_CLUB_RULES.nameMinLength) return letters.join("");
  }
  return "Fans";
}

const DAY_MS = 86_400_000;

export type FanMembershipState =
  | { state: "active"; lapsesAt: number; daysLeft: number }
  /** Within the warning window: the member is told it is about to lapse. */
  | { state: "warning"; lapsesAt: number; daysLeft: number }
  | { state: "lapsed"; lapsedAt: number };

/**
 * Where a membership stands at `now` (ms) given its last activity (ms): it
 * lapses `lapseDays` after the last activity; `daysLeft` is rounded up (a
 * member with 30 hours left has 2 days left).
 */
export function fanMembershipState(
  lastActiveAt: number,
  now: number,
  lapseDays: number = FAN_CLUB_RULES.lapseDays,
  warnDays: number = FAN_CLUB_RULES.warnDays,
): FanMembershipState {
  const lapsesAt = lastActiveAt + lapseDays * DAY_MS;
  if (now >= lapsesAt) return { state: "lapsed", lapsedAt: lapsesAt };
  const daysLeft = Math.ceil((lapsesAt - now) / DAY_MS);
  return { state: lapsesAt - now <= warnDays * DAY_MS ? "warning" : "active", lapsesAt, daysLeft };
}
