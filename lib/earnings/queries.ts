// Creator earnings as the dashboard shows them. Every figure is read from
// aggregates of the ledger's gift postings (docs/decisions/006-earnings-aggregates.md):
// a trigger notes each statement's gift transfers in earnings_pending in the
// gifts' own transactions, and foldEarnings() adds their sums to the aggregate
// tables (decision 008). The background folder does that every second; readers
// only read (a page load never folds), and countPendingGifts() says how many of a
// creator's gifts are not in the aggregates yet. Times are bucketed by UTC hour;
// "today" is the current UTC day.
//
// No "server-only" here: the benchmark runs these queries directly.
import type pg from "pg";
import { inTransaction } from "../db/transaction";
import type { Queryable } from "../db/queryable";
import { FOLD_HOOKS, type FoldedGifts, type FoldHook } from "./fold-hooks";
import { isUuid } from "../validation/input";
import { column, queryOne, queryRow, queryRows, type RowSchema } from "../db/rows";
import { z } from "zod";
import { StreamStatus } from "../db/generated/prisma/enums";

/** The stream id under which gifts that name no stream are filed. */
export const NO_STREAM = "00000000-0000-0000-0000-000000000000";

export interface EarningsFigures {
  gifts: bigint;
  coins: bigint;
  /** Milli-diamonds. */
  diamonds: bigint;
}

export interface EarningsTotals {
  today: EarningsFigures;
  /** The last 7 UTC days, today included (not the Monday week the rankings use). */
  last7Days: EarningsFigures;
  /** The last 30 UTC days, today included. */
  last30Days: EarningsFigures;
  allTime: EarningsFigures;
}

export type SeriesRange = "today" | "7d" | "30d";

export interface SeriesBucket extends EarningsFigures {
  start: Date;
}

export interface StreamEarnings extends EarningsFigures {
  id: string;
  title: string;
  status: "LIVE" | "ENDED";
  startedAt: Date;
  endedAt: Date | null;
  peakViewers: number;
  topGifter: { name: string; coins: bigint } | null;
}

export interface GiftTypeEarnings extends EarningsFigures {
  giftId: string;
}

export interface Supporter extends EarningsFigures {
  /** The supporter's display name, or "Anonymous supporter" when they opted out of rankings. */
  name: string;
  anonymous: boolean;
}

/** The three figures' columns, as every earnings query names them (summed, so bigint). */
const FIGURES = { gifts: column.int8, coins: column.int8, diamonds: column.int8 };
const ZFigures = z.object(FIGURES) satisfies RowSchema<EarningsFigures>;
const ZBucket = z.object({ start: column.time, ...FIGURES }) satisfies RowSchema<SeriesBucket>;

const ZFoldedRow = z
  .object({ supporter_id: column.text, creator_id: column.text, stream_id: column.text, gift_id: column.text, gifts: column.int8, coins: column.int8 })
  .transform((r): FoldedGifts => ({
    supporterId: r.supporter_id,
    creatorId: r.creator_id,
    streamId: r.stream_id,
    giftId: r.gift_id,
    gifts: r.gifts,
    coins: r.coins,
  }));
const ZCount = z.object({ n: column.int4 });
const ZDiamondAccount = z.object({ id: column.int8, balance: column.int8 });
/** The four periods' figures of getEarningsTotals, each column named <period>_<figure>. */
const ZTotalsRow = z
  .object({
    today_gifts: column.int8,
    today_coins: column.int8,
    today_diamonds: column.int8,
    last7_gifts: column.int8,
    last7_coins: column.int8,
    last7_diamonds: column.int8,
    last30_gifts: column.int8,
    last30_coins: column.int8,
    last30_diamonds: column.int8,
    all_gifts: column.int8,
    all_coins: column.int8,
    all_diamonds: column.int8,
  })
  .transform((r): EarningsTotals => ({
    today: { gifts: r.today_gifts, coins: r.today_coins, diamonds: r.today_diamonds },
    last7Days: { gifts: r.last7_gifts, coins: r.last7_coins, diamonds: r.last7_diamonds },
    last30Days: { gifts: r.last30_gifts, coins: r.last30_coins, diamonds: r.last30_diamonds },
    allTime: { gifts: r.all_gifts, coins: r.all_coins, diamonds: r.all_diamonds },
  }));
