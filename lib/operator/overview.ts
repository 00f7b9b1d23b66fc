// The economy at a glance for the operator console (app/operator/page.tsx):
// what came in, what the platform owes, what it kept. Every figure is read
// from the ledger — account balances for the totals (one row per account, no
// scan of the postings), the RECHARGE transfers for money in, the earnings
// aggregates for gifts by day — so the page stays fast with millions of gifts
// and its totals add up to the trial balance.
import "server-only";
import { z } from "zod";
import {
  CURRENCIES,
  PLATFORMS,
  computeMargin,
  convertDiamondsToCash,
  isCurrency,
  isPlatform,
  storeCommission,
  toReferenceUsdCents,
  type Currency,
  type Margin,
  type Platform,
} from "../economy";
import { inTransaction } from "../db/transaction";
import { getLedger } from "../ledger";
import type { Queryable } from "../db/queryable";
import { column, queryOne, queryRows } from "../db/rows";
import { foldEarnings, utcDayStart } from "../earnings/queries";

const DAY_MS = 86_400_000;

export interface SalesLine {
  platform: Platform;
  currency: Currency;
  purchases: number;
  coins: bigint;
  /** What buyers paid, in the currency's minor units. */
  amount: bigint;
  /** The store's commission on it (lib/economy/operator.ts). */
  commission: bigint;
}

export interface SalesDay {
  /** UTC midnight. */
  day: Date;
  purchases: number;
  coins: bigint;
  /** What buyers paid that day, in US cents at the reference rates. */
  revenueUsdCents: bigint;
  commissionUsdCents: bigint;
}

export interface GiftDay {
  day: Date;
  gifts: bigint;
  coins: bigint;
  diamonds: bigint;
}

export interface EconomyOverview {
  asOf: Date;
  days: number;
  /** The cached balances per asset and account kind; each asset sums to zero (the reconciliation proves the cache). */
  trialBalance: BalanceLine[];
  /** Sales over the last `days` days, by channel and currency. */
  sales: SalesLine[];
  /** Sales since the start, by channel and currency. */
  salesAllTime: SalesLine[];
  salesByDay: SalesDay[];
  giftsByDay: GiftDay[];
  /** Gifts committed but not yet in the aggregates (the folder is a second behind at most). */
  giftsNotYetCounted: number;
  owes: {
    /** Coins in viewers' wallets: sold or granted, not yet spent (a liability). */
    coinsOutstanding: bigint;
    /** Milli-diamonds in creators' wallets: earned, not yet withdrawn. */
    diamondsOwed: bigint;
    /** Their cash value at the withdrawal rate, in US cents (before fees). */
    diamondsOwedCents: bigint;
    pendingWithdrawals: { count: number; diamonds: bigint; netCents: bigint };
    /** Coins viewers owe the platform from refunded purchases they had spent (lib/refunds). */
    coinDebt: bigint;
  };
  kept: {
    /** Coins viewers spent on gifts (the gift revenue account). */
    coinsSpentOnGifts: bigint;
    /** Milli-diamonds issued to creators for those gifts. */
    diamondsIssued: bigint;
    /** Milli-diamonds creators have withdrawn. */
    diamondsRedeemed: bigint;
    /** Bonus coins granted (promotions), not paid for. */
    bonusCoinsGranted: bigint;
    /** Cash paid out to creators, net of fees, in US cents. */
    creatorPayoutCents: bigint;
    /** Withdrawal fees the platform kept, in US cents. */
    withdrawalFeeCents: bigint;
    /** What buyers paid, net of money given back (the deferred revenue accounts), per currency. */
    revenueByCurrency: Array<{ currency: Currency; amount: bigint }>;
    revenueUsdCents: bigint;
    /** Paid by buyers since the start, before refunds and chargebacks, in US cents. */
    grossSalesUsdCents: bigint;
    /** Given back by refunds and chargebacks (gross sales − revenue), in US cents. */
    givenBackUsdCents: bigint;
    commissionUsdCents: bigint;
    margin: Margin;
  };
}

export interface BalanceLine {
  asset: string;
  kind: string;
  accounts: number;
  balance: bigint;
}

const ZBalanceLine = z.object({ asset: column.text, kind: column.text, accounts: column.int4, balance: column.int8 });

