import "server-only";
import { getLedger } from "../ledger";
import type { Queryable } from "../db/queryable";
import { inTransaction } from "../db/transaction";
import type { Actor } from "../withdrawals/withdrawals";
import {
  countPendingGifts,
  findDiamondAccount,
  getEarningsSeries,
  getEarningsTotals,
  getGiftTypeEarnings,
  getStreamEarnings,
  getStreamSeries,
  getTopSupporters,
  listStreamEarnings,
  type EarningsTotals,
  type GiftTypeEarnings,
  type SeriesBucket,
  type SeriesRange,
  type StreamEarnings,
  type Supporter,
} from "./queries";
import { isUuid } from "../validation/input";
import { z } from "zod";
import { getPrisma } from "../db/prisma";
import { column, queryOne } from "../db/rows";

export * from "./queries";

export interface CreatorScope {
  creatorId: string;
  creatorName: string;
  /** True when an operator is looking at someone else's earnings. */
  asOperator: boolean;
}

/**
 * Whose earnings `viewer` may see: a creator their own (asking for anyone
 * else's gets null, as if it did not exist); an operator any creator's, named
 * by `requested`. Viewers get null.
 */
export async function resolveCreatorScope(viewer: Actor, requested: string | null = null): Promise<CreatorScope | null> {
  if (viewer.role === "CREATOR" && (requested === null || requested === viewer.id)) {
    const user = await getPrisma().user.findUnique({ where: { id: viewer.id }, select: { displayName: true } });
    return user ? { creatorId: viewer.id, creatorName: user.displayName, asOperator: false } : null;
  }
  if (viewer.role !== "OPERATOR" || requested === null || !isUuid(requested)) return null;
  const creator = await getPrisma().user.findFirst({ where: { id: requested, role: "CREATOR" }, select: { displayName: true } });
  return creator ? { creatorId: requested, creatorName: creator.displayName, asOperator: true } : null;
}

export interface EarningsDashboard {
  balanceMinor: bigint;
  /** Milli-diamonds reserved by pending withdrawals. */
  pendingWithdrawalMinor: bigint;
  totals: EarningsTotals;
  series: SeriesBucket[];
  streams: StreamEarnings[];
  nextBefore: Date | null;
  giftTypes: GiftTypeEarnings[];
  supporters: Supporter[];
  /** Gifts committed but not in the figures yet (the folder adds them within about a second). */
  updating: { pendingGifts: number };
}

/**
 * Runs a page's queries in one read-only snapshot: the folder commits between
 * two separate queries otherwise, and a page could read the aggregates before a
 * fold and the pending gifts after it (old figures, and no "Updating…").
 */
function inSnapshot<T>(read: (db: Queryable) => Promise<T>): Promise<T> {
  return inTransaction(getLedger().pool, read, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
}

const ZHeld = z.object({ held: column.int8 });

const EMPTY_TOTALS: EarningsTotals = {
  today: { gifts: 0n, coins: 0n, diamonds: 0n },
  last7Days: { gifts: 0n, coins: 0n, diamonds: 0n },
  last30Days: { gifts: 0n, coins: 0n, diamonds: 0n },
  allTime: { gifts: 0n, coins: 0n, diamonds: 0n },
};

/**
 * Everything the earnings page shows. Reads only: the balance is the ledger's
 * (always current); the figures are the aggregates as the earnings folder left
 * them, with `updating` saying how many gifts it has still to add.
 */
export async function getEarningsDashboard(
  scope: CreatorScope,
  { range = "7d", before = null, now = new Date() }: { range?: SeriesRange; before?: Date | null; now?: Date } = {},
): Promise<EarningsDashboard> {
  return inSnapshot(async (db) => {
    const account = await findDiamondAccount(db, scope.creatorId);
    const { held: pendingWithdrawalMinor } = await queryOne(
      db,
      ZHeld,
      "SELECT COALESCE(SUM(diamonds), 0)::bigint AS held FROM withdrawals WHERE creator_id = $1 AND status = 'PENDING'",
      [scope.creatorId],
    );
    if (!account) {
      return {
        balanceMinor: 0n,
        pendingWithdrawalMinor,
        totals: EMPTY_TOTALS,
        series: [],
        streams: [],
        nextBefore: null,
        giftTypes: [],
        supporters: [],
        updating: { pendingGifts: 0 },
      };
    }
    // One after another: they share the snapshot's one connection.
    const totals = await getEarningsTotals(db, account.id, now);
    const series = await getEarningsSeries(db, account.id, range, now);
    const streams = await listStreamEarnings(db, scope.creatorId, account.id, { before });
    const giftTypes = await getGiftTypeEarnings(db, account.id);
    const supporters = await getTopSupporters(db, account.id);
    const pendingGifts = await countPendingGifts(db, account.id);
    return {
      balanceMinor: account.balance,
      pendingWithdrawalMinor,
      totals,
      series,
      streams: streams.items,
      nextBefore: streams.nextBefore,
      giftTypes,
      supporters,
      updating: { pendingGifts },
    };
  });
}

export interface StreamBreakdown {
  stream: StreamEarnings;
  series: SeriesBucket[];
  giftTypes: GiftTypeEarnings[];
  supporters: Supporter[];
  /** The creator's gifts not in the figures yet (any stream's). */
  updating: { pendingGifts: number };
}

/**
 * Whether `viewer` may open a stream's earnings page: a creator their own
 * streams, an operator any stream. (Which creator an operator looks at comes
 * from the page's query; the page checks that the stream is theirs.)
 */
export async function maySeeStreamEarnings(viewer: { id: string; role: string }, streamId: string): Promise<boolean> {
  if (!isUuid(streamId) || (viewer.role !== "CREATOR" && viewer.role !== "OPERATOR")) return false;
  const stream = await getPrisma().stream.findUnique({ where: { id: streamId }, select: { creatorId: true } });
  if (!stream) return false;
  return viewer.role === "OPERATOR" || stream.creatorId === viewer.id;
}

/** One stream's breakdown (as folded so far), or null when it is not this creator's (or does not exist). Reads only. */
export async function getStreamBreakdown(scope: CreatorScope, streamId: string): Promise<StreamBreakdown | null> {
  if (!isUuid(streamId)) return null;
  return inSnapshot(async (db) => {
    const account = await findDiamondAccount(db, scope.creatorId);
    if (!account) return null;
    const stream = await getStreamEarnings(db, scope.creatorId, account.id, streamId);
    if (!stream) return null;
    const series = await getStreamSeries(db, account.id, streamId);
    const giftTypes = await getGiftTypeEarnings(db, account.id, streamId);
    const supporters = await getTopSupporters(db, account.id, { streamId });
    const pendingGifts = await countPendingGifts(db, account.id);
    return { stream, series, giftTypes, supporters, updating: { pendingGifts } };
  });
}
