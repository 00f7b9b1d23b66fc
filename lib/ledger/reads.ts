// Reads of the ledger, on whatever Queryable the caller has (the pool, or a
// client inside its transaction or snapshot). They write nothing.
import type { Queryable } from "../db/queryable";
import { LedgerError, type Asset, type Posting, type Transfer, type TransferKind } from "./types";

export interface HistoryEntry {
  postingId: bigint;
  transferId: bigint;
  kind: TransferKind;
  asset: Asset;
  amount: bigint;
  metadata: Record<string, unknown>;
  createdAt: Date;
}

export interface HistoryPage {
  items: HistoryEntry[];
  nextCursor: string | null;
}

/** The account's balance as cached on it (kept exact in the transaction of every transfer). */
export async function getBalance(db: Queryable, accountId: bigint): Promise<bigint> {
  const { rows } = await db.query("SELECT balance FROM ledger_accounts WHERE id = $1", [String(accountId)]);
  if (!rows[0]) throw new LedgerError("UNKNOWN_ACCOUNT", `Account ${accountId} does not exist.`);
  return rows[0].balance as bigint;
}

/**
 * An account's postings, newest first, with a cursor for the next page
 * (keyset pagination on the posting id, so pages stay fast and stable).
 * `limit` is held to 1–200; a cursor that is not a posting id starts at the top.
 */
export async function getHistory(
  db: Queryable,
  accountId: bigint,
  { cursor, limit = 20, kinds }: { cursor?: string | null; limit?: number; kinds?: TransferKind[] } = {},
): Promise<HistoryPage> {
  const before = cursor && /^\d+$/.test(cursor) ? cursor : null;
  const size = Math.min(Math.max(Math.trunc(limit), 1), 200);
  const { rows } = await db.query(
    `SELECT p.id AS posting_id, p.amount, p.asset, t.id AS transfer_id, t.kind, t.metadata, t.created_at
       FROM ledger_postings p JOIN ledger_transfers t ON t.id = p.transfer_id
      WHERE p.account_id = $1 AND ($2::bigint IS NULL OR p.id < $2::bigint)
        AND ($3::"TransferKind"[] IS NULL OR t.kind = ANY($3::"TransferKind"[]))
      ORDER BY p.id DESC LIMIT $4`,
    [String(accountId), before, kinds ?? null, size + 1],
  );
  const items = rows.slice(0, size).map((row) => ({
    postingId: row.posting_id as bigint,
    transferId: row.transfer_id as bigint,
    kind: row.kind as TransferKind,
    asset: row.asset as Asset,
    amount: row.amount as bigint,
    metadata: row.metadata as Record<string, unknown>,
    createdAt: row.created_at as Date,
  }));
  const last = items.at(-1);
  return { items, nextCursor: rows.length > size && last ? String(last.postingId) : null };
}

/** A transfer with its postings, by id or by idempotency key; null when there is none. */
export async function getTransfer(db: Queryable, ref: { id: bigint } | { idempotencyKey: string }): Promise<Transfer | null> {
  const [column, value] = "id" in ref ? ["id", String(ref.id)] : ["idempotency_key", ref.idempotencyKey];
  const { rows } = await db.query(`SELECT id, idempotency_key, kind, metadata, created_at FROM ledger_transfers WHERE ${column} = $1`, [value]);
  if (!rows[0]) return null;
  const postings = await loadPostings(db, [rows[0].id as bigint]);
  return rowToTransfer(rows[0], postings.get(rows[0].id as bigint) ?? []);
}

/** A ledger_transfers row (id, idempotency_key, kind, metadata, created_at) with its postings. */
export function rowToTransfer(row: Record<string, unknown>, postings: Posting[]): Transfer {
  return {
    id: row.id as bigint,
    idempotencyKey: row.idempotency_key as string,
    kind: row.kind as TransferKind,
    metadata: (row.metadata as Record<string, unknown>) ?? {},
    createdAt: row.created_at as Date,
    postings,
  };
}

/** The postings of these transfers, by transfer, each transfer's in the order written. */
export async function loadPostings(db: Queryable, transferIds: bigint[]): Promise<Map<bigint, Posting[]>> {
  const { rows } = await db.query("SELECT transfer_id, account_id, asset, amount FROM ledger_postings WHERE transfer_id = ANY($1::bigint[]) ORDER BY id", [
    transferIds.map(String),
  ]);
  const byTransfer = new Map<bigint, Posting[]>();
  for (const row of rows) {
    const list = byTransfer.get(row.transfer_id as bigint) ?? [];
    list.push({ accountId: row.account_id as bigint, asset: row.asset as Asset, amount: row.amount as bigint });
    byTransfer.set(row.transfer_id as bigint, list);
  }
  return byTransfer;
}
