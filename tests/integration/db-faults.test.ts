// Passing faults on the database side: a connection lost while checked out, a
// hot account locked by someone else, a batch stuck in PostgreSQL. Each must
// end in a clear transient error within a bounded time, never a crash or a hang.
import pg from "pg";
import { describe, expect, test, vi } from "vitest";
import { createPool, poolSettings } from "../../lib/db/pool";
import { isTransientDatabaseError } from "../../lib/db/errors";
import { createGiftPoster } from "../../lib/ledger/gifts";
import { Ledger } from "../../lib/ledger/ledger";
import { takeConsoleErrors } from "../setup/console";
import { reconcile } from "../../lib/ledger/reconcile";
import { createTestUser, grantCoins, reconcileAfterEach } from "./helpers";

// Each test injects its fault on a pool of its own and ends once every write
// it started has settled (locks released, stuck batches committed or refused),
// so the file's database reconciles after each test, on the process-wide pool.
// While a fault is in force nothing is checked; the tests that leave a batch
// stuck also reconcile on their own pool once it has committed.
reconcileAfterEach();

async function otherConnection(): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL! });
  await client.connect();
  return client;
}

/** Holds a row lock on gift revenue's account until the returned function is called. */
async function lockGiftRevenue(ledger: Ledger): Promise<() => Promise<void>> {
  const revenue = await ledger.platformAccount("gift_revenue");
  const locker = await otherConnection();
  await locker.query("BEGIN");
  await locker.query("SELECT balance FROM ledger_accounts WHERE id = $1 FOR UPDATE", [String(revenue.id)]);
  return async () => {
    await locker.query("ROLLBACK");
    await locker.end();
  };
}

async function giftSetup(ledger: Ledger) {
  const viewer = await createTestUser(ledger);
  const creator = await createTestUser(ledger, "CREATOR");
  await grantCoins(ledger, viewer.coins, 1_000n);
  const postGift = await createGiftPoster(ledger);
  let n = 0;
  const gift = (key = `fault-gift:${viewer.id}:${n++}`) =>
    postGift({ viewerCoins: viewer.coins, creatorDiamonds: creator.diamonds, coins: 1n, idempotencyKey: key });
  return Object.assign(gift, { viewerId: viewer.id });
}

async function settledWithin<T>(promise: Promise<T>): Promise<{ error: unknown; ms: number }> {
  const start = performance.now();
  try {
    await promise;
    return { error: null, ms: performance.now() - start };
  } catch (error) {
    return { error, ms: performance.now() - start };
  }
}

describe("pool settings", () => {
  test("every connection has statement, lock and idle-in-transaction timeouts and TCP keepalive", async () => {
    const pool = createPool(process.env.DATABASE_URL!, 1, { statementTimeoutMs: 7000, lockTimeoutMs: 1500, idleInTransactionTimeoutMs: 9000 });
    try {
      const { rows } = await pool.query(
        "SELECT current_setting('statement_timeout') AS s, current_setting('lock_timeout') AS l, current_setting('idle_in_transaction_session_timeout') AS i",
      );
      expect(rows[0]).toEqual({ s: "7s", l: "1500ms", i: "9s" });
      expect((pool as unknown as { options: { keepAlive?: boolean } }).options.keepAlive).toBe(true);
    } finally {
      await pool.end();
    }
  });

  test("a query the server does not answer in time fails on the client side, and the pool serves on", async () => {
    const pool = createPool(process.env.DATABASE_URL!, 1, { statementTimeoutMs: 60_000, queryTimeoutMs: 300 });
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    try {
      const outcome = await settledWithin(pool.query("SELECT pg_sleep(3)"));
      expect(isTransientDatabaseError(outcome.error), String(outcome.error)).toBe(true);
      expect(outcome.ms).toBeLessThan(1_500);
      expect((await pool.query("SELECT 1 AS one")).rows[0].one).toBe(1);
    } finally {
      warn.mockRestore();
      await pool.end();
    }
  });

  test("defaults come from the environment and are sensible; a bad value is refused, not replaced by the default", () => {
    expect(poolSettings({})).toMatchObject({
      statementTimeoutMs: 15_000,
      lockTimeoutMs: 3_000,
      idleInTransactionTimeoutMs: 30_000,
      connectTimeoutMs: 5_000,
      queryTimeoutMs: 20_000,
    });
    expect(poolSettings({ DB_LOCK_TIMEOUT_MS: "250" })).toMatchObject({ lockTimeoutMs: 250, statementTimeoutMs: 15_000 });
    expect(() => poolSettings({ DB_LOCK_TIMEOUT_MS: "250", DB_STATEMENT_TIMEOUT_MS: "x" })).toThrow(
      'DB_STATEMENT_TIMEOUT_MS must be a whole number of milliseconds from 1 to 3600000; it is "x".',
    );
  });
});

