// A treasure box as pages and live events carry it, and the pure rule by which
// a page keeps the newest state of each box: no I/O, safe in the browser.
//
// Every change of a box (dropped, a viewer joined, opened) is a stored
// `treasure` live event whose body is the box as JSON, replayed after a
// reconnect like gifts. Events may reach a page more than once or after the
// page's own answer to a join, so a page keeps, per box, the state with the
// highest `rev`.
import type { TreasureStatus } from "@/lib/economy/treasure";
import type { ViewerBadges } from "./badges";

export interface TreasureWinner {
  userId: string;
  name: string;
  /** Coins won, as decimal text. */
  coins: string;
}

/**
 * The badges beside a name in the box's LIVE, as of the box's latest change
 * (lib/live/badges.ts). Absent on boxes announced before badges were shown.
 */
export type TreasureBadges = Partial<ViewerBadges>;

export interface TreasureView {
  id: string;
  /** Creation order: a higher number is a newer box. */
  no: string;
  /** Raised by every change (a join, the opening). */
  rev: number;
  streamId: string;
  dropperId: string;
  dropperName: string;
  dropperBadges?: TreasureBadges;
  /** Coins in the box, as decimal text. */
  coins: string;
  slots: number;
  countdownSeconds: number;
  status: TreasureStatus;
  droppedAt: string;
  /** When the countdown ends (ISO, the database clock). */
  opensAt: string;
  openedAt: string | null;
  entrants: number;
  /** SHA-256 of the seed, shown from the drop: the seed revealed to operators later must hash to it. */
  seedHash: string;
  /** In draw order; empty until opened, and empty when nobody joined (the coins went back). */
  winners: Array<TreasureWinner & TreasureBadges>;
  /**
   * On a stored event of an opened box with many winners: a NOTIFY carries at
   * most 8,000 bytes, so the winners come in several events of the same rev
   * (written in one transaction), and `winners` here is part `index` of `count`.
   */
  part?: { index: number; count: number };
}

/** Boxes a page keeps at most (the newest). */
export const TREASURE_BOXES_SHOWN = 5;

/** Reads a box from JSON sent by the server; null when it is not one. */
export function parseTreasureView(data: unknown): TreasureView | null {
  if (!data || typeof data !== "object") return null;
  const b = data as Partial<TreasureView>;
  if (typeof b.id !== "string" || typeof b.no !== "string" || typeof b.rev !== "number" || typeof b.status !== "string") return null;
  if (typeof b.coins !== "string" || typeof b.opensAt !== "string" || !Array.isArray(b.winners)) return null;
  if (!b.winners.every((w) => w && typeof w.userId === "string" && typeof w.name === "string" && typeof w.coins === "string")) return null;
  return b as TreasureView;
}

const number = (text: string): bigint => (/^\d{1,19}$/.test(text) ? BigInt(text) : -1n);

/**
 * The page's boxes with `next` merged in, newest first, at most
 * TREASURE_BOXES_SHOWN: the higher rev of the same box wins, and the parts of
 * one opening's winners add up (in any order, each once).
 */
export function mergeTreasureBoxes(boxes: readonly TreasureView[], next: TreasureView): readonly TreasureView[] {
  const current = boxes.find((b) => b.id === next.id);
  let box: TreasureView = { ...next };
  delete box.part;
  if (current && current.rev > next.rev) return boxes;
  if (current && current.rev === next.rev) {
    const known = new Set(current.winners.map((w) => w.userId));
    const added = next.winners.filter((w) => !known.has(w.userId));
    if (!added.length) return boxes;
    box = { ...current, winners: [...current.winners, ...added] };
  }
  const merged = [box, ...boxes.filter((b) => b.id !== next.id)];
  merged.sort((a, b) => {
    const d = number(b.no) - number(a.no);
    return d > 0n ? 1 : d < 0n ? -1 : 0;
  });
  return merged.slice(0, TREASURE_BOXES_SHOWN);
}

/** A winner's share by user id, or null. */
export function shareOf(box: TreasureView, userId: string | null): string | null {
  if (!userId) return null;
  return box.winners.find((w) => w.userId === userId)?.coins ?? null;
}

/** What a stream page renders its treasure box panel from. */
export interface TreasureInit {
  userId: string | null;
  /** The stream's open boxes and those opened lately, newest first. */
  boxes: TreasureView[];
  /** Of those, the boxes this person has joined. */
  joined: string[];
  /** Why this person can neither drop nor join (signed out, under 18, frozen), or null. */
  refusal: string | null;
  /** The shortest countdown the drop form offers (seconds). */
  minSeconds: number;
}
