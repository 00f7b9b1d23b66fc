// The accounts a refund needs beyond the ledger's own: a viewer's coin debt and
// the platform's refund loss. Both may go negative and are opened on first use.
import "server-only";
import type { Queryable } from "../db/queryable";
import type { AccountKind, Asset } from "../ledger/types";
import { TtlCache } from "../cache/ttl";
import { formatCoins } from "../economy";
import { z } from "zod";
import { column, queryRow } from "../db/rows";

export const REFUND_LOSS_CODE = "platform:refund_loss";

export function coinDebtCode(userId: string): string {
  return `user:${userId}:coin_debt`;
}

const ZId = z.object({ id: column.int8 });
const ZBalance = z.object({ balance: column.int8 });

async function openAccount(db: Queryable, code: string, asset: Asset, kind: AccountKind, userId: string | null): Promise<bigint> {
  const opened = await queryRow(
    db,
    ZId,
    `WITH created AS (
       INSERT INTO ledger_accounts (code, asset, kind, user_id, allow_negative)
       VALUES ($1, $2, $3, $4, true) ON CONFLICT (code) DO NOTHING RETURNING id)
     SELECT id FROM created UNION ALL SELECT id FROM ledger_accounts WHERE code = $1`,
    [code, asset, kind, userId],
  );
  if (opened) return opened.id;
  // Opened at the same moment by another transaction: the statement's snapshot
  // could not see its row, a new statement does.
  const again = await queryRow(db, ZId, "SELECT id FROM ledger_accounts WHERE code = $1", [code]);
  if (!again) throw new Error(`Account ${code} could not be opened.`);
  return again.id;
}

/** The viewer's coin debt account (negative = coins owed from a refunded purchase). */
export function openCoinDebt(db: Queryable, userId: string): Promise<bigint> {
  return openAccount(db, coinDebtCode(userId), "COIN", "VIEWER_COIN_DEBT", userId);
}

/** Diamonds refunds could not claw back (negative = the platform's loss). */
export function openRefundLoss(db: Queryable): Promise<bigint> {
  return openAccount(db, REFUND_LOSS_CODE, "DIAMOND", "REFUND_LOSS", null);
}

/**
 * How stale the gift path's view of a debt may be on an instance that did not
 * make the change (the instance that refunds or recharges forgets at once).
 * Stale for a moment is harmless: a refund that creates a debt also empties the
 * wallet, so a gift in that moment fails for want of coins anyway.
 */
export const COIN_DEBT_TTL_MS = 3_000;
const globalForDebts = globalThis as unknown as { coinDebts?: TtlCache<string, bigint> };
const debts = (globalForDebts.coinDebts ??= new TtlCache<string, bigint>(COIN_DEBT_TTL_MS, 50_000));

/** Coins the viewer owes, for a request that comes many times a second (a gift tap): at most COIN_DEBT_TTL_MS stale. */
export async function getCoinDebtCached(db: Queryable, userId: string, now = Date.now()): Promise<bigint> {
  const known = debts.get(userId, now);
  if (known !== undefined) return known;
  const owed = await getCoinDebt(db, userId);
  debts.set(userId, owed, now);
  return owed;
}

/** A refund or a recharge changed the viewer's debt: read it afresh next time. */
export function forgetCoinDebt(userId: string): void {
  debts.delete(userId);
}

/** Coins the viewer owes (≥ 0), read without a lock. */
export async function getCoinDebt(db: Queryable, userId: string): Promise<bigint> {
  const balance = (await queryRow(db, ZBalance, "SELECT balance FROM ledger_accounts WHERE code = $1", [coinDebtCode(userId)]))?.balance ?? 0n;
  return balance < 0n ? -balance : 0n;
}

/** What a viewer who owes coins is told when they try to gift. */
export function coinDebtMessage(owed: bigint): string {
  return `Your account owes ${formatCoins(owed)} coins from a refunded purchase; recharge to cover it.`;
}
