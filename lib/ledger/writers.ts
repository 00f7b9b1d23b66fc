// How prepared transfers reach PostgreSQL (decision 002). The fast write is one
// call of the ledger_write_batch SQL function: it inserts the batch's transfers
// and postings, then locks the accounts they touch in id order, checks funds in
// arrival order and updates the balances, so the hot rows are held just for the
// update and the commit; with batch hooks (a live gift's event) the call, the
// hooks and COMMIT share one connection. The careful write is an interactive
// transaction that settles each transfer on its own: a replay, a conflict, a
// shortfall or a success. Both apply the rules of rules.ts.
import type pg from "pg";
import { z } from "zod";
import { isTransientDatabaseError } from "../db/errors";
import { column, parseRow, queryRows } from "../db/rows";
import { inTransaction } from "../db/transaction";
import type { BatchWriter, Settled } from "./batcher";
import { loadPostings, rowToTransfer, TRANSFER_COLUMNS, ZTransferRow } from "./reads";
import { compareIds, postResult, repeatedKey, shortfall, storedTransfer, type PreparedTransfer } from "./rules";
import type { Asset, Posting, PostResult, TransferInput } from "./types";

/**
 * Work done inside the transaction that writes tagged transfers (those with
 * `tag` set), after they are written and before commit: what a hook writes
 * commits or rolls back with them.
 */
export type BatchHook = (client: pg.PoolClient, written: Array<{ transferId: bigint; input: TransferInput }>) => Promise<void>;

/** Batch hooks by name: registering a name again replaces its hook. */
export type BatchHooks = Map<string, BatchHook>;

/** Why fast writes fell back to the careful path (LedgerCounters.fallbacks). */
export interface FastFallbacks {
  replayedKey: number;
  shortfall: number;
  contention: number;
  error: number;
}

/** Careful writes that fail with these codes are run again: serialisation failure, deadlock, a key inserted meanwhile. */
const RETRYABLE = new Set(["40001", "40P01", "23505"]);

// One round trip; the function's current definition is
// prisma/migrations/20261220000000_ledger_write_batch_no_notify. $1–$4: the
// transfers in arrival order; $5–$8: their postings ($5 = the transfer's
// position in $1); $9–$11: each account touched (in id order) with its net
// change and the lowest change any posting sees.
const WRITE_BATCH_SQL = "SELECT id, created_at, n, balances FROM ledger_write_batch($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)";

/**
 * A PostgreSQL array literal of values that never need quoting (integers, enum
 * labels, hex digests): cheaper than the driver's per-element escaping.
 */
function arrayLiteral(values: ReadonlyArray<number | bigint | string>): string {
  return `{${values.join(",")}}`;
}

function pgCode(error: unknown): string | undefined {
  return (error as { code?: string } | null)?.code;
}

export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const e = error as Error & { code?: string; constraint?: string };
  return `${e.message}${e.code ? ` (SQLSTATE ${e.code}${e.constraint ? `, constraint ${e.constraint}` : ""})` : ""}`;
}

/** The fast write's expected refusals: a key already in the journal, or a batch that would overdraw. */
function fastFallbackReason(error: unknown): keyof FastFallbacks {
  const e = error as { code?: string; constraint?: string } | null;
  if (e?.code === "23505" && e.constraint === "ledger_transfers_idempotency_key_key") return "replayedKey";
  if (e?.code === "40P01" || e?.code === "40001") return "contention";
  if (e?.code === "23514" && /^ledger: account \d+ would go below zero/.test(String((error as Error).message))) return "shortfall";
  return "error";
}

async function runHooks(hooks: BatchHooks, client: pg.PoolClient, items: Array<{ transferId: bigint; input: TransferInput }>): Promise<void> {
  for (const hook of hooks.values()) await hook(client, items);
}

/** A row of ledger_write_batch: a transfer written, its place in the batch (from 1), and on one row the balances after. */
const ZWrittenRow = z.object({ id: column.int8, created_at: column.time, n: column.int4, balances: column.texts.nullable() });
type WrittenRow = z.output<typeof ZWrittenRow>;
const writtenRows = (rows: unknown[]) => rows.map((row) => parseRow(ZWrittenRow, row, WRITE_BATCH_SQL));

