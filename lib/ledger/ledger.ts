// The only writer of value, and the one door to it: the Ledger façade. What is
// behind it lives in parts (docs/decisions/023-ledger-in-parts.md):
//   rules.ts     pure transfer rules: shape, balance per asset, content hash, shortfall, post()'s result
//   accounts.ts  the account registry and its bounded cache
//   reads.ts     balance, history and transfer reads over a Queryable
//   batcher.ts   group commit as a queue that knows nothing of the database
//   writers.ts   the fast write (ledger_write_batch), the careful transaction and the batch hooks
// A post() is checked in memory (rules, with the registry's cached accounts),
// queued, and written with everything posted while earlier batches were in
// flight, in one transaction per batch (docs/decisions/002-group-commit-ledger.md).
import type pg from "pg";
import { DatabaseBusyError } from "../db/errors";
import type { Queryable } from "../db/queryable";
import { AccountRegistry, type PlatformAccountCode, type UserAccountKind } from "./accounts";
import { Batcher, type BatcherCounters, type BusyReason } from "./batcher";
import * as reads from "./reads";
import { checkShape, prepareTransfer, type PreparedTransfer } from "./rules";
import { LedgerError, type Account, type PostResult, type Transfer, type TransferInput, type TransferKind } from "./types";
import { describeError, LedgerWriter, writeCareful, type BatchHook, type FastFallbacks } from "./writers";

export type { PlatformAccountCode, UserAccountKind } from "./accounts";
export type { HistoryEntry, HistoryPage } from "./reads";
export type { BatchHook } from "./writers";

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

export interface LedgerCounters extends BatcherCounters {
  /**
   * Why fast writes fell back: a key used before, a shortfall, a deadlock or
   * serialisation failure with a concurrent writer (logged as a warning), or an
   * error (logged as an error).
   */
  fallbacks: FastFallbacks;
}

/** What a caller refused as busy is told; nothing was written, and a retry with the same key is never charged twice. */
const BUSY_MESSAGES: Record<BusyReason, string> = {
  "queue full": "The ledger is busy right now (too many transfers waiting). Nothing was written; try again in a moment.",
  "queue wait": "The ledger is busy right now (the transfer waited too long for its turn). Nothing was written; try again in a moment.",
  "batch timeout": "The ledger is busy right now (the database has not answered). Try again in a moment: a retry is never charged twice.",
};

export class Ledger {
  private readonly accounts: AccountRegistry;
  private readonly writer: LedgerWriter;
  private readonly batcher: Batcher<PreparedTransfer, PostResult>;

  constructor(
    readonly pool: pg.Pool,
    options: LedgerOptions = {},
  ) {
    this.accounts = new AccountRegistry(pool, options.accountCacheSize);
    this.writer = new LedgerWriter(pool);
    this.batcher = new Batcher(this.writer, {
      maxBatch: options.maxBatch,
      concurrency: options.concurrency,
      maxQueued: options.maxQueued,
      maxQueueWaitMs: options.maxQueueWaitMs,
      maxBatchMs: options.maxBatchMs,
      busy: (reason) => new DatabaseBusyError(BUSY_MESSAGES[reason]),
      describeItem: (item) => `transfer ${item.input.idempotencyKey}`,
      describeError,
    });
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
    this.writer.hooks.set(name, hook);
  }

  /** How batches were written since this ledger was made (a copy). */
  stats(): LedgerCounters {
    const batches = this.batcher.stats();
    return {
      fastBatches: batches.fastBatches,
      fastTransfers: batches.fastTransfers,
      carefulBatches: batches.carefulBatches,
      carefulTransfers: batches.carefulTransfers,
      fallbacks: this.writer.fallbackCounts(),
      retries: batches.retries,
      failures: batches.failures,
      busy: batches.busy,
    };
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
   * reuses a key for different content, and with a DatabaseBusyError when the
   * ledger cannot take it now. A rejected transfer writes nothing.
   */
  async post(input: TransferInput): Promise<PostResult> {
    checkShape(input);
    // Accounts are cached after first use, so the hot path does not wait here.
    const ids = input.postings.map((p) => p.accountId);
    const accounts = this.accounts.cached(ids) ?? (await this.accounts.getAccounts(ids));
    return this.batcher.enqueue(prepareTransfer(input, accounts));
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
    const [outcome] = await writeCareful(client, this.writer.hooks, [prepareTransfer(input, accounts)]);
    if (!outcome) throw new LedgerError("INVALID_TRANSFER", "The transfer was not settled.");
    if ("error" in outcome) throw outcome.error;
    return outcome.result;
  }
}
