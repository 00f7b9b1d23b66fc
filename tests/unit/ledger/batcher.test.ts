import { afterEach, describe, expect, test, vi } from "vitest";
import { Batcher, type BatcherOptions, type BatchWriter, type BusyReason, type Settled } from "../../../lib/ledger/batcher";
import { takeConsoleErrors } from "../../setup/console";

class BusyError extends Error {
  constructor(readonly reason: BusyReason) {
    super(`busy: ${reason}`);
  }
}

const RETRY = "retry me";
const FAULT = "passing fault";

/**
 * A writer in memory. Items are strings; the result of item x is "x!". By
 * default the fast write takes every batch. `gate` holds writes until opened.
 */
class FakeWriter implements BatchWriter<string, string> {
  readonly fastBatches: string[][] = [];
  readonly carefulBatches: string[][] = [];
  inFlight = 0;
  maxInFlight = 0;
  /** The fast write's answer for a batch: "write", "careful" (null) or an error to throw. */
  fastAnswer: (batch: readonly string[]) => "write" | "careful" | Error = () => "write";
  /** The careful write's answer: outcomes, or an error to throw. */
  carefulAnswer: (batch: readonly string[]) => Array<Settled<string>> | Error = (batch) => batch.map((x) => ({ result: `${x}!` }));
  private gate: Promise<void> | null = null;
  private openGate: () => void = () => undefined;

  hold(): void {
    this.gate = new Promise((resolve) => (this.openGate = resolve));
  }

  release(): void {
    this.gate = null;
    this.openGate();
  }

  private async enter<X>(work: () => X): Promise<X> {
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      while (this.gate) await this.gate;
      await new Promise((r) => setTimeout(r, 1));
      return work();
    } finally {
      this.inFlight--;
    }
  }

  fast(batch: readonly string[]): Promise<string[] | null> {
    this.fastBatches.push([...batch]);
    return this.enter(() => {
      const answer = this.fastAnswer(batch);
      if (answer instanceof Error) throw answer;
      return answer === "write" ? batch.map((x) => `${x}!`) : null;
    });
  }

  careful(batch: readonly string[]): Promise<Array<Settled<string>>> {
    this.carefulBatches.push([...batch]);
    return this.enter(() => {
      const answer = this.carefulAnswer(batch);
      if (answer instanceof Error) throw answer;
      return answer;
    });
  }

  retryable(error: unknown): boolean {
    return (error as Error).message === RETRY;
  }

  passingFault(error: unknown): boolean {
    return (error as Error).message === FAULT;
  }
}

function batcher(writer: FakeWriter, options: Partial<BatcherOptions<string>> = {}) {
  return new Batcher(writer, {
    busy: (reason) => new BusyError(reason),
    describeItem: (item) => `transfer ${item}`,
    describeError: (error) => (error as Error).message,
    ...options,
  });
}

const nextTick = () => new Promise((r) => setImmediate(r));
const settle = <R>(promise: Promise<R>) =>
  promise.then(
    (result) => ({ result }),
    (error: unknown) => ({ error }),
  );

/** Takes console.warn for the rest of the test. */
let warnings: ReturnType<typeof vi.spyOn> | null = null;
function takeWarnings() {
  warnings = vi.spyOn(console, "warn").mockImplementation(() => undefined);
  return warnings;
}

afterEach(() => {
  warnings?.mockRestore();
  warnings = null;
});

