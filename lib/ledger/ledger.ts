// The only writer of value. Transfers are validated in memory, then written by a
// group-commit batcher: every post() that arrives while batches are in flight
// joins the next one, and a whole batch is one PostgreSQL transaction that locks
// the accounts it touches once (in id order, so batches never deadlock), checks
// funds in arrival order, and writes transfers, postings and balances. Normally
// that transaction is a single function call, one round trip (writeFast), that
// takes the account locks only after the inserts, so the hot rows are held just
// for the balance update and the commit (with batch hooks — a live gift's event —
// the call, the hooks and COMMIT share one connection); batches with replayed
// keys or a shortfall take an interactive transaction that settles each
// transfer on its own (writeBatch). See docs/decisions/002-group-commit-ledger.md.
import type pg from "pg";
import { DatabaseBusyError, isTransientDatabaseError } from "../db/errors";
import type { Queryable } from "../db/queryable";
import { inTransaction } from "../db/transaction";
import { AccountRegistry, type PlatformAccountCode, type UserAccountKind } from "./accounts";
import * as reads from "./reads";
import { checkShape, compareIds, postResult, prepareTransfer, repeatedKey, shortfall, storedTransfer, type PreparedTransfer } from "./rules";
import {
  LedgerError,
  type Account,
  type Asset,
  type PostResult,
  type Transfer,
  type TransferInput,
  type TransferKind,
} from "./types";

interface Pending extends PreparedTransfer {
  /** performance.now() when it joined the queue. */
  queuedAt?: number;
  resolve(result: PostResult): void;
  reject(error: unknown): void;
}

export interface LedgerOptions {
  /** Most transfers in one database transaction. */
  maxBatch?: number;
  /** Batches in flight at once (they serialise on shared accounts, but pipeline). */
  concurrency?: number;
  /** Posts waiting for a batch at most; more are refused at once as busy. */
  maxQueued?: number;
  /** A post not taken into a batch within this many ms is refused as busy (nothing written). */
  maxQueueWaitMs?: number;
  /** Accounts kept in memory at most (they never change but for the balance). */
  accountCacheSize?: number;
  /**
   * A batch not settled within this many ms (a database that stalls without
   * failing) has its callers told busy: the outcome is unknown, and a retry with
   * the same key replays the transfer if the batch commits after all.
   */
  maxBatchMs?: number;
}

const RETRYABLE = new Set(["40001", "40P01", "23505"]);
const MAX_ATTEMPTS = 8;
/**
 * Smallest batch a long queue is split into. Below it a split costs more (each
 * batch pays for its round trip, locks and commit) than the overlap saves; at
 * 32, 64 viewers waiting on one gift each go out as two batches that overlap
 * (one inserting while the other commits) instead of one batch at a time
 * (docs/BENCHMARKS.md: about 9–11k gifts/s with 64, 14–15k with 32 at the time).
 */
const MIN_SHARED_BATCH = 32;

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

export class Ledger {
  private readonly accounts: AccountRegistry;
  private readonly queue: Pending[] = [];
  private readonly maxQueued: number;
  private readonly maxQueueWaitMs: number;
  private readonly maxBatchMs: number;
  private expiryTimer: NodeJS.Timeout | null = null;
  /** A passing fault is being reported (said once, until a batch commits again). */
  private faulted = false;
  private inFlight = 0;
  private scheduled = false;
  private readonly maxBatch: number;
  /** Batch hooks by name: registering a name again replaces its hook. */
  private readonly hooks = new Map<string, BatchHook>();
  private readonly concurrency: number;
  private readonly counters: LedgerCounters = {
    fastBatches: 0,
    fastTransfers: 0,
    carefulBatches: 0,
    carefulTransfers: 0,
    fallbacks: { replayedKey: 0, shortfall: 0, contention: 0, error: 0 },
    retries: 0,
    failures: 0,
    busy: 0,
  };

  constructor(
    readonly pool: pg.Pool,
    options: LedgerOptions = {},
  ) {
    this.maxBatch = options.maxBatch ?? 1000;
    this.concurrency = options.concurrency ?? 2;
    this.maxQueued = options.maxQueued ?? 10_000;
    this.maxQueueWaitMs = options.maxQueueWaitMs ?? 5_000;
    this.maxBatchMs = options.maxBatchMs ?? 10_000;
    this.accounts = new AccountRegistry(pool, options.accountCacheSize);
  }

