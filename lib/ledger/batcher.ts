// Group commit as a queue: items wait until a batch slot is free, and then
// everything waiting goes out together. It knows nothing of the database: a
// BatchWriter writes a batch (fast as a whole, or carefully item by item) and
// says which of its errors are worth a retry and which are a passing fault;
// the batcher schedules, bounds the queue and the waits, retries, splits a
// failing batch so that one bad item fails alone, and reports trouble once.
// See docs/decisions/002-group-commit-ledger.md and 023-ledger-in-parts.md.

/** How one item of a batch came out: its result, or the error its caller gets. */
export type Settled<R> = { result: R } | { error: unknown };

export interface BatchWriter<T, R> {
  /**
   * One try at the whole batch: the results in batch order once it is written,
   * or null when it must be written carefully instead (nothing written). A
   * thrown error fails every item of the batch with it.
   */
  fast(batch: readonly T[]): Promise<R[] | null>;
  /**
   * Writes the batch as one unit that settles each item on its own merits:
   * the outcomes in batch order once it is written. A thrown error means
   * nothing was written.
   */
  careful(batch: readonly T[]): Promise<Array<Settled<R>>>;
  /** A careful write that failed with this may simply be run again (a serialisation failure, a deadlock, a key race). */
  retryable(error: unknown): boolean;
  /** This error is a passing fault of the store, not one item's: splitting the batch would only meet it again. */
  passingFault(error: unknown): boolean;
}

/** Why items were refused without being written. */
export type BusyReason = "queue full" | "queue wait" | "batch timeout";

/** The batcher's bounds when none are given (lib/env.ts takes its LEDGER_* defaults from here). */
export const BATCHER_DEFAULTS = { concurrency: 2, maxQueued: 10_000, maxQueueWaitMs: 5_000, maxBatchMs: 10_000 } as const;

export interface BatcherOptions<T> {
  /** Most items in one batch. */
  maxBatch?: number;
  /** Batches in flight at once. */
  concurrency?: number;
  /** Items waiting for a batch at most; more are refused at once as busy. */
  maxQueued?: number;
  /** An item not taken into a batch within this many ms is refused as busy. */
  maxQueueWaitMs?: number;
  /** A batch not settled within this many ms has its items refused as busy (it keeps its slot until the writer answers). */
  maxBatchMs?: number;
  /** Smallest batch a long queue is split into (see MIN_SHARED_BATCH). */
  minSharedBatch?: number;
  /** Careful writes of one batch at most (the first and its retries). */
  maxAttempts?: number;
  /** The error an item's caller gets when it is refused as busy. */
  busy(reason: BusyReason): Error;
  /** An item in a log line ("transfer <key>"). */
  describeItem(item: T): string;
  /** An error in a log line. */
  describeError(error: unknown): string;
}

export interface BatcherCounters {
  /** Batches (and their items) written by one fast write. */
  fastBatches: number;
  fastTransfers: number;
  /** Batches (and items) settled by a careful write. */
  carefulBatches: number;
  carefulTransfers: number;
  /** Careful writes run again after a retryable error. */
  retries: number;
  /** Items that failed for good with an error thrown by the writer. */
  failures: number;
  /** Items refused as busy (queue full, waited too long for a batch, or a batch that did not finish in time). */
  busy: number;
}

interface Entry<T, R> {
  item: T;
  /** performance.now() when it joined the queue. */
  queuedAt: number;
  resolve(result: R): void;
  reject(error: unknown): void;
}

/**
 * Smallest batch a long queue is split into. Below it a split costs more (each
 * batch pays for its round trip, locks and commit) than the overlap saves; at
 * 32, 64 viewers waiting on one gift each go out as two batches that overlap
 * (one inserting while the other commits) instead of one batch at a time
 * (docs/BENCHMARKS.md: about 9–11k gifts/s with 64, 14–15k with 32 at the time).
 */
const MIN_SHARED_BATCH = 32;

export class Batcher<T, R> {
  private readonly queue: Array<Entry<T, R>> = [];
  private readonly maxBatch: number;
  private readonly concurrency: number;
  private readonly maxQueued: number;
  private readonly maxQueueWaitMs: number;
  private readonly maxBatchMs: number;
  private readonly minSharedBatch: number;
  private readonly maxAttempts: number;
  private expiryTimer: NodeJS.Timeout | null = null;
  /** A passing fault is being reported (said once, until a batch is written again). */
  private faulted = false;
  private inFlight = 0;
  private scheduled = false;
  private readonly counters: BatcherCounters = {
    fastBatches: 0,
    fastTransfers: 0,
    carefulBatches: 0,
    carefulTransfers: 0,
    retries: 0,
    failures: 0,
    busy: 0,
  };

  constructor(
    private readonly writer: BatchWriter<T, R>,
    private readonly options: BatcherOptions<T>,
  ) {
    this.maxBatch = options.maxBatch ?? 1000;
    this.concurrency = options.concurrency ?? BATCHER_DEFAULTS.concurrency;
    this.maxQueued = options.maxQueued ?? BATCHER_DEFAULTS.maxQueued;
    this.maxQueueWaitMs = options.maxQueueWaitMs ?? BATCHER_DEFAULTS.maxQueueWaitMs;
    this.maxBatchMs = options.maxBatchMs ?? BATCHER_DEFAULTS.maxBatchMs;
    this.minSharedBatch = options.minSharedBatch ?? MIN_SHARED_BATCH;
    this.maxAttempts = options.maxAttempts ?? 8;
  }