const ZLockedAccount = z.object({ id: column.int8, balance: column.int8, allow_negative: column.bool });
const ZInsertedTransfer = z.object({ id: column.int8, idempotency_key: column.text, created_at: column.time });

/**
 * The whole batch as one call of ledger_write_batch, in its own transaction:
 * the results in batch order, or null (nothing written) when two transfers of
 * the batch share a key. A key posted before fails the insert on the unique
 * index and a shortfall raises: nothing is written either way.
 */
export async function writeFast(pool: pg.Pool, hooks: BatchHooks, batch: readonly PreparedTransfer[]): Promise<PostResult[] | null> {
  const keys = new Set<string>();
  // Per account: the net change, and the lowest balance change any posting
  // would see if the transfers are applied in arrival order (what writeCareful
  // checks one by one: the balance before the transfer plus the posting).
  const accounts = new Map<bigint, { delta: bigint; low: bigint }>();
  // Arrays of numbers, enum labels and hex digests go out as array literals
  // built here (nothing in them needs quoting); keys and metadata are left to
  // the driver, which quotes and escapes them.
  const pTransfer: number[] = [],
    pAccount: bigint[] = [],
    pAsset: Asset[] = [],
    pAmount: bigint[] = [];
  for (let n = 1; n <= batch.length; n++) {
    const { input, postings } = batch[n - 1]!;
    if (keys.has(input.idempotencyKey)) return null;
    keys.add(input.idempotencyKey);
    for (const p of postings) {
      let account = accounts.get(p.accountId);
      if (!account) accounts.set(p.accountId, (account = { delta: 0n, low: 0n }));
      if (account.delta + p.amount < account.low) account.low = account.delta + p.amount;
      pTransfer.push(n);
      pAccount.push(p.accountId);
      pAsset.push(p.asset);
      pAmount.push(p.amount);
    }
    for (const p of postings) accounts.get(p.accountId)!.delta += p.amount;
  }
  const ids = [...accounts.keys()].sort(compareIds);
  const query = {
    name: "ledger_write_batch",
    text: WRITE_BATCH_SQL,
    values: [
      [...keys],
      arrayLiteral(batch.map((p) => p.input.kind)),
      arrayLiteral(batch.map((p) => p.hash)),
      batch.map((p) => p.metadataJson),
      arrayLiteral(pTransfer),
      arrayLiteral(pAccount),
      arrayLiteral(pAsset),
      arrayLiteral(pAmount),
      arrayLiteral(ids),
      arrayLiteral(ids.map((id) => accounts.get(id)!.delta)),
      arrayLiteral(ids.map((id) => accounts.get(id)!.low)),
    ],
  };
  const tagged = hooks.size > 0 && batch.some((p) => p.input.tag !== undefined);
  let rows: WrittenRow[];
  if (!tagged) {
    rows = writtenRows((await pool.query(query)).rows);
    if (rows.length !== batch.length) return null;
  } else {
    // Batch hooks write in the batch's transaction: the same function call,
    // then the hooks, then COMMIT, on one connection.
    rows = await inTransaction(pool, async (client) => {
      const written = writtenRows((await client.query(query)).rows);
      if (written.length !== batch.length) throw new Error("ledger: batch not written whole");
      const items = written.map((row) => ({ transferId: row.id, input: batch[row.n - 1]!.input })).filter((item) => item.input.tag !== undefined);
      await runHooks(hooks, client, items);
      return written;
    });
  }
  // Committed: nothing from here on may throw.
  const after = rows.find((row) => row.balances)?.balances ?? [];
  const balances = new Map<bigint, bigint>();
  ids.forEach((id, i) => after[i] !== undefined && balances.set(id, BigInt(after[i]!)));
  const results = new Array<PostResult>(batch.length);
  for (const row of rows) {
    const n = row.n - 1;
    results[n] = postResult(storedTransfer(batch[n]!, row.id, row.created_at), balances);
  }
  return results;
}

/**
 * Writes a batch inside an open transaction, settling each transfer on its own:
 * a key posted before replays (or conflicts), a shortfall is refused, the rest
 * are written, and a key repeated within the batch follows its first use. The
 * outcomes are in batch order; nothing is final until the caller commits.
 */
