// What else happens when gifts are folded into the aggregates: each hook runs
// in the fold's transaction (after the aggregates, gifter_totals included,
// hold the folded gifts), so it sees each committed gift exactly once, however
// many instances fold and whenever they restart. Listed here, not registered
// at run time: Next.js loads this module in several bundles, and every one of
// them must fold the same way.
import type pg from "pg";
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

export const FOLD_HOOKS: readonly FoldHook[] = [{ name: "level-ups", run: announceLevelUps }];
