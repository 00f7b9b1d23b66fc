import "server-only";
import { getLedger } from "../ledger";
import { settleDueWithdrawals, type Actor } from "../withdrawals/withdrawals";
import {
  findDiamondAccount,
  foldEarnings,
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
    const { rows } = await getLedger().pool.query("SELECT display_name FROM users WHERE id = $1", [viewer.id]);
    return rows[0] ? { creatorId: viewer.id, creatorName: rows[0].display_name as string, asOperator: false } : null;
  }
  if (viewer.role !== "OPERATOR" || requested === null || !isUuid(requested)) return null;
  const { rows } = await getLedger().pool.query("SELECT display_name FROM users WHERE id = $1 AND role = 'CREATOR'", [requested]);
  return rows[0] ? { creatorId: requested, creatorName: rows[0].display_name as string, asOperator: true } : null;
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
}

const EMPTY_TOTALS: EarningsTotals = {
  today: { gifts: 0n, coins: 0n, diamonds: 0n },
  week: { gifts: 0n, coins: 0n, diamonds: 0n },
  month: { gifts: 0n, coins: 0n, diamonds: 0n },
  allTime: { gifts: 0n, coins: 0n, diamonds: 0n },
};

/** Everything the earnings page shows. Settles the creator's due withdrawals and folds pending gift sums first. */
export async function getEarningsDashboard(
  scope: CreatorScope,
  { range = "7d", before = null, now = new Date() }: { range?: SeriesRange; before?: Date | null; now?: Date } = {},
): Promise<EarningsDashboard> {
  const pool = getLedger().pool;
  await settleDueWithdrawals({ creatorId: scope.creatorId, now });
  await foldEarnings(pool);
  const account = await findDiamondAccount(pool, scope.creatorId);
  const pending = await pool.query(
    "SELECT COALESCE(SUM(diamonds), 0)::bigint AS held FROM withdrawals WHERE creator_id = $1 AND status = 'PENDING'",
    [scope.creatorId],
  );
  const pendingWithdrawalMinor = pending.rows[0].held as bigint;
  if (!account) {
    return { balanceMinor: 0n, pendingWithdrawalMinor, totals: EMPTY_TOTALS, series: [], streams: [], nextBefore: null, giftTypes: [], supporters: [] };
  }
  const [totals, series, streams, giftTypes, supporters] = await Promise.all([
    getEarningsTotals(pool, account.id, now),
    getEarningsSeries(pool, account.id, range, now),
    listStreamEarnings(pool, scope.creatorId, account.id, { before }),
    getGiftTypeEarnings(pool, account.id),
    getTopSupporters(pool, account.id),
  ]);
  return {
    balanceMinor: account.balance,
    pendingWithdrawalMinor,
    totals,
    series,
    streams: streams.items,
    nextBefore: streams.nextBefore,
    giftTypes,
    supporters,
  };
}

export interface StreamBreakdown {
  stream: StreamEarnings;
  series: SeriesBucket[];
  giftTypes: GiftTypeEarnings[];
  supporters: Supporter[];
}

/**
 * Whether `viewer` may open a stream's earnings page: a creator their own
 * streams, an operator any stream. (Which creator an operator looks at comes
 * from the page's query; the page checks that the stream is theirs.)
 */
export async function maySeeStreamEarnings(viewer: { id: string; role: string }, streamId: string): Promise<boolean> {
  if (!isUuid(streamId) || (viewer.role !== "CREATOR" && viewer.role !== "OPERATOR")) return false;
  const { rows } = await getLedger().pool.query("SELECT creator_id FROM streams WHERE id = $1", [streamId]);
  if (!rows[0]) return false;
  return viewer.role === "OPERATOR" || rows[0].creator_id === viewer.id;
}

/** One stream's breakdown, or null when it is not this creator's (or does not exist). */
export async function getStreamBreakdown(scope: CreatorScope, streamId: string): Promise<StreamBreakdown | null> {
  if (!isUuid(streamId)) return null;
  const pool = getLedger().pool;
  const account = await findDiamondAccount(pool, scope.creatorId);
  if (!account) return null;
  await foldEarnings(pool);
  const stream = await getStreamEarnings(pool, scope.creatorId, account.id, streamId);
  if (!stream) return null;
  const [series, giftTypes, supporters] = await Promise.all([
    getStreamSeries(pool, account.id, streamId),
    getGiftTypeEarnings(pool, account.id, streamId),
    getTopSupporters(pool, account.id, { streamId }),
  ]);
  return { stream, series, giftTypes, supporters };
}