const ZGiftTypeRow = z.object({ gift_id: column.text, ...FIGURES }).transform(({ gift_id, ...figures }): GiftTypeEarnings => ({ giftId: gift_id, ...figures }));
const ZSupporterRow = z
  .object({ display_name: column.text.nullable(), hidden: column.bool, ...FIGURES })
  .transform(({ display_name, hidden, ...figures }): Supporter => ({
    name: hidden || display_name === null ? "Anonymous supporter" : display_name,
    anonymous: hidden,
    ...figures,
  }));
const ZDriftRow = z
  .object({ account_id: column.int8, aggregated: column.int8, posted: column.int8 })
  .transform((r) => ({ accountId: r.account_id, aggregated: r.aggregated, posted: r.posted }));

/** Midnight (UTC) of the day `now` falls in, minus `days` days. */
export function utcDayStart(now: Date, days = 0): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - days));
}

/**
 * Folds the gifts committed so far that earnings_pending lists into the
 * aggregates (one folder at a time; see earnings_fold_groups() in the
 * migrations), then hands what it folded to the fold hooks (a level-up
 * notice, fan points) in the same transaction, so each folded gift reaches
 * each hook exactly once. Returns how many gifts it folded. The earnings
 * folder (lib/earnings/folder.ts) runs it; pages do not.
 */
export async function foldEarnings(pool: pg.Pool, hooks: readonly FoldHook[] = FOLD_HOOKS): Promise<number> {
  return inTransaction(pool, async (client) => {
    const folded = await queryRows(
      client,
      ZFoldedRow,
      `SELECT supporter_id::text, creator_id::text, stream_id::text, gift_id, gifts, coins FROM earnings_fold_groups()`,
    );
    if (folded.length) for (const hook of hooks) await hook.run(client, folded);
    return folded.reduce((n, f) => n + Number(f.gifts), 0);
  });
}

/** Most pending gifts counted for "updating…": past it the page says "at least" this many. */
export const PENDING_COUNT_LIMIT = 10_000;

/**
 * How many of the gifts to diamond account `accountId` are committed but not
 * folded into the aggregates yet (at most PENDING_COUNT_LIMIT). Reads only: the
 * pending heap holds about a second of gifts while the folder runs.
 */
export async function countPendingGifts(db: Queryable, accountId: bigint): Promise<number> {
  const { n } = await queryOne(
    db,
    ZCount,
    `SELECT count(*)::int AS n FROM (
       SELECT 1 FROM earnings_pending e CROSS JOIN LATERAL unnest(e.transfer_ids) AS t(id)
         JOIN ledger_transfers tr ON tr.id = t.id AND tr.kind = 'GIFT'
        WHERE EXISTS (SELECT 1 FROM ledger_postings p WHERE p.transfer_id = t.id AND p.account_id = $1 AND p.amount > 0)
        LIMIT $2
     ) pending`,
    [accountId, PENDING_COUNT_LIMIT],
  );
  return n;
}

/** A creator's diamond account id, or null before they have one. */
export async function findDiamondAccount(db: Queryable, creatorId: string): Promise<{ id: bigint; balance: bigint } | null> {
  return queryRow(db, ZDiamondAccount, "SELECT id, balance FROM ledger_accounts WHERE user_id = $1 AND kind = 'CREATOR_DIAMONDS'", [creatorId]);
}