export async function writeCareful(client: pg.PoolClient, hooks: BatchHooks, batch: readonly PreparedTransfer[]): Promise<Array<Settled<PostResult>>> {
  const outcomes = new Array<Settled<PostResult>>(batch.length);

  // 1. Keys posted before (or twice in this batch): replay or conflict.
  const keys = [...new Set(batch.map((p) => p.input.idempotencyKey))];
  const existing = await queryRows(
    client,
    ZTransferRow.extend({ content_hash: column.text }),
    `SELECT ${TRANSFER_COLUMNS}, content_hash FROM ledger_transfers WHERE idempotency_key = ANY($1::text[])`,
    [keys],
  );
  const existingByKey = new Map(existing.map((row) => [row.idempotency_key, row]));
  const existingPostings = existing.length
    ? await loadPostings(
        client,
        existing.map((row) => row.id),
      )
    : new Map<bigint, Posting[]>();
  const firstInBatch = new Map<string, number>();
  const fresh: number[] = [];
  const followers: Array<{ at: number; leader: number }> = [];
  batch.forEach((pending, at) => {
    const key = pending.input.idempotencyKey;
    const stored = existingByKey.get(key);
    if (stored) {
      outcomes[at] = repeatedKey(pending, stored.content_hash, () => rowToTransfer(stored, existingPostings.get(stored.id) ?? []));
      return;
    }
    const leader = firstInBatch.get(key);
    if (leader !== undefined) {
      followers.push({ at, leader });
      return;
    }
    firstInBatch.set(key, at);
    fresh.push(at);
  });

  // 2. Lock every account touched, in id order, and check funds in arrival order.
  const accountIds = [...new Set(fresh.flatMap((at) => batch[at]!.postings.map((x) => x.accountId)))].sort(compareIds);
  const balances = new Map<bigint, { balance: bigint; allowNegative: boolean }>();
  if (accountIds.length) {
    const locked = await queryRows(
      client,
      ZLockedAccount,
      "SELECT id, balance, allow_negative FROM ledger_accounts WHERE id = ANY($1::bigint[]) ORDER BY id FOR UPDATE",
      [accountIds.map(String)],
    );
    for (const row of locked) balances.set(row.id, { balance: row.balance, allowNegative: row.allow_negative });
  }
  const accepted: PreparedTransfer[] = [];
  const acceptedAt: number[] = [];
  for (const at of fresh) {
    const pending = batch[at]!;
    const error = shortfall(pending.postings, balances);
    if (error) {
      outcomes[at] = { error };
      continue;
    }
    for (const p of pending.postings) balances.get(p.accountId)!.balance += p.amount;
    accepted.push(pending);
    acceptedAt.push(at);
  }

  // 3. One statement writes transfers, postings and balances; then the batch hooks.
  const stored = new Map<string, { id: bigint; createdAt: Date }>();
  if (accepted.length) {
    const deltas = new Map<bigint, bigint>();
    const pKey: string[] = [],
      pAccount: string[] = [],
      pAsset: string[] = [],
      pAmount: string[] = [];
    for (const pending of accepted) {
      for (const p of pending.postings) {
        deltas.set(p.accountId, (deltas.get(p.accountId) ?? 0n) + p.amount);
        pKey.push(pending.input.idempotencyKey);
        pAccount.push(String(p.accountId));
        pAsset.push(p.asset);
        pAmount.push(String(p.amount));
      }
    }
    const inserted = await queryRows(
      client,
      ZInsertedTransfer,
      `WITH t AS (
         INSERT INTO ledger_transfers (idempotency_key, kind, content_hash, metadata)
         SELECT * FROM unnest($1::text[], $2::"TransferKind"[], $3::text[], $4::jsonb[])
         RETURNING id, idempotency_key, created_at),
       p AS (
         INSERT INTO ledger_postings (transfer_id, account_id, asset, amount)
         SELECT t.id, x.account_id, x.asset, x.amount
           FROM unnest($5::text[], $6::bigint[], $7::"Asset"[], $8::bigint[]) WITH ORDINALITY AS x(key, account_id, asset, amount, n)
           JOIN t ON t.idempotency_key = x.key
          ORDER BY x.n),
       b AS (
         UPDATE ledger_accounts a SET balance = a.balance + d.delta
           FROM unnest($9::bigint[], $10::bigint[]) AS d(id, delta)
          WHERE a.id = d.id)
       SELECT t.id, t.idempotency_key, t.created_at FROM t`,
      [
        accepted.map((p) => p.input.idempotencyKey),
        accepted.map((p) => p.input.kind),
        accepted.map((p) => p.hash),
        accepted.map((p) => p.metadataJson),
        pKey,
        pAccount,
        pAsset,
        pAmount,
        [...deltas.keys()].map(String),
        [...deltas.values()].map(String),
      ],
    );
    for (const row of inserted) stored.set(row.idempotency_key, { id: row.id, createdAt: row.created_at });
    const tagged = accepted.filter((p) => p.input.tag !== undefined);
    if (tagged.length) {
      await runHooks(
        hooks,
        client,
        tagged.map((p) => ({ transferId: stored.get(p.input.idempotencyKey)!.id, input: p.input })),
      );
    }
    const after = new Map([...balances].map(([id, { balance }]) => [id, balance]));
    accepted.forEach((pending, i) => {
      const row = stored.get(pending.input.idempotencyKey)!;
      outcomes[acceptedAt[i]!] = { result: postResult(storedTransfer(pending, row.id, row.createdAt), after) };
    });
  }

  // 4. Repeats of a key inside the batch follow its first use.
  for (const { at, leader } of followers) {
    const pending = batch[at]!;
    const first = batch[leader]!;
    const refused = outcomes[leader]!;
    if ("error" in refused && pending.hash === first.hash) {
      outcomes[at] = refused;
      continue;
    }
    outcomes[at] = repeatedKey(pending, first.hash, () => {
      const row = stored.get(first.input.idempotencyKey)!;
      return storedTransfer(first, row.id, row.createdAt);
    });
  }
  return outcomes;
}

