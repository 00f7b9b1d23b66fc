// Gifter levels as the app reads them (the rules: lib/economy/levels.ts).
// The coins a user has spent on gifts live in gifter_totals, folded from the
// ledger's GIFT postings with the earnings aggregates; a level-up is noticed
// in that fold (announceLevelUps, a fold hook) and written as a `level` live
// event in the stream where the gift that crossed the threshold was sent, so
// everyone watching sees it once, and the wallet shows the last one.
//
// No "server-only": the earnings folder (and so the benchmarks) run this.
import type pg from "pg";
import { z } from "zod";
import { gifterProgress, levelReached, type GifterProgress } from "../economy/levels";
import type { FoldedGifts } from "../earnings/fold-hooks";
import type { Queryable } from "../db/queryable";
import { column, queryRow, queryRows } from "../db/rows";
import { appendLiveEvents, type NewLiveEvent } from "./events";
import { levelUpBody, parseLevelUpBody } from "./level-body";

const NO_STREAM = "00000000-0000-0000-0000-000000000000";

/** A gifter's folded total, and whether the stream of their level-up notice exists. */
const ZFoldedGifter = z
  .object({ user_id: column.text, coins: column.int8, stream_exists: column.bool })
  .transform((r) => ({ userId: r.user_id, coins: r.coins, streamExists: r.stream_exists }));

const ZGifterCoins = z.object({ coins: column.int8 }).transform((r) => r.coins);

/** The newest `level` event of a user, with the name of the stream's creator. */
const ZLastLevelUp = z
  .object({ body: column.text.nullable(), stream_id: column.text, created_at: column.time, creator_name: column.text })
  .transform((r) => ({ body: r.body, streamId: r.stream_id, at: r.created_at, creatorName: r.creator_name }));

/** A gifter whose stored total differs from the ledger's. */
const ZGifterDrift = z
  .object({ user_id: column.text, stored: column.int8, posted: column.int8 })
  .transform((r) => ({ userId: r.user_id, stored: r.stored, posted: r.posted }));

/**
 * The fold hook: for every gifter whose folded coins took them past a level
 * threshold, a `level` event in the stream they gave the most coins to in this
 * fold. gifter_totals already holds the new totals (the fold adds them first).
 */
export async function announceLevelUps(client: pg.PoolClient, folded: readonly FoldedGifts[]): Promise<void> {
  const added = new Map<string, { coins: bigint; streamId: string; streamCoins: bigint }>();
  for (const f of folded) {
    if (!f.supporterId) continue;
    const seen = added.get(f.supporterId);
    if (!seen) added.set(f.supporterId, { coins: f.coins, streamId: f.streamId, streamCoins: f.coins });
    else {
      seen.coins += f.coins;
      if (f.streamId !== NO_STREAM && (seen.streamId === NO_STREAM || f.coins > seen.streamCoins))
        Object.assign(seen, { streamId: f.streamId, streamCoins: f.coins });
    }
  }
  if (!added.size) return;
  // Only streams that exist get a notice (a gift's metadata may name any id).
  const gifters = await queryRows(
    client,
    ZFoldedGifter,
    `SELECT t.user_id::text AS user_id, t.coins, s.id IS NOT NULL AS stream_exists
       FROM gifter_totals t JOIN unnest($1::uuid[], $2::uuid[]) AS a(user_id, stream_id) ON a.user_id = t.user_id
       LEFT JOIN streams s ON s.id = a.stream_id`,
    [[...added.keys()], [...added.values()].map((a) => a.streamId)],
  );
  const events: NewLiveEvent[] = [];
  for (const row of gifters) {
    const gifter = added.get(row.userId)!;
    const after = row.coins;
    const level = levelReached(after - gifter.coins, after);
    if (level === null || !row.streamExists) continue;
    events.push({ streamId: gifter.streamId, kind: "level", userId: row.userId, body: levelUpBody(level) });
  }
  await appendLiveEvents(client, events);
}

export interface GifterStanding extends GifterProgress {
  /** The last level-up notice: the level, where and when (null before the first). */
  lastLevelUp: { level: number; streamId: string; creatorName: string; at: Date } | null;
}

/** A user's gifter level, the way to the next one and their last level-up (for the wallet). */
export async function getGifterStanding(db: Queryable, userId: string): Promise<GifterStanding> {
  const [coins, row] = await Promise.all([
    queryRow(db, ZGifterCoins, "SELECT coins FROM gifter_totals WHERE user_id = $1", [userId]),
    queryRow(
      db,
      ZLastLevelUp,
      `SELECT e.body, e.stream_id::text AS stream_id, e.created_at, u.display_name AS creator_name
         FROM live_events e JOIN streams s ON s.id = e.stream_id JOIN users u ON u.id = s.creator_id
        WHERE e.kind = 'level' AND e.user_id = $1 ORDER BY e.id DESC LIMIT 1`,
      [userId],
    ),
  ]);
  const progress = gifterProgress(coins ?? 0n);
  const body = row ? parseLevelUpBody(row.body) : null;
  return {
    ...progress,
    lastLevelUp: row && body ? { level: body.level, streamId: row.streamId, creatorName: row.creatorName, at: row.at } : null,
  };
}

/**
 * Gifters whose gifter_totals (plus their gifts still pending a fold) differ
 * from the ledger's GIFT transfers: the coins of each transfer's negative COIN
 * posting, by the coin account's owner. Must be none (`npm run reconcile`).
 */
export async function findGifterTotalsDrift(db: Queryable): Promise<Array<{ userId: string; stored: bigint; posted: bigint }>> {
  return queryRows(
    db,
    ZGifterDrift,
    `WITH posted AS (
       SELECT a.user_id, -SUM(p.amount) AS coins, COUNT(DISTINCT p.transfer_id) AS gifts
         FROM ledger_postings p JOIN ledger_transfers t ON t.id = p.transfer_id AND t.kind = 'GIFT'
         JOIN ledger_accounts a ON a.id = p.account_id
        WHERE p.asset = 'COIN' AND p.amount < 0 AND a.user_id IS NOT NULL
        GROUP BY a.user_id),
     pending AS (
       SELECT a.user_id, SUM(g.coins) AS coins, COUNT(*) AS gifts
         FROM (SELECT array_agg(id) AS ids FROM earnings_pending, unnest(transfer_ids) AS id) x,
              earnings_gift_sums(x.ids) g JOIN ledger_accounts a ON a.id = g.supporter_account_id
        WHERE a.user_id IS NOT NULL GROUP BY a.user_id),
     stored AS (
       SELECT user_id, SUM(coins) AS coins, SUM(gifts) AS gifts
         FROM (SELECT user_id, coins, gifts FROM gifter_totals UNION ALL SELECT user_id, coins, gifts FROM pending) s
        GROUP BY user_id)
     SELECT COALESCE(p.user_id, s.user_id)::text AS user_id, COALESCE(s.coins, 0)::bigint AS stored, COALESCE(p.coins, 0)::bigint AS posted
       FROM posted p FULL JOIN stored s ON s.user_id = p.user_id
      WHERE COALESCE(s.coins, 0) <> COALESCE(p.coins, 0) OR COALESCE(s.gifts, 0) <> COALESCE(p.gifts, 0)`,
  );
}