/** Today, the last 7 and 30 UTC days (today included) and all time. */
export async function getEarningsTotals(db: Queryable, accountId: bigint, now = new Date()): Promise<EarningsTotals> {
  const sums = (name: string, since: string) =>
    `COALESCE(SUM(gifts) FILTER (WHERE hour >= ${since}), 0)::bigint AS ${name}_gifts,
     COALESCE(SUM(coins) FILTER (WHERE hour >= ${since}), 0)::bigint AS ${name}_coins,
     COALESCE(SUM(diamonds) FILTER (WHERE hour >= ${since}), 0)::bigint AS ${name}_diamonds`;
  return queryOne(
    db,
    ZTotalsRow,
    `SELECT ${sums("today", "$2")}, ${sums("last7", "$3")}, ${sums("last30", "$4")},
            COALESCE(SUM(gifts), 0)::bigint AS all_gifts, COALESCE(SUM(coins), 0)::bigint AS all_coins,
            COALESCE(SUM(diamonds), 0)::bigint AS all_diamonds
       FROM earnings_hourly WHERE account_id = $1`,
    [String(accountId), utcDayStart(now), utcDayStart(now, 6), utcDayStart(now, 29)],
  );
}

/** Hourly buckets for today, daily buckets for 7 or 30 days; empty buckets included. */
export async function getEarningsSeries(
  db: Queryable,
  accountId: bigint,
  range: SeriesRange,
  now = new Date(),
  streamId: string | null = null,
): Promise<SeriesBucket[]> {
  const hourly = range === "today";
  const from = utcDayStart(now, range === "7d" ? 6 : range === "30d" ? 29 : 0);
  const to = hourly ? new Date(from.getTime() + 23 * 3600_000) : utcDayStart(now);
  const step = hourly ? "1 hour" : "1 day";
  const bucket = hourly ? "hour" : "date_trunc('day', hour, 'UTC')";
  return queryRows(
    db,
    ZBucket,
    `WITH sums AS (
       SELECT ${bucket} AS start, SUM(gifts)::bigint AS gifts, SUM(coins)::bigint AS coins, SUM(diamonds)::bigint AS diamonds
         FROM earnings_hourly
        WHERE account_id = $1 AND hour >= $2 AND hour < $3::timestamptz + $4::interval
          AND ($5::uuid IS NULL OR stream_id = $5::uuid)
        GROUP BY 1)
     SELECT b.start, COALESCE(s.gifts, 0)::bigint AS gifts, COALESCE(s.coins, 0)::bigint AS coins, COALESCE(s.diamonds, 0)::bigint AS diamonds
       FROM generate_series($2::timestamptz, $3::timestamptz, $4::interval) AS b(start)
       LEFT JOIN sums s ON s.start = b.start
      ORDER BY b.start`,
    [String(accountId), from, to, step, streamId],
  );
}

/** A stream's earnings over its whole length, hour by hour (UTC). */
export async function getStreamSeries(db: Queryable, accountId: bigint, streamId: string): Promise<SeriesBucket[]> {
  return queryRows(
    db,
    ZBucket,
    `SELECT hour AS start, SUM(gifts)::bigint AS gifts, SUM(coins)::bigint AS coins, SUM(diamonds)::bigint AS diamonds
       FROM earnings_hourly WHERE account_id = $1 AND stream_id = $2 GROUP BY hour ORDER BY hour`,
    [String(accountId), streamId],
  );
}

const STREAM_COLUMNS = `s.id, s.title, s.status, s.started_at, s.ended_at, s.peak_viewers,
  COALESCE(e.gifts, 0)::bigint AS gifts, COALESCE(e.coins, 0)::bigint AS coins, COALESCE(e.diamonds, 0)::bigint AS diamonds,
  top.name AS top_name, top.coins AS top_coins`;

const STREAM_JOINS = `
  LEFT JOIN LATERAL (
    SELECT SUM(gifts) AS gifts, SUM(coins) AS coins, SUM(diamonds) AS diamonds
      FROM earnings_hourly h WHERE h.account_id = $1 AND h.stream_id = s.id) e ON true
  LEFT JOIN LATERAL (
    SELECT CASE WHEN u.hide_from_rankings THEN NULL ELSE u.display_name END AS name, x.coins
      FROM earnings_supporters x
      JOIN ledger_accounts a ON a.id = x.supporter_account_id
      LEFT JOIN users u ON u.id = a.user_id
     WHERE x.account_id = $1 AND x.stream_id = s.id
     ORDER BY x.coins DESC, x.supporter_account_id LIMIT 1) top ON true`;

