// Reads of the ledger, on whatever Queryable the caller has (the pool, or a
// client inside its transaction or snapshot). They write nothing.
import { z } from "zod";
import type { Queryable } from "../db/queryable";
import { column, queryRow, queryRows } from "../db/rows";
import { ASSET, LedgerError, TRANSFER_KIND, type Asset, type Posting, type Transfer, type TransferKind } from "./types";

const asset = z.enum(ASSET);
const kind = z.enum(TRANSFER_KIND);
const metadata = z
  .record(z.string(), z.unknown())
  .nullable()
  .transform((value) => value ?? {});

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

const ZBalance = z.object({ balance: column.int8 });

/** The account's balance as cached on it (kept exact in the transaction of every transfer). */
export async function getBalance(db: Queryable, accountId: bigint): Promise<bigint> {
  const row = await queryRow(db, ZBalance, "SELECT balance FROM ledger_accounts WHERE id = $1", [String(accountId)]);
  if (!row) throw new LedgerError("UNKNOWN_ACCOUNT", `Account ${accountId} does not exist.`);
  return row.balance;
}

/**
 * An account's postings, newest first, with a cursor for the next page
 * (keyset pagination on the posting id, so pages stay fast and stable).
 * `limit` is held to 1–200; a cursor that is not a posting id starts at the top.
 */
const ZHistoryRow = z
  .object({
    posting_id: column.int8,
    transfer_id: column.int8,
    kind,
    asset,
    amount: column.int8,
    metadata,
    created_at: column.time,
  })
  .transform((row): HistoryEntry => ({
    postingId: row.posting_id,
    transferId: row.transfer_id,
    kind: row.kind,
    asset: row.asset,
    amount: row.amount,
    metadata: row.metadata,
    createdAt: row.created_at,
  }));

export async function getHistory(
  db: Queryable,
  accountId: bigint,
  { cursor, limit = 20, kinds }: { cursor?: string | null; limit?: number; kinds?: TransferKind[] } = {},
): Promise<HistoryPage> {
  const before = cursor && /^\d+$/.test(cursor) ? cursor : null;
  const size = Math.min(Math.max(Math.trunc(limit), 1), 200);
  const rows = await queryRows(
    db,
    ZHistoryRow,
    `SELECT p.id AS posting_id, p.amount, p.asset, t.id AS transfer_id, t.kind, t.metadata, t.created_at
       FROM ledger_postings p JOIN ledger_transfers t ON t.id = p.transfer_id
      WHERE p.account_id = $1 AND ($2::bigint IS NULL OR p.id < $2::bigint)
        AND ($3::"TransferKind"[] IS NULL OR t.kind = ANY($3::"TransferKind"[]))
      ORDER BY p.id DESC LIMIT $4`,
    [String(accountId), before, kinds ?? null, size + 1],
  );
  const items = rows.slice(0, size);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > size && last ? String(last.postingId) : null };
}

/** The columns of a ledger_transfers row that make a Transfer (with its postings). */
export const TRANSFER_COLUMNS = "id, idempotency_key, kind, metadata, created_at";

export const ZTransferRow = z.object({
  id: column.int8,
  idempotency_key: column.text,
  kind,
  metadata,
  created_at: column.time,
});
export type TransferRow = z.output<typeof ZTransferRow>;

/** A transfer with its postings, by id or by idempotency key; null when there is none. */
export async function getTransfer(db: Queryable, ref: { id: bigint } | { idempotencyKey: string }): Promise<Transfer | null> {
  const [key, value] = "id" in ref ? ["id", String(ref.id)] : ["idempotency_key", ref.idempotencyKey];
  const row = await queryRow(db, ZTransferRow, `SELECT ${TRANSFER_COLUMNS} FROM ledger_transfers WHERE ${key} = $1`, [value]);
  if (!row) return null;
  const postings = await loadPostings(db, [row.id]);
  return rowToTransfer(row, postings.get(row.id) ?? []);
}

/** A ledger_transfers row with its postings. */
export function rowToTransfer(row: TransferRow, postings: Posting[]): Transfer {
  return { id: row.id, idempotencyKey: row.idempotency_key, kind: row.kind, metadata: row.metadata, createdAt: row.created_at, postings };
}

const ZPostingRow = z.object({ transfer_id: column.int8, account_id: column.int8, asset, amount: column.int8 });

/** The postings of these transfers, by transfer, each transfer's in the order written. */
export async function loadPostings(db: Queryable, transferIds: bigint[]): Promise<Map<bigint, Posting[]>> {
  const rows = await queryRows(
    db,
    ZPostingRow,
    "SELECT transfer_id, account_id, asset, amount FROM ledger_postings WHERE transfer_id = ANY($1::bigint[]) ORDER BY id",
    [transferIds.map(String)],
  );
  const byTransfer = new Map<bigint, Posting[]>();
  for (const row of rows) {
    const list = byTransfer.get(row.transfer_id) ?? [];
    list.push({ accountId: row.account_id, asset: row.asset, amount: row.amount });
    byTransfer.set(row.transfer_id, list);
  }
  return byTransfer;
}
