// A LIVE Match as pages and live events carry it, and the pure rules by which
// a page keeps the newest state: no I/O, safe in the browser.
//
// A page hears a match three ways: stored `match` events (each change of
// status, in commit order with the gifts, replayed after a reconnect), a
// `match-state` snapshot when it connects, and `score` updates after every
// scoring batch (not stored: the scores are state, the snapshot carries them).
// These can arrive out of order and more than once, so every merge keeps the
// newer of two: a newer match by `no`, a newer status by `rev`, newer scores by
// `scoreVersion`. A score therefore never goes backwards on screen.
import type { MatchOutcome, MatchSide } from "@/lib/economy/match";

export type MatchStatus = "INVITED" | "ACTIVE" | "ENDED" | "DECLINED" | "EXPIRED" | "CANCELLED";

export interface MatchGifter {
  name: string;
  coins: string;
  /** Their gifter level when the match ended (absent for matches that ended before levels, null when anonymous). */
  level?: number | null;
}

export interface MatchSideView {
  streamId: string;
  creatorId: string;
  creatorName: string;
  /** Points (= coins of the gifts scored), as decimal text. */
  score: string;
  /** Top gifters at the end, the MVP first (empty until the match ends). */
  top: MatchGifter[];
}

export interface MatchView {
  id: string;
  /** Creation order: a higher number is a newer match. */
  no: string;
  /** Raised by every change of status. */
  rev: number;
  status: MatchStatus;
  /** Side B was picked at random among creators who opted in. */
  random: boolean;
  durationSeconds: number;
  /** When an unanswered invitation lapses (ISO). */
  expiresAt: string;
  startedAt: string | null;
  endsAt: string | null;
  endedAt: string | null;
  /** Raised by every scoring batch. */
  scoreVersion: string;
  outcome: MatchOutcome | null;
  forfeitedBy: MatchSide | null;
  /** Side A sent the invitation. */
  a: MatchSideView;
  b: MatchSideView;
}

/** A `score` update: the match, both totals, its version, and the database time it was scored. */
export interface MatchScore {
  match: string;
  a: string;
  b: string;
  v: string;
  at: string;
}

const DIGITS = /^\d{1,19}$/;

const big = (text: string): bigint => (DIGITS.test(text) ? BigInt(text) : -1n);

/** True while the match holds both creators (invited and waiting, or running). */
export function isOpenMatch(match: MatchView | null): boolean {
  return match !== null && (match.status === "INVITED" || match.status === "ACTIVE");
}

/**
 * The newer of two states of a page's match. A snapshot without a match
 * (`next` null) changes nothing: a match that ended while the page was away
 * reaches it as a stored event.
 */
export function mergeMatch(current: MatchView | null, next: MatchView | null): MatchView | null {
  if (!next) return current;
  if (!current) return next;
  const order = big(next.no) - big(current.no);
  if (order > 0n) return next;
  if (order < 0n) return current;
  const newer = next.rev > current.rev ? next : next.rev < current.rev ? current : big(next.scoreVersion) > big(current.scoreVersion) ? next : current;
  const scores = big(next.scoreVersion) > big(current.scoreVersion) ? next : current;
  if (newer === scores) return newer;
  return { ...newer, scoreVersion: scores.scoreVersion, a: { ...newer.a, score: scores.a.score }, b: { ...newer.b, score: scores.b.score } };
}

/** Applies a score update to the page's match if it is about that match and newer than what the page shows. */
export function applyMatchScore(current: MatchView | null, score: MatchScore): MatchView | null {
  if (!current || current.id !== score.match) return current;
  if (!DIGITS.test(score.v) || !DIGITS.test(score.a) || !DIGITS.test(score.b)) return current;
  if (big(score.v) <= big(current.scoreVersion)) return current;
  return { ...current, scoreVersion: score.v, a: { ...current.a, score: score.a }, b: { ...current.b, score: score.b } };
}

/** Reads a match from JSON sent by the server (a stored event's body, a snapshot); null when it is not one. */
export function parseMatchView(data: unknown): MatchView | null {
  if (!data || typeof data !== "object") return null;
  const m = data as Partial<MatchView>;
  if (typeof m.id !== "string" || typeof m.no !== "string" || typeof m.rev !== "number" || typeof m.status !== "string") return null;
  if (!m.a || !m.b || typeof m.a.streamId !== "string" || typeof m.b.streamId !== "string") return null;
  return m as MatchView;
}

/** Reads a score update; null when it is not one. */
export function parseMatchScore(data: unknown): MatchScore | null {
  if (!data || typeof data !== "object") return null;
  const s = data as Partial<MatchScore>;
  if (typeof s.match !== "string" || typeof s.a !== "string" || typeof s.b !== "string" || typeof s.v !== "string") return null;
  return { match: s.match, a: s.a, b: s.b, v: s.v, at: typeof s.at === "string" ? s.at : "" };
}

/** Which side a stream is in a match, or null. */
export function sideOf(match: MatchView, streamId: string): MatchSide | null {
  if (match.a.streamId === streamId) return "A";
  if (match.b.streamId === streamId) return "B";
  return null;
}