  /** Accounts held in memory now (by id and by code), for tests and counters. */
  cachedAccounts(): { byId: number; byCode: number } {
    return this.accounts.cachedCount();
  }

  // ---------------------------------------------------------------- accounts

  /** Accounts by id (cached: everything but the balance is immutable). */
  getAccounts(ids: bigint[]): Promise<Map<bigint, Account>> {
    return this.accounts.getAccounts(ids);
  }

  getAccountByCode(code: string): Promise<Account | null> {
    return this.accounts.getAccountByCode(code);
  }

  /** The platform account with this code (created by migration). */
  platformAccount(code: PlatformAccountCode): Promise<Account> {
    return this.accounts.platformAccount(code);
  }

  /**
   * A user's wallet of this kind, created on first use (inside the caller's
   * transaction when `db` is its client).
   */
  userAccount(userId: string, kind: UserAccountKind, db: Queryable = this.pool): Promise<Account> {
    return this.accounts.userAccount(userId, kind, db);
  }

  /**
   * Registers work to do inside the transaction that writes tagged transfers
   * (those with `tag` set), after they are written and before commit: what a
   * hook writes commits or rolls back with them. Hooks are kept by name, so
   * registering the same name again (as every copy of a module that Next.js
   * bundles more than once does) replaces the hook instead of adding a second.
   */
  setBatchHook(name: string, hook: BatchHook): void {
    this.hooks.set(name, hook);
  }

  /** How batches were written since this ledger was made (a copy). */
  stats(): LedgerCounters {
    return { ...this.counters, fallbacks: { ...this.counters.fallbacks } };
  }

  // ------------------------------------------------------------------- reads

  getBalance(accountId: bigint): Promise<bigint> {
    return reads.getBalance(this.pool, accountId);
  }

  /** An account's postings, newest first, a page at a time (see reads.getHistory). */
  getHistory(accountId: bigint, options?: { cursor?: string | null; limit?: number; kinds?: TransferKind[] }): Promise<reads.HistoryPage> {
    return reads.getHistory(this.pool, accountId, options);
  }

  getTransfer(ref: { id: bigint } | { idempotencyKey: string }): Promise<Transfer | null> {
    return reads.getTransfer(this.pool, ref);
  }

  // ------------------------------------------------------------------ writes

  /**
   * Posts one transfer. Resolves with the committed transfer (or the original
   * one when the key was used before with the same content); rejects with a
   * LedgerError when it is invalid, unbalanced, would overdraw an account, or
   * reuses a key for different content. A rejected transfer writes nothing.
   */
  async post(input: TransferInput): Promise<PostResult> {
    checkShape(input);
    // Accounts are cached after first use, so the hot path does not wait here.
    const ids = input.postings.map((p) => p.accountId);
    const accounts = this.accounts.cached(ids) ?? (await this.accounts.getAccounts(ids));
    const pending = prepareTransfer(input, accounts);
    if (this.queue.length >= this.maxQueued) {
      this.counters.busy++;
      this.reportFault(`ledger: busy, ${this.queue.length} posts already waiting; refusing new ones until the queue drains`);
      throw new DatabaseBusyError("The ledger is busy right now (too many transfers waiting). Nothing was written; try again in a moment.");
    }
    return new Promise<PostResult>((resolve, reject) => {
      this.queue.push({ ...pending, queuedAt: performance.now(), resolve, reject });
      this.watchQueue();
      this.schedule();
    });
  }

  /** Says once that writing has trouble (until a batch commits again). */
  private reportFault(line: string): void {
    if (this.faulted) return;
    this.faulted = true;
    console.error(line);
  }

  private recovered(): void {
    if (!this.faulted) return;
    this.faulted = false;
    console.warn("ledger: writing again.");
  }