describe("a connection lost while checked out", () => {
  test("is reported once and does not crash the process", async () => {
    const pool = createPool(process.env.DATABASE_URL!, 2);
    const warnings: string[] = [];
    const original = console.warn;
    console.warn = (...args: unknown[]) => void warnings.push(args.map(String).join(" "));
    try {
      const client = await pool.connect();
      const { rows } = await client.query("SELECT pg_backend_pid() AS pid");
      const killer = await otherConnection();
      await killer.query("SELECT pg_terminate_backend($1)", [rows[0].pid]);
      await killer.end();
      await new Promise((r) => setTimeout(r, 300));
      // Without a listener the client's `error` event would be thrown as an uncaught exception.
      const failed = await settledWithin(client.query("SELECT 1"));
      expect(isTransientDatabaseError(failed.error)).toBe(true);
      client.release(failed.error as Error);
      // The pool serves again, and says it is back.
      expect((await pool.query("SELECT 1 AS one")).rows[0].one).toBe(1);
      const lost = warnings.filter((w) => w.includes("connection lost"));
      expect(lost).toHaveLength(1);
      expect(lost[0]).toMatch(/terminat/i);
      expect(warnings.filter((w) => w.includes("connected again"))).toHaveLength(1);
    } finally {
      console.warn = original;
      await pool.end();
    }
  });
});

describe("a hot account locked by someone else", () => {
  test("a gift fails with a transient error after the lock timeout instead of waiting", async () => {
    const pool = createPool(process.env.DATABASE_URL!, 4, { lockTimeoutMs: 400 });
    const ledger = new Ledger(pool);
    try {
      const gift = await giftSetup(ledger);
      const release = await lockGiftRevenue(ledger);
      let outcome: { error: unknown; ms: number };
      try {
        outcome = await settledWithin(gift());
      } finally {
        await release();
      }
      expect(isTransientDatabaseError(outcome.error), String(outcome.error)).toBe(true);
      expect(outcome.ms).toBeLessThan(3_000);
      expect(takeConsoleErrors().join("\n")).toMatch(/lock timeout/);
      // Nothing was written, and the next gift goes through.
      await expect(gift()).resolves.toMatchObject({ replayed: false });
    } finally {
      await pool.end();
    }
  });

  test("posts queued behind a stuck batch are refused as busy after the queue timeout, and the queue is bounded", async () => {
    const pool = createPool(process.env.DATABASE_URL!, 4, { lockTimeoutMs: 5_000 });
    const ledger = new Ledger(pool, { concurrency: 1, maxQueueWaitMs: 300, maxQueued: 5 });
    try {
      const gift = await giftSetup(ledger);
      const viewerId = gift.viewerId;
      const release = await lockGiftRevenue(ledger);
      let stuck: Promise<{ error: unknown; ms: number }>;
      let queued: Array<{ error: unknown; ms: number }>;
      let overflow: Array<{ error: unknown; ms: number }>;
      try {
        stuck = settledWithin(gift());
        await new Promise((r) => setTimeout(r, 50)); // its batch is in PostgreSQL, waiting on the lock
        const waiting = Array.from({ length: 5 }, () => settledWithin(gift()));
        overflow = await Promise.all(Array.from({ length: 3 }, () => settledWithin(gift())));
        queued = await Promise.all(waiting);
      } finally {
        await release();
      }
      for (const o of [...queued, ...overflow]) expect(isTransientDatabaseError(o.error), String(o.error)).toBe(true);
      for (const o of queued) expect(o.ms).toBeLessThan(1_500);
      for (const o of overflow) expect(o.ms).toBeLessThan(50);
      expect(String(queued[0]!.error)).toMatch(/busy/i);
      // The stuck one commits once the lock is gone; nothing refused was written.
      expect((await stuck).error).toBeNull();
      const { rows } = await pool.query("SELECT count(*)::int AS n FROM ledger_transfers WHERE kind = 'GIFT' AND idempotency_key LIKE $1", [
        `fault-gift:${viewerId}:%`,
      ]);
      expect(rows[0].n).toBe(1);
      expect(takeConsoleErrors().join("\n")).toMatch(/ledger: busy/);
      expect(ledger.stats().busy).toBe(8);
      expect((await reconcile(pool)).ok).toBe(true);
    } finally {
      await pool.end();
    }
  });

  test("callers of a batch PostgreSQL does not finish are told busy after the batch timeout; a retry with the same key gets the gift once", async () => {
    // A lock wait longer than the batch timeout stands for a database that stalls.
    const pool = createPool(process.env.DATABASE_URL!, 4, { lockTimeoutMs: 30_000 });
    const ledger = new Ledger(pool, { concurrency: 1, maxBatchMs: 400 });
    try {
      const gift = await giftSetup(ledger);
      const key = `fault-gift:${gift.viewerId}:stalled`;
      const release = await lockGiftRevenue(ledger);
      let first: { error: unknown; ms: number };
      try {
        first = await settledWithin(gift(key));
      } finally {
        await release();
      }
      expect(isTransientDatabaseError(first.error), String(first.error)).toBe(true);
      expect(String(first.error)).toMatch(/busy/i);
      expect(first.ms).toBeLessThan(2_000);
      expect(takeConsoleErrors().join("\n")).toMatch(/ledger: busy, a batch of 1 has not finished in 400 ms/);
      // The stalled write went through once the lock was gone: the retry replays it.
      const retry = await gift(key);
      const { rows } = await pool.query("SELECT count(*)::int AS n FROM ledger_transfers WHERE idempotency_key = $1", [key]);
      expect(rows[0].n).toBe(1);
      expect(retry.replayed).toBe(true);
      expect((await reconcile(pool)).ok).toBe(true);
    } finally {
      await pool.end();
    }
  });
});