/** One row per asset and account kind: the balances behind every total (no scan of the postings). */
async function balancesByKind(db: Queryable): Promise<BalanceLine[]> {
  return queryRows(
    db,
    ZBalanceLine,
    "SELECT asset::text AS asset, kind::text AS kind, COUNT(*)::int AS accounts, SUM(balance)::bigint AS balance FROM ledger_accounts GROUP BY asset, kind ORDER BY asset, kind",
  );
}

/**
 * Purchases credited to the ledger (RECHARGE transfers) from `since`, by day,
 * channel and currency; coins (issued, whether to the wallet or to cover a
 * refund debt) and cash from the postings.
 */
const ZSalesRow = z.object({
  day: column.time.nullable(),
  platform: column.text,
  currency: column.text,
  purchases: column.int4,
  coins: column.int8,
  amount: column.int8,
});

async function salesRows(db: Queryable, since: Date | null, byDay: boolean) {
  const rows = await queryRows(
    db,
    ZSalesRow,
    `SELECT ${byDay ? "date_trunc('day', t.created_at, 'UTC')" : "NULL::timestamptz"} AS day, pi.platform, a_cash.asset::text AS currency,
            COUNT(*)::int AS purchases, -SUM(p_coins.amount)::bigint AS coins, SUM(p_cash.amount)::bigint AS amount
       FROM payment_intents pi
       JOIN ledger_transfers t ON t.id = pi.credited_transfer_id AND t.kind = 'RECHARGE'
       JOIN ledger_postings p_coins ON p_coins.transfer_id = t.id
       JOIN ledger_accounts a_coins ON a_coins.id = p_coins.account_id AND a_coins.kind = 'COIN_ISSUANCE'
       JOIN ledger_postings p_cash ON p_cash.transfer_id = t.id
       JOIN ledger_accounts a_cash ON a_cash.id = p_cash.account_id AND a_cash.kind = 'DEFERRED_REVENUE'
      WHERE ($1::timestamptz IS NULL OR t.created_at >= $1)
      GROUP BY 1, 2, 3
      ORDER BY 1, 2, 3`,
    [since],
  );
  return rows.flatMap((r) => {
    if (!isPlatform(r.platform) || !isCurrency(r.currency)) return [];
    const line: SalesLine = {
      platform: r.platform,
      currency: r.currency,
      purchases: r.purchases,
      coins: r.coins,
      amount: r.amount,
      commission: storeCommission(r.platform, r.amount),
    };
    return [{ day: r.day, line }];
  });
}

function inUsd(lines: readonly SalesLine[]): { revenue: bigint; commission: bigint } {
  return lines.reduce(
    (sum, l) => ({
      revenue: sum.revenue + toReferenceUsdCents(l.amount, l.currency),
      commission: sum.commission + toReferenceUsdCents(l.commission, l.currency),
    }),
    { revenue: 0n, commission: 0n },
  );
}

const ZGiftDay = z.object({ day: column.time, gifts: column.int8, coins: column.int8, diamonds: column.int8 });
const ZCount = z.object({ n: column.int4 });
const ZPendingWithdrawals = z.object({ count: column.int4, diamonds: column.int8, net: column.int8 });