  /**
   * While posts wait, refuses (as busy) those that waited longer than
   * maxQueueWaitMs for a batch: the batches in flight are stuck (a lock held
   * elsewhere, a database that does not answer), and a caller is better told to
   * try again than kept waiting. They were never sent, so nothing was written.
   */
  private watchQueue(): void {
    if (this.expiryTimer) return;
    const every = Math.max(10, Math.min(250, this.maxQueueWaitMs / 4));
    this.expiryTimer = setInterval(() => {
      const cutoff = performance.now() - this.maxQueueWaitMs;
      let expired = 0;
      while (this.queue.length && this.queue[0]!.queuedAt! <= cutoff) {
        this.queue.shift()!.reject(new DatabaseBusyError("The ledger is busy right now (the transfer waited too long for its turn). Nothing was written; try again in a moment."));
        expired++;
      }
      if (expired) {
        this.counters.busy += expired;
        this.reportFault(`ledger: busy, ${expired} posts waited over ${this.maxQueueWaitMs} ms for a batch and were refused (the batches in flight are not finishing)`);
      }
      if (!this.queue.length && this.expiryTimer) {
        clearInterval(this.expiryTimer);
        this.expiryTimer = null;
      }
    }, every);
    this.expiryTimer.unref?.();
  }

  /**
   * Posts one transfer inside the caller's open transaction, for workflows whose
   * own rows must commit or roll back together with the transfer (a withdrawal's
   * status and its ledger step). Same checks and idempotency as post(): locks the
   * accounts, replays a key posted before with the same content, rejects with a
   * LedgerError otherwise. Nothing is final until the caller commits.
   */
  async postInTransaction(client: pg.PoolClient, input: TransferInput): Promise<PostResult> {
    checkShape(input);
    const accounts = await this.accounts.getAccounts(input.postings.map((p) => p.accountId));
    let outcome: { result: PostResult } | { error: unknown } | undefined;
    const pending: Pending = {
      ...prepareTransfer(input, accounts),
      resolve: (result) => (outcome = { result }),
      reject: (error) => (outcome = { error }),
    };
    (await this.writeBatch(client, [pending]))();
    if (!outcome) throw new LedgerError("INVALID_TRANSFER", "The transfer was not settled.");
    if ("error" in outcome) throw outcome.error;
    return outcome.result;
  }

  /**
   * Starts a batch while fewer than `concurrency` are in flight. Posts made in
   * the same tick go out together and are settled in arrival order; posts made
   * while batches are in flight queue up for the next one. A long queue is
   * shared out over the free slots (each batch keeping at least
   * MIN_SHARED_BATCH posts): the second batch then waits in PostgreSQL behind
   * the first one's account locks and starts the moment it commits, while Node
   * settles the first one's results and gathers the next batch.
   */
  private schedule(): void {
    if (this.scheduled || this.inFlight >= this.concurrency || this.queue.length === 0) return;
    this.scheduled = true;
    // Let every post() of this tick join the batch.
    setImmediate(() => {
      this.scheduled = false;
      const free = this.concurrency - this.inFlight;
      if (free <= 0 || this.queue.length === 0) return;
      const parts = Math.max(1, Math.min(free, Math.floor(this.queue.length / MIN_SHARED_BATCH)));
      const batch = this.queue.splice(0, Math.min(this.maxBatch, Math.ceil(this.queue.length / parts)));
      this.inFlight++;
      // The batch keeps its slot until PostgreSQL answers; its callers are not kept that long.
      const deadline = setTimeout(() => {
        this.counters.busy += batch.length;
        this.reportFault(`ledger: busy, a batch of ${batch.length} has not finished in ${this.maxBatchMs} ms; its callers are told to try again`);
        const error = new DatabaseBusyError("The ledger is busy right now (the database has not answered). Try again in a moment: a retry is never charged twice.");
        for (const p of batch) p.reject(error);
      }, this.maxBatchMs);
      deadline.unref?.();
      this.commitBatch(batch)
        .then(
          () => this.recovered(),
          (error) => {
            this.counters.failures += batch.length;
            this.reportFault(`ledger: a batch of ${batch.length} failed, its callers are told to try again: ${describeError(error)}`);
            batch.forEach((p) => p.reject(error));
          },
        )
        .finally(() => {
          clearTimeout(deadline);
          this.inFlight--;
          this.schedule();
        });
      this.schedule();
    });
  }