  /** The counters since this batcher was made (a copy). */
  stats(): BatcherCounters {
    return { ...this.counters };
  }

  /**
   * Queues an item for the next batch; resolves with its result once its batch
   * is written, rejects with its error. Refused at once as busy when maxQueued
   * items are already waiting.
   */
  enqueue(item: T): Promise<R> {
    if (this.queue.length >= this.maxQueued) {
      this.counters.busy++;
      this.reportFault(`ledger: busy, ${this.queue.length} posts already waiting; refusing new ones until the queue drains`);
      return Promise.reject(this.options.busy("queue full"));
    }
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ item, queuedAt: performance.now(), resolve, reject });
      this.watchQueue();
      this.schedule();
    });
  }

  /** Says once that writing has trouble (until a batch is written again). */
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
   * While items wait, refuses (as busy) those that waited longer than
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
      while (this.queue.length && this.queue[0]!.queuedAt <= cutoff) {
        this.queue.shift()!.reject(this.options.busy("queue wait"));
        expired++;
      }
      if (expired) {
        this.counters.busy += expired;
        this.reportFault(
          `ledger: busy, ${expired} posts waited over ${this.maxQueueWaitMs} ms for a batch and were refused (the batches in flight are not finishing)`,
        );
      }
      if (!this.queue.length && this.expiryTimer) {
        clearInterval(this.expiryTimer);
        this.expiryTimer = null;
      }
    }, every);
    this.expiryTimer.unref?.();
  }

  /**
   * Starts a batch while fewer than `concurrency` are in flight. Items queued
   * in the same tick go out together and are settled in arrival order; items
   * queued while batches are in flight wait for the next one. A long queue is
   * shared out over the free slots (each batch keeping at least
   * minSharedBatch items): the second batch then waits in PostgreSQL behind
   * the first one's account locks and starts the moment it commits, while Node
   * settles the first one's results and gathers the next batch.
   */
  private schedule(): void {
    if (this.scheduled || this.inFlight >= this.concurrency || this.queue.length === 0) return;
    this.scheduled = true;
    // Let every enqueue() of this tick join the batch.
    setImmediate(() => {
      this.scheduled = false;
      const free = this.concurrency - this.inFlight;
      if (free <= 0 || this.queue.length === 0) return;
      const parts = Math.max(1, Math.min(free, Math.floor(this.queue.length / this.minSharedBatch)));
      const batch = this.queue.splice(0, Math.min(this.maxBatch, Math.ceil(this.queue.length / parts)));
      this.inFlight++;
      // The batch keeps its slot until the writer answers; its callers are not kept that long.
      const deadline = setTimeout(() => {
        this.counters.busy += batch.length;
        this.reportFault(`ledger: busy, a batch of ${batch.length} has not finished in ${this.maxBatchMs} ms; its callers are told to try again`);
        const error = this.options.busy("batch timeout");
        for (const entry of batch) entry.reject(error);
      }, this.maxBatchMs);
      deadline.unref?.();
      this.commit(batch)
        .then(
          () => this.recovered(),
          (error) => {
            this.counters.failures += batch.length;
            this.reportFault(`ledger: a batch of ${batch.length} failed, its callers are told to try again: ${this.options.describeError(error)}`);
            batch.forEach((entry) => entry.reject(error));
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

  /** The fast write if it takes the batch; the careful one otherwise. */
  private async commit(batch: Array<Entry<T, R>>): Promise<void> {
    const results = await this.writer.fast(batch.map((entry) => entry.item));
    if (!results) return this.commitCarefully(batch);
    this.counters.fastBatches++;
    this.counters.fastTransfers += batch.length;
    for (let i = 0; i < batch.length; i++) batch[i]!.resolve(results[i]!);
  }

  /**
   * The careful write, retried while its error is retryable (up to
   * maxAttempts), and split up into single items if it still fails, so that
   * one bad item fails alone. A passing fault is not split: it fails the batch.
   */
  private async commitCarefully(batch: Array<Entry<T, R>>): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      let outcomes: Array<Settled<R>>;
      try {
        outcomes = await this.writer.careful(batch.map((entry) => entry.item));
      } catch (error) {
        if (this.writer.retryable(error) && attempt < this.maxAttempts) {
          this.counters.retries++;
          await new Promise((r) => setTimeout(r, Math.random() * 5 * attempt));
          continue;
        }
        if (this.writer.passingFault(error)) {
          // Not one item's fault: splitting would only meet it again, once per item.
          throw error;
        }
        if (batch.length > 1) {
          // Isolate whatever made the batch fail: each item on its own.
          await Promise.all(batch.map((entry) => this.commitCarefully([entry])));
          return;
        }
        this.counters.failures++;
        console.error(`ledger: ${this.options.describeItem(batch[0]!.item)} failed after ${attempt} attempt(s): ${this.options.describeError(error)}`);
        batch[0]!.reject(error);
        return;
      }
      this.counters.carefulBatches++;
      this.counters.carefulTransfers += batch.length;
      outcomes.forEach((outcome, i) => ("error" in outcome ? batch[i]!.reject(outcome.error) : batch[i]!.resolve(outcome.result)));
      return;
    }
  }
}