describe("scheduling", () => {
  test("items queued in one tick go out as one batch, in arrival order, each caller getting its own result", async () => {
    const writer = new FakeWriter();
    const queue = batcher(writer);
    const resolved: string[] = [];
    const results = await Promise.all(["a", "b", "c"].map((x) => queue.enqueue(x).then((r) => (resolved.push(r), r))));
    expect(results).toEqual(["a!", "b!", "c!"]);
    expect(resolved).toEqual(["a!", "b!", "c!"]);
    expect(writer.fastBatches).toEqual([["a", "b", "c"]]);
    expect(queue.stats()).toMatchObject({ fastBatches: 1, fastTransfers: 3, carefulBatches: 0 });
  });

  test("at most `concurrency` batches are in flight; everything queued meanwhile joins the next batch", async () => {
    const writer = new FakeWriter();
    const queue = batcher(writer, { concurrency: 2 });
    writer.hold();
    const first = queue.enqueue("a");
    await nextTick();
    const second = queue.enqueue("b");
    await nextTick();
    const rest = ["c", "d", "e"].map((x) => queue.enqueue(x));
    await nextTick();
    await nextTick();
    expect(writer.fastBatches).toEqual([["a"], ["b"]]);
    expect(writer.inFlight).toBe(2);
    writer.release();
    expect(await Promise.all([first, second, ...rest])).toEqual(["a!", "b!", "c!", "d!", "e!"]);
    expect(writer.fastBatches).toEqual([["a"], ["b"], ["c", "d", "e"]]);
    expect(writer.maxInFlight).toBe(2);
  });

  test("a long queue is shared out over the free slots, each batch keeping at least minSharedBatch items", async () => {
    const writer = new FakeWriter();
    const queue = batcher(writer, { concurrency: 2 });
    const items = Array.from({ length: 100 }, (_, i) => `g${i}`);
    await Promise.all(items.map((x) => queue.enqueue(x)));
    expect(writer.fastBatches.map((b) => b.length)).toEqual([50, 50]);
    expect(writer.fastBatches.flat()).toEqual(items);

    const small = new FakeWriter();
    const shortQueue = batcher(small, { concurrency: 2 });
    await Promise.all(Array.from({ length: 40 }, (_, i) => shortQueue.enqueue(`s${i}`)));
    expect(small.fastBatches.map((b) => b.length)).toEqual([40]);
  });

  test("no batch is larger than maxBatch", async () => {
    const writer = new FakeWriter();
    const queue = batcher(writer, { concurrency: 1, maxBatch: 10 });
    const items = Array.from({ length: 25 }, (_, i) => `g${i}`);
    expect(await Promise.all(items.map((x) => queue.enqueue(x)))).toEqual(items.map((x) => `${x}!`));
    expect(writer.fastBatches.map((b) => b.length)).toEqual([10, 10, 5]);
    expect(writer.maxInFlight).toBe(1);
  });
});

/** A batcher of one slot whose writer holds everything, with item "a" in flight. */
async function stuckBatcher(options: Partial<BatcherOptions<string>>) {
  const writer = new FakeWriter();
  const queue = batcher(writer, { concurrency: 1, ...options });
  writer.hold();
  const inFlight = queue.enqueue("a");
  await nextTick();
  return { writer, queue, inFlight };
}

describe("bounds on waiting", () => {
  test("with maxQueued items waiting, another is refused at once as busy and never written", async () => {
    const { writer, queue, inFlight } = await stuckBatcher({ maxQueued: 3 });
    const waiting = ["b", "c", "d"].map((x) => queue.enqueue(x));
    const refused = await settle(queue.enqueue("e"));
    expect(refused).toEqual({ error: new BusyError("queue full") });
    expect((refused as { error: BusyError }).error.reason).toBe("queue full");
    expect(takeConsoleErrors()).toEqual(["ledger: busy, 3 posts already waiting; refusing new ones until the queue drains"]);
    const warn = takeWarnings();
    writer.release();
    expect(await Promise.all([inFlight, ...waiting])).toEqual(["a!", "b!", "c!", "d!"]);
    expect(writer.fastBatches.flat()).not.toContain("e");
    expect(queue.stats().busy).toBe(1);
    expect(warn).toHaveBeenCalledWith("ledger: writing again.");
  });

  test("items that wait longer than maxQueueWaitMs for a batch are refused as busy, never sent", async () => {
    const { writer, queue, inFlight } = await stuckBatcher({ maxQueueWaitMs: 40 });
    const start = performance.now();
    const waiting = await Promise.all(["b", "c"].map((x) => settle(queue.enqueue(x))));
    expect(performance.now() - start).toBeLessThan(1_000);
    for (const outcome of waiting) expect((outcome as { error: BusyError }).error.reason).toBe("queue wait");
    expect(takeConsoleErrors()).toEqual(["ledger: busy, 2 posts waited over 40 ms for a batch and were refused (the batches in flight are not finishing)"]);
    takeWarnings();
    writer.release();
    expect(await inFlight).toBe("a!");
    expect(writer.fastBatches).toEqual([["a"]]);
    expect(queue.stats().busy).toBe(2);
  });

  test("callers of a batch not finished within maxBatchMs are told busy; the slot is freed when the writer answers", async () => {
    const { writer, queue, inFlight } = await stuckBatcher({ maxBatchMs: 30 });
    const late = await settle(inFlight);
    expect((late as { error: BusyError }).error.reason).toBe("batch timeout");
    expect(takeConsoleErrors()).toEqual(["ledger: busy, a batch of 1 has not finished in 30 ms; its callers are told to try again"]);
    const next = queue.enqueue("b");
    await nextTick();
    expect(writer.fastBatches).toEqual([["a"]]);
    const warn = takeWarnings();
    writer.release();
    expect(await next).toBe("b!");
    expect(queue.stats().busy).toBe(1);
    expect(warn).toHaveBeenCalledTimes(1);
  });
});