  /**
   * Commits a batch. Usually one round trip does it (writeFast); when that
   * statement meets a replayed key or a shortfall it writes nothing, and the
   * batch goes the careful way: an interactive transaction (writeBatch) that
   * settles each transfer on its own merits, retried on serialisation failures
   * and split up if it still fails.
   */
  private async commitBatch(batch: Pending[]): Promise<void> {
    if (await this.tryFast(batch)) return;
    await this.commitCarefully(batch);
  }

  /**
   * The fast path. A replayed key or a shortfall makes it write nothing, as
   * designed, and the batch goes the careful way; any other error is a fault
   * worth knowing about: it is counted and logged once with its cause before
   * the careful path settles the batch (and reports the error to the callers if
   * it persists).
   */
  private async tryFast(batch: Pending[]): Promise<boolean> {
    try {
      const written = await this.writeFast(batch);
      if (written) {
        this.counters.fastBatches++;
        this.counters.fastTransfers += batch.length;
      } else {
        this.counters.fallbacks.replayedKey++;
      }
      return written;
    } catch (error) {
      const reason = fastFallbackReason(error);
      this.counters.fallbacks[reason]++;
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
      return false;
    }
  }

  /**
   * An interactive transaction (writeBatch) that settles each transfer on its
   * own merits, retried on serialisation failures and split up if it still
   * fails, so one bad transfer fails alone.
   */
  private async commitCarefully(batch: Pending[]): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      let settle: () => void;
      try {
        settle = await inTransaction(this.pool, (client) => this.writeBatch(client, batch));
      } catch (error) {
        if (RETRYABLE.has(pgCode(error) ?? "") && attempt < MAX_ATTEMPTS) {
          this.counters.retries++;
          await new Promise((r) => setTimeout(r, Math.random() * 5 * attempt));
          continue;
        }
        if (isTransientDatabaseError(error)) {
          // Not one transfer's fault: splitting would only meet it again, once per transfer.
          throw error;
        }
        if (batch.length > 1) {
          // Isolate whatever made the batch fail: each transfer on its own.
          await Promise.all(batch.map((p) => this.commitCarefully([p])));
          return;
        }
        this.counters.failures++;
        console.error(`ledger: transfer ${batch[0]!.input.idempotencyKey} failed after ${attempt} attempt(s): ${describeError(error)}`);
        batch[0]!.reject(error);
        return;
      }
      this.counters.carefulBatches++;
      this.counters.carefulTransfers += batch.length;
      settle();
      return;
    }
  }

  /**
   * The whole batch as one call of the ledger_write_batch function in its own
   * implicit transaction: insert transfers and postings, then lock the accounts
   * in id order, check that no transfer overdraws at its turn, update the cached
   * balances. A key posted before fails the insert on the unique
   * index; a shortfall raises. Either way nothing is written, and the batch
   * goes the careful path (returns false or throws).
   */
  private async writeFast(batch: Pending[]): Promise<boolean> {
    const keys = new Set<string>();
    // Per account: the net change, and the lowest balance change any posting
    // would see if the transfers are applied in arrival order (what writeBatch
    // checks one by one: the balance before the transfer plus the posting).
    const accounts = new Map<bigint, { delta: bigint; low: bigint }>();
    // Arrays of numbers, enum labels and hex digests go out as array literals
    // built here (nothing in them needs quoting); keys and metadata are left to
    // the driver, which quotes and escapes them.
    const pTransfer: number[] = [], pAccount: bigint[] = [], pAsset: Asset[] = [], pAmount: bigint[] = [];
    for (let n = 1; n <= batch.length; n++) {
      const { input, postings } = batch[n - 1]!;
      if (keys.has(input.idempotencyKey)) return false;
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
    const tagged = this.hooks.size > 0 && batch.some((p) => p.input.tag !== undefined);
    let rows: Array<{ id: bigint; created_at: Date; n: number; balances: string[] | null }>;
    if (!tagged) {
      ({ rows } = await this.pool.query(query));
      if (rows.length !== batch.length) return false;
    } else {
      // Batch hooks write in the batch's transaction: the same function call,
      // then the hooks, then COMMIT, on one connection.
      rows = await inTransaction(this.pool, async (client) => {
        const { rows: written } = await client.query(query);
        if (written.length !== batch.length) throw new Error("ledger: batch not written whole");
        const items = written
          .map((row) => ({ transferId: row.id as bigint, input: batch[row.n - 1]!.input }))
          .filter((item) => item.input.tag !== undefined);
        for (const hook of this.hooks.values()) await hook(client, items);
        return written;
      });
    }
    // Committed: nothing from here on may throw.
    const after = rows.find((row) => row.balances)?.balances ?? [];
    const balances = new Map<bigint, bigint>();
    ids.forEach((id, i) => after[i] !== undefined && balances.set(id, BigInt(after[i]!)));
    for (const row of rows) {
      const pending = batch[row.n - 1]!;
      pending.resolve(postResult(storedTransfer(pending, row.id as bigint, row.created_at as Date), balances));
    }
    return true;
  }

  /** Writes a batch inside an open transaction; returns how to settle its promises after commit. */
  private async writeBatch(client: pg.PoolClient, batch: Pending[]): Promise<() => void> {
    const outcomes: Array<() => void> = [];

    // 1. Keys posted before (or twice in this batch): replay or conflict.
    const keys = [...new Set(batch.map((p) => p.input.idempotencyKey))];
    const { rows: existing } = await client.query(
      "SELECT id, idempotency_key, kind, content_hash, metadata, created_at FROM ledger_transfers WHERE idempotency_key = ANY($1::text[])",
      [keys],
    );
    const existingByKey = new Map(existing.map((row) => [row.idempotency_key as string, row]));
    const existingPostings = existing.length ? await reads.loadPostings(client, existing.map((r) => r.id as bigint)) : new Map();
    const firstInBatch = new Map<string, Pending>();
    const fresh: Pending[] = [];
    const followers: Array<{ pending: Pending; leader: Pending }> = [];
    for (const pending of batch) {
      const key = pending.input.idempotencyKey;
      const stored = existingByKey.get(key);
      if (stored) {
        const outcome = repeatedKey(pending, stored.content_hash as string, () => reads.rowToTransfer(stored, existingPostings.get(stored.id as bigint) ?? []));
        outcomes.push(() => ("error" in outcome ? pending.reject(outcome.error) : pending.resolve(outcome.result)));
        continue;
      }
      const leader = firstInBatch.get(key);
      if (leader) {
        followers.push({ pending, leader });
        continue;
      }
      firstInBatch.set(key, pending);
      fresh.push(pending);
    }

    // 2. Lock every account touched, in id order, and check funds in arrival order.
    const accountIds = [...new Set(fresh.flatMap((p) => p.postings.map((x) => x.accountId)))].sort(compareIds);
    const balances = new Map<bigint, { balance: bigint; allowNegative: boolean }>();
    if (accountIds.length) {
      const { rows } = await client.query(
        "SELECT id, balance, allow_negative FROM ledger_accounts WHERE id = ANY($1::bigint[]) ORDER BY id FOR UPDATE",
        [accountIds.map(String)],
      );
      for (const row of rows) balances.set(row.id as bigint, { balance: row.balance as bigint, allowNegative: row.allow_negative as boolean });
    }
    const accepted: Pending[] = [];
    const rejected = new Map<Pending, LedgerError>();
    for (const pending of fresh) {
      const error = shortfall(pending.postings, balances);
      if (error) {
        rejected.set(pending, error);
        outcomes.push(() => pending.reject(error));
        continue;
      }
      for (const p of pending.postings) balances.get(p.accountId)!.balance += p.amount;
      accepted.push(pending);
    }

    // 3. One statement writes transfers, postings, balances and announcements.
    const stored = new Map<string, { id: bigint; createdAt: Date }>();
    if (accepted.length) {
      const deltas = new Map<bigint, bigint>();
      const pKey: string[] = [], pAccount: string[] = [], pAsset: string[] = [], pAmount: string[] = [];
      for (const pending of accepted) {
        for (const p of pending.postings) {
          deltas.set(p.accountId, (deltas.get(p.accountId) ?? 0n) + p.amount);
          pKey.push(pending.input.idempotencyKey);
          pAccount.push(String(p.accountId));
          pAsset.push(p.asset);
          pAmount.push(String(p.amount));
        }
      }
      const { rows } = await client.query(
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
      for (const row of rows) stored.set(row.idempotency_key as string, { id: row.id as bigint, createdAt: row.created_at as Date });
      const tagged = accepted.filter((p) => p.input.tag !== undefined);
      if (tagged.length) {
        const items = tagged.map((p) => ({ transferId: stored.get(p.input.idempotencyKey)!.id, input: p.input }));
        for (const hook of this.hooks.values()) await hook(client, items);
      }
      const after = new Map([...balances].map(([id, { balance }]) => [id, balance]));
      for (const pending of accepted) {
        const row = stored.get(pending.input.idempotencyKey)!;
        outcomes.push(() => pending.resolve(postResult(storedTransfer(pending, row.id, row.createdAt), after)));
      }
    }

    // 4. Duplicates inside the batch follow their leader.
    for (const { pending, leader } of followers) {
      outcomes.push(() => {
        const error = rejected.get(leader);
        if (error && pending.hash === leader.hash) return pending.reject(error);
        const outcome = repeatedKey(pending, leader.hash, () => {
          const row = stored.get(leader.input.idempotencyKey)!;
          return storedTransfer(leader, row.id, row.createdAt);
        });
        if ("error" in outcome) pending.reject(outcome.error);
        else pending.resolve(outcome.result);
      });
    }
    return () => outcomes.forEach((settle) => settle());
  }
}

/**
 * writeFast's statement. $1–$4: the transfers in arrival order; $5–$8: their
 * postings ($5 = the transfer's position in $1); $9–$11: each account touched
 * (in id order) with its net change and the lowest change any posting sees;
 * $12–$14: announcements (transfer position, channel, payload).
 * Locking comes first: `go` aggregates over `locked`, so every account row is
 * locked (FOR UPDATE, in id order, reading the latest committed balance) before
 * the inserts and the update, which all wait on `go`, run. Account lookups say
 * `id = ANY($9)` so that the cached (generic) plan uses the primary key however
 * small the table was when it was planned. Announcements are made in arrival
 * order, and PostgreSQL delivers them only on commit.
 */
// One round trip; the function's current definition is
// prisma/migrations/20261220000000_ledger_write_batch_no_notify.
const WRITE_BATCH_SQL =
  "SELECT id, created_at, n, balances FROM ledger_write_batch($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)";

export interface LedgerCounters {
  /** Batches (and their transfers) written in one round trip. */
  fastBatches: number;
  fastTransfers: number;
  /** Batches (and transfers) settled on the careful path. */
  carefulBatches: number;
  carefulTransfers: number;
  /**
   * Why fast writes fell back: a key used before, a shortfall, a deadlock or
   * serialisation failure with a concurrent writer (logged as a warning), or an
   * error (logged as an error).
   */
  fallbacks: { replayedKey: number; shortfall: number; contention: number; error: number };
  /** Careful transactions retried after a serialisation failure, deadlock or key race. */
  retries: number;
  /** Transfers that failed for good with an error other than a ledger refusal. */
  failures: number;
  /** Posts refused as busy without being sent (queue full, or waited too long for a batch). */
  busy: number;
}

/** The fast write's expected refusals: a key already in the journal, or a batch that would overdraw. */
function fastFallbackReason(error: unknown): keyof LedgerCounters["fallbacks"] {
  const e = error as { code?: string; constraint?: string } | null;
  if (e?.code === "23505" && e.constraint === "ledger_transfers_idempotency_key_key") return "replayedKey";
  if (e?.code === "40P01" || e?.code === "40001") return "contention";
  if (e?.code === "23514" && /^ledger: account \d+ would go below zero/.test(String((error as Error).message))) return "shortfall";
  return "error";
}

function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const e = error as Error & { code?: string; constraint?: string };
  return `${e.message}${e.code ? ` (SQLSTATE ${e.code}${e.constraint ? `, constraint ${e.constraint}` : ""})` : ""}`;
}

export type { PlatformAccountCode, UserAccountKind } from "./accounts";
export type { HistoryEntry, HistoryPage } from "./reads";

export type BatchHook = (client: pg.PoolClient, written: Array<{ transferId: bigint; input: TransferInput }>) => Promise<void>;