const ZStreamRow = z
  .object({
    id: column.text,
    title: column.text,
    status: z.enum(StreamStatus),
    started_at: column.time,
    ended_at: column.time.nullable(),
    peak_viewers: column.int4,
    ...FIGURES,
    top_name: column.text.nullable(),
    top_coins: column.int8.nullable(),
  })
  .transform((r): StreamEarnings => ({
    id: r.id,
    title: r.title,
    status: r.status,
    startedAt: r.started_at,
    endedAt: r.ended_at,
    peakViewers: r.peak_viewers,
    gifts: r.gifts,
    coins: r.coins,
    diamonds: r.diamonds,
    topGifter: r.top_coins === null ? null : { name: r.top_name ?? "Anonymous supporter", coins: r.top_coins },
  }));

/** The creator's streams, newest first, with what each earned (keyset pages on start time). */
export async function listStreamEarnings(
  db: Queryable,
  creatorId: string,
  accountId: bigint,
  { limit = 20, before = null }: { limit?: number; before?: Date | null } = {},
): Promise<{ items: StreamEarnings[]; nextBefore: Date | null }> {
  const size = Math.min(Math.max(Math.trunc(limit), 1), 100);
  const rows = await queryRows(
    db,
    ZStreamRow,
    `SELECT ${STREAM_COLUMNS} FROM streams s ${STREAM_JOINS}
      WHERE s.creator_id = $2 AND ($3::timestamptz IS NULL OR s.started_at < $3)
      ORDER BY s.started_at DESC LIMIT $4`,
    [String(accountId), creatorId, before, size + 1],
  );
  const items = rows.slice(0, size);
  return { items, nextBefore: rows.length > size ? items.at(-1)!.startedAt : null };
}

/** One stream of this creator (null when it does not exist or is someone else's). */
export async function getStreamEarnings(db: Queryable, creatorId: string, accountId: bigint, streamId: string): Promise<StreamEarnings | null> {
  if (!isUuid(streamId)) return null;
  return queryRow(db, ZStreamRow, `SELECT ${STREAM_COLUMNS} FROM streams s ${STREAM_JOINS} WHERE s.id = $3 AND s.creator_id = $2`, [
    String(accountId),
    creatorId,
    streamId,
  ]);
}

/** Earnings per gift type, biggest first (all time, or one stream). */
export async function getGiftTypeEarnings(db: Queryable, accountId: bigint, streamId: string | null = null): Promise<GiftTypeEarnings[]> {
  return queryRows(
    db,
    ZGiftTypeRow,
    `SELECT gift_id, SUM(gifts)::bigint AS gifts, SUM(coins)::bigint AS coins, SUM(diamonds)::bigint AS diamonds
       FROM earnings_hourly WHERE account_id = $1 AND ($2::uuid IS NULL OR stream_id = $2::uuid)
      GROUP BY gift_id ORDER BY diamonds DESC, gift_id`,
    [String(accountId), streamId],
  );
}

/** The biggest supporters by coins given (all time, or one stream); opt-outs are anonymous. */
export async function getTopSupporters(
  db: Queryable,
  accountId: bigint,
  { streamId = null, limit = 10 }: { streamId?: string | null; limit?: number } = {},
): Promise<Supporter[]> {
  const source = streamId
    ? "SELECT supporter_account_id, gifts, coins, diamonds FROM earnings_supporters WHERE account_id = $1 AND stream_id = $3::uuid"
    : "SELECT supporter_account_id, gifts, coins, diamonds FROM earnings_supporter_totals WHERE account_id = $1";
  return queryRows(
    db,
    ZSupporterRow,
    `SELECT x.gifts, x.coins, x.diamonds, u.display_name, COALESCE(u.hide_from_rankings, true) AS hidden
       FROM (${source} ORDER BY coins DESC, supporter_account_id LIMIT $2) x
       JOIN ledger_accounts a ON a.id = x.supporter_account_id
       LEFT JOIN users u ON u.id = a.user_id
      ORDER BY x.coins DESC, x.supporter_account_id`,
    streamId ? [String(accountId), Math.min(Math.max(limit, 1), 100), streamId] : [String(accountId), Math.min(Math.max(limit, 1), 100)],
  );
}

