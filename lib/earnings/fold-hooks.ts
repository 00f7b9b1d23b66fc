// What else happens when gifts are folded into the aggregates: each hook runs
// in the fold's transaction (after the aggregates, gifter_totals included,
// hold the folded gifts), so it sees each committed gift exactly once, however
// many instances fold and whenever they restart. Listed here, not registered
// at run time: Next.js loads this module in several bundles, and every one of
// them must fold the same way.
import type pg from "pg";
import { foldFanClubs } from "../live/fans";
import { announceLevelUps } from "../live/levels";

/** Gifts folded in one pass, grouped by supporter, creator, stream and gift. */
export interface FoldedGifts {
  /** The gifter's user id (null for a coin account that belongs to nobody). */
  supporterId: string | null;
  creatorId: string | null;
  /** The stream the gifts were sent in (the nil UUID when they name none). */
  streamId: string;
  giftId: string;
  gifts: bigint;
  coins: bigint;
}

export interface FoldHook {
  name: string;
  run: (client: pg.PoolClient, folded: readonly FoldedGifts[]) => Promise<void>;
}

/**
 * In this order: fan clubs lock membership rows before any live-event lock
 * (the order chat and the minutes-watched job take them in, lib/live/fans.ts);
 * the level-up notices take live-event locks.
 */
export const FOLD_HOOKS: readonly FoldHook[] = [
  { name: "fan-clubs", run: foldFanClubs },
  { name: "level-ups", run: announceLevelUps },
];