/** The overview as of `now`, with daily figures for the last `days` days (today included). */
export async function getEconomyOverview(db: Queryable, { now = new Date(), days = 14 }: { now?: Date; days?: number } = {}): Promise<EconomyOverview> {
  const firstDay = new Date(utcDayStart(now).getTime() - (days - 1) * DAY_MS);
  const trialBalance = await balancesByKind(db);
  const balance = (kind: string, asset: string) => trialBalance.find((l) => l.kind === kind && l.asset === asset)?.balance ?? 0n;

  const recent = await salesRows(db, firstDay, true);
  const allTime = (await salesRows(db, null, false)).map((r) => r.line);
  const gifts = await queryRows(
    db,
    ZGiftDay,
    `SELECT date_trunc('day', hour, 'UTC') AS day, SUM(gifts)::bigint AS gifts, SUM(coins)::bigint AS coins, SUM(diamonds)::bigint AS diamonds
       FROM earnings_hourly WHERE hour >= $1 GROUP BY 1 ORDER BY 1`,
    [firstDay],
  );
  const pending = await queryOne(
    db,
    ZCount,
    "SELECT COUNT(*)::int AS n FROM earnings_pending e CROSS JOIN LATERAL unnest(e.transfer_ids) AS p(id) JOIN ledger_transfers t ON t.id = p.id WHERE t.kind = 'GIFT'",
  );
  const w = await queryOne(
    db,
    ZPendingWithdrawals,
    "SELECT COUNT(*)::int AS count, COALESCE(SUM(diamonds), 0)::bigint AS diamonds, COALESCE(SUM(net_cents), 0)::bigint AS net FROM withdrawals WHERE status = 'PENDING'",
  );

  const dayList = Array.from({ length: days }, (_, i) => new Date(firstDay.getTime() + i * DAY_MS));
  const salesByDay: SalesDay[] = dayList.map((day) => {
    const lines = recent.filter((r) => r.day?.getTime() === day.getTime()).map((r) => r.line);
    const usd = inUsd(lines);
    return {
      day,
      purchases: lines.reduce((n, l) => n + l.purchases, 0),
      coins: lines.reduce((n, l) => n + l.coins, 0n),
      revenueUsdCents: usd.revenue,
      commissionUsdCents: usd.commission,
    };
  });
  const giftsByDay: GiftDay[] = dayList.map((day) => {
    const row = gifts.find((r) => r.day.getTime() === day.getTime());
    return { day, gifts: row?.gifts ?? 0n, coins: row?.coins ?? 0n, diamonds: row?.diamonds ?? 0n };
  });

  const diamondsOwed = balance("CREATOR_DIAMONDS", "DIAMOND");
  const revenueByCurrency = CURRENCIES.map((currency) => ({ currency, amount: balance("DEFERRED_REVENUE", currency) })).filter((r) => r.amount !== 0n);
  const revenueUsdCents = revenueByCurrency.reduce((sum, r) => sum + toReferenceUsdCents(r.amount, r.currency), 0n);
  const allTimeUsd = inUsd(allTime);
  const commissionUsdCents = allTimeUsd.commission;
  const creatorPayoutCents = balance("CREATOR_PAYABLE", "USD");
  return {
    asOf: now,
    days,
    trialBalance,
    sales: mergeLines(recent.map((r) => r.line)),
    salesAllTime: allTime,
    salesByDay,
    giftsByDay,
    giftsNotYetCounted: pending.n,
    owes: {
      // Coins in unopened treasure boxes are still the viewers' coins (they go to winners or back).
      coinsOutstanding: balance("VIEWER_COINS", "COIN") + balance("TREASURE_ESCROW", "COIN"),
      diamondsOwed,
      diamondsOwedCents: convertDiamondsToCash(diamondsOwed > 0n ? diamondsOwed : 0n).cents,
      pendingWithdrawals: { count: w.count, diamonds: w.diamonds, netCents: w.net },
      coinDebt: -balance("VIEWER_COIN_DEBT", "COIN"),
    },
    kept: {
      coinsSpentOnGifts: balance("GIFT_REVENUE", "COIN"),
      diamondsIssued: -balance("DIAMOND_ISSUANCE", "DIAMOND"),
      diamondsRedeemed: balance("DIAMOND_REDEEMED", "DIAMOND"),
      bonusCoinsGranted: -balance("PROMOTIONS", "COIN"),
      creatorPayoutCents,
      withdrawalFeeCents: balance("FEES", "USD"),
      revenueByCurrency,
      revenueUsdCents,
      grossSalesUsdCents: allTimeUsd.revenue,
      givenBackUsdCents: allTimeUsd.revenue - revenueUsdCents,
      commissionUsdCents,
      margin: computeMargin({ revenueCents: revenueUsdCents, commissionCents: commissionUsdCents, creatorPayoutCents }),
    },
  };
}

/** Sums lines of the same channel and currency (the days of a period). */
function mergeLines(lines: readonly SalesLine[]): SalesLine[] {
  const merged = new Map<string, SalesLine>();
  for (const l of lines) {
    const key = `${l.platform}:${l.currency}`;
    const m = merged.get(key);
    merged.set(
      key,
      m ? { ...m, purchases: m.purchases + l.purchases, coins: m.coins + l.coins, amount: m.amount + l.amount, commission: m.commission + l.commission } : l,
    );
  }
  return [...merged.values()].sort(
    (a, b) => PLATFORMS.indexOf(a.platform) - PLATFORMS.indexOf(b.platform) || CURRENCIES.indexOf(a.currency) - CURRENCIES.indexOf(b.currency),
  );
}

/** The overview read in one snapshot, so its figures agree with one another (the gifts of the last second folded in first). */
export async function loadEconomyOverview(options: { now?: Date; days?: number } = {}): Promise<EconomyOverview> {
  await foldEarnings(getLedger().pool);
  return inTransaction(getLedger().pool, (db) => getEconomyOverview(db, options), "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
}