/**
 * The same totals computed straight from the ledger's postings (slow; for
 * checks and the benchmark's baseline): per creator diamond account, the GIFT
 * transfers' positive DIAMOND postings and their negative COIN postings.
 */
export async function getLedgerGiftTotals(db: Queryable, accountId: bigint, since: Date | null = null): Promise<EarningsFigures> {
  return queryOne(
    db,
    ZFigures,
    `SELECT COUNT(*)::bigint AS gifts, COALESCE(SUM(c.coins), 0)::bigint AS coins, COALESCE(SUM(d.amount), 0)::bigint AS diamonds
       FROM ledger_postings d
       JOIN ledger_transfers t ON t.id = d.transfer_id AND t.kind = 'GIFT'
       LEFT JOIN LATERAL (SELECT -SUM(amount) AS coins FROM ledger_postings c
                           WHERE c.transfer_id = d.transfer_id AND c.asset = 'COIN' AND c.amount < 0) c ON true
      WHERE d.account_id = $1 AND d.amount > 0 AND ($2::timestamptz IS NULL OR t.created_at >= $2)`,
    [String(accountId), since],
  );
}

/** Aggregate rows (with the rows still pending a fold) that disagree with the postings (must be none). */
export async function findEarningsDrift(db: Queryable): Promise<Array<{ accountId: bigint; aggregated: bigint; posted: bigint }>> {
  return queryRows(
    db,
    ZDriftRow,
    `WITH posted AS (
       SELECT d.account_id, SUM(d.amount) AS diamonds, COUNT(*) AS gifts
         FROM ledger_postings d JOIN ledger_transfers t ON t.id = d.transfer_id AND t.kind = 'GIFT'
        WHERE d.asset = 'DIAMOND' AND d.amount > 0 GROUP BY d.account_id),
     pending AS (
       SELECT g.* FROM (SELECT array_agg(id) AS ids FROM earnings_pending, unnest(transfer_ids) AS id) x,
                       earnings_gift_sums(x.ids) g),
     aggregated AS (
       SELECT account_id, SUM(diamonds) AS diamonds, SUM(gifts) AS gifts
         FROM (SELECT account_id, diamonds, gifts FROM earnings_hourly UNION ALL SELECT account_id, diamonds, 1 FROM pending) h
        GROUP BY account_id),
     supporters AS (
       SELECT account_id, SUM(diamonds) AS diamonds
         FROM (SELECT account_id, diamonds FROM earnings_supporters
               UNION ALL SELECT account_id, diamonds FROM pending WHERE supporter_account_id IS NOT NULL) s
        GROUP BY account_id),
     totals AS (
       SELECT account_id, SUM(diamonds) AS diamonds
         FROM (SELECT account_id, diamonds FROM earnings_supporter_totals
               UNION ALL SELECT account_id, diamonds FROM pending WHERE supporter_account_id IS NOT NULL) x
        GROUP BY account_id)
     SELECT COALESCE(p.account_id, a.account_id) AS account_id, COALESCE(a.diamonds, 0)::bigint AS aggregated, COALESCE(p.diamonds, 0)::bigint AS posted
       FROM posted p FULL JOIN aggregated a ON a.account_id = p.account_id
       LEFT JOIN supporters s ON s.account_id = COALESCE(p.account_id, a.account_id)
       LEFT JOIN totals x ON x.account_id = COALESCE(p.account_id, a.account_id)
      WHERE COALESCE(a.diamonds, 0) <> COALESCE(p.diamonds, 0) OR COALESCE(a.gifts, 0) <> COALESCE(p.gifts, 0)
         OR COALESCE(s.diamonds, 0) > COALESCE(p.diamonds, 0) OR COALESCE(x.diamonds, 0) <> COALESCE(s.diamonds, 0)`,
  );
}