/** The ledger's BatchWriter: the fast write first, the careful one in a transaction of its own. */
export class LedgerWriter implements BatchWriter<PreparedTransfer, PostResult> {
  readonly hooks: BatchHooks = new Map();
  private readonly fallbacks: FastFallbacks = { replayedKey: 0, shortfall: 0, contention: 0, error: 0 };

  constructor(private readonly pool: pg.Pool) {}

  /** Why fast writes fell back since this writer was made (a copy). */
  fallbackCounts(): FastFallbacks {
    return { ...this.fallbacks };
  }

  /**
   * The fast write. A replayed key or a shortfall makes it write nothing, as
   * designed, and the batch goes the careful way; any other error is a fault
   * worth knowing about: it is counted and logged once with its cause before
   * the careful path settles the batch (and reports the error to the callers if
   * it persists).
   */
  async fast(batch: readonly PreparedTransfer[]): Promise<PostResult[] | null> {
    try {
      const results = await writeFast(this.pool, this.hooks, batch);
      if (!results) this.fallbacks.replayedKey++;
      return results;
    } catch (error) {
      const reason = fastFallbackReason(error);
      this.fallbacks[reason]++;
      if (reason === "error" && isTransientDatabaseError(error)) {
        // A passing fault (connection lost, lock or statement timeout): the
        // careful path would meet it again while callers wait. Each caller is
        // told to retry with the same key, which replays the transfer if this
        // write did commit after all.
        throw error;
      }
      if (reason === "contention") {
        console.warn(`ledger: the fast write of a batch of ${batch.length} met a concurrent writer, settling it on the careful path: ${describeError(error)}`);
      } else if (reason === "error") {
        console.error(`ledger: the fast write of a batch of ${batch.length} failed, settling it on the careful path: ${describeError(error)}`);
      }
      return null;
    }
  }

  careful(batch: readonly PreparedTransfer[]): Promise<Array<Settled<PostResult>>> {
    return inTransaction(this.pool, (client) => writeCareful(client, this.hooks, batch));
  }

  retryable(error: unknown): boolean {
    return RETRYABLE.has(pgCode(error) ?? "");
  }

  passingFault(error: unknown): boolean {
    return isTransientDatabaseError(error);
  }
}