describe("the careful way, retry and split", () => {
  test("a batch the fast write does not take is settled carefully, each item on its own: one refusal fails alone", async () => {
    const writer = new FakeWriter();
    writer.fastAnswer = () => "careful";
    writer.carefulAnswer = (batch) => batch.map((x) => (x === "short" ? { error: new Error("not enough") } : { result: `${x}!` }));
    const queue = batcher(writer);
    const outcomes = await Promise.all(["a", "short", "b"].map((x) => settle(queue.enqueue(x))));
    expect(outcomes).toEqual([{ result: "a!" }, { error: new Error("not enough") }, { result: "b!" }]);
    expect(writer.carefulBatches).toEqual([["a", "short", "b"]]);
    expect(queue.stats()).toMatchObject({ fastBatches: 0, carefulBatches: 1, carefulTransfers: 3, failures: 0 });
  });

  test("a careful write that fails with a retryable error is run again", async () => {
    const writer = new FakeWriter();
    writer.fastAnswer = () => "careful";
    let calls = 0;
    const ok = writer.carefulAnswer;
    writer.carefulAnswer = (batch) => (++calls <= 2 ? new Error(RETRY) : ok(batch));
    const queue = batcher(writer);
    expect(await Promise.all(["a", "b"].map((x) => queue.enqueue(x)))).toEqual(["a!", "b!"]);
    expect(writer.carefulBatches).toEqual([
      ["a", "b"],
      ["a", "b"],
      ["a", "b"],
    ]);
    expect(queue.stats()).toMatchObject({ retries: 2, carefulBatches: 1, failures: 0 });
  });

  test("a failing batch is split into single items: the one at fault fails, the others are written", async () => {
    const writer = new FakeWriter();
    writer.fastAnswer = (batch) => (batch.includes("bad") ? new Error("fast failed") : "write");
    const ok = writer.carefulAnswer;
    writer.carefulAnswer = (batch) => (batch.includes("bad") ? new Error("bad item") : ok(batch));
    const queue = batcher(writer);
    const outcomes = await Promise.all(["a", "bad", "b"].map((x) => settle(queue.enqueue(x))));
    // A fast write that throws fails the batch (the writer decides what is worth the careful way).
    expect(outcomes).toEqual([{ error: new Error("fast failed") }, { error: new Error("fast failed") }, { error: new Error("fast failed") }]);
    expect(takeConsoleErrors()).toEqual(["ledger: a batch of 3 failed, its callers are told to try again: fast failed"]);

    writer.fastAnswer = () => "careful";
    takeWarnings();
    const split = await Promise.all(["c", "bad", "d"].map((x) => settle(queue.enqueue(x))));
    expect(split).toEqual([{ result: "c!" }, { error: new Error("bad item") }, { result: "d!" }]);
    expect(writer.carefulBatches).toEqual([["c", "bad", "d"], ["c"], ["bad"], ["d"]]);
    expect(takeConsoleErrors()).toEqual(["ledger: transfer bad failed after 1 attempt(s): bad item"]);
    expect(queue.stats()).toMatchObject({ carefulBatches: 2, carefulTransfers: 2, failures: 4 });
  });

  test("a retryable error that persists gives up after maxAttempts", async () => {
    const writer = new FakeWriter();
    writer.fastAnswer = () => "careful";
    writer.carefulAnswer = () => new Error(RETRY);
    const queue = batcher(writer, { maxAttempts: 3 });
    expect(await settle(queue.enqueue("a"))).toEqual({ error: new Error(RETRY) });
    expect(writer.carefulBatches).toHaveLength(3);
    expect(takeConsoleErrors()).toEqual([`ledger: transfer a failed after 3 attempt(s): ${RETRY}`]);
    expect(queue.stats()).toMatchObject({ retries: 2, failures: 1 });
  });

  test("a passing fault is not split: the whole batch fails, said once until a batch is written again", async () => {
    const writer = new FakeWriter();
    writer.fastAnswer = () => "careful";
    writer.carefulAnswer = () => new Error(FAULT);
    const queue = batcher(writer, { concurrency: 1 });
    const outcomes = await Promise.all(["a", "b"].map((x) => settle(queue.enqueue(x))));
    expect(outcomes).toEqual([{ error: new Error(FAULT) }, { error: new Error(FAULT) }]);
    expect(writer.carefulBatches).toEqual([["a", "b"]]);
    expect(await settle(queue.enqueue("c"))).toEqual({ error: new Error(FAULT) });
    expect(takeConsoleErrors()).toEqual([`ledger: a batch of 2 failed, its callers are told to try again: ${FAULT}`]);
    expect(queue.stats().failures).toBe(3);

    const warn = takeWarnings();
    writer.fastAnswer = () => "write";
    expect(await queue.enqueue("d")).toBe("d!");
    await nextTick(); // said once the batch is done, after its callers are answered
    expect(warn).toHaveBeenCalledWith("ledger: writing again.");
  });
});
