// Rate limits that every app instance shares, counted in PostgreSQL
// (rate_limit_hits: hits per limit, key and fixed window; docs/decisions/013).
//
// Two ways to ask, for two kinds of call:
// - check(key): synchronous, for the gift and chat paths, where a round trip
//   per call would cost more than the call. This instance's own calls are a
//   sliding log (exact: never more than `limit` of them in any window); the
//   other instances' calls are the counts last read from the database, which
//   each instance adds its own to every `syncMs` (one query per limit, however
//   many keys: those called in the last window go along with no hits, so every
//   instance reads their totals each interval). Across N instances a key can
//   get a few calls over the limit: at most what the others accept in one sync
//   interval, plus one per instance that sees the key for the first time.
// - take(key): one round trip that adds the call and reads the total in the
//   same statement, so parallel calls on any instance can never all pass (sign
//   in, recharge). release(key) gives one back (a sign-in that succeeded).
//
// The other instances' share of a sliding window is estimated from two fixed
// windows: all of the current one and the part of the previous one the sliding
// window still covers. Memory stays bounded: keys idle for two windows are
// swept out, and at most `maxKeys` are held (the oldest go first).
import type pg from "pg";
import { z } from "zod";
import { column, queryOne, queryRows } from "../db/rows";

export interface HitRow {
  key: string;
  /** The fixed window: floor(time / windowMs). */
  slot: number;
  hits: number;
}

/** Where the counts live: PostgreSQL in the app, memory in unit tests. */
export interface HitStore {
  /** Adds each row's hits (one row per key and slot, hits ≥ 0) and returns the totals after. */
  add(limit: string, rows: HitRow[]): Promise<HitRow[]>;
  /** Takes one hit off (key, slot), never below 0. */
  giveBack(limit: string, key: string, slot: number): Promise<void>;
  /** Adds one hit to (key, slot) and returns the totals of slot and slot − 1. */
  take(limit: string, key: string, slot: number): Promise<{ current: number; previous: number }>;
  /** Forgets windows before `slot`; returns how many rows went. */
  prune(limit: string, beforeSlot: number): Promise<number>;
}

export interface RateLimitOptions {
  /** The limit's name in the database ("gifts", "chat"…). */
  name: string;
  /** Calls accepted per key in any window. */
  limit: number;
  /** The window (default 1,000 ms). */
  windowMs?: number;
  /** How often check()'s counts are shared with the other instances (default 100 ms). */
  syncMs?: number;
  /** Keys held in memory at most (default 100,000). */
  maxKeys?: number;
  /** Where sync failures and recoveries are reported (default console.warn). */
  log?: (message: string) => void;
}

export interface SharedRateLimiter {
  /** Records a call for `key` and returns true, or returns false (nothing recorded) when over the limit. */
  check(key: string, now?: number): boolean;
  /** Records a call for `key` in the database and says whether it is within the limit (a refused call still counts). */
  take(key: string, now?: number): Promise<boolean>;
  /** Gives back one call taken for `key` in the current window. */
  release(key: string, now?: number): Promise<void>;
  /** Shares check()'s pending counts now (tests, shutdown). */
  flush(): Promise<void>;
  /** Shares what is pending one last time and stops syncing (before the pool closes). */
  stop(): Promise<void>;
  /** Keys held in memory. */
  size(): number;
}

interface KeyState {
  /** This instance's accepted calls in the last window, oldest first. */
  times: number[];
  /** When check() was last called for the key (accepted or not). */
  seen: number;
  /** This instance's hits already added to the store, by slot. */
  shared: Map<number, number>;
  /** Totals of all instances read back from the store, by slot. */
  totals: Map<number, number>;
}

const PRUNE_EVERY_MS = 60_000;
const MAX_SYNC_DELAY_MS = 5_000;

export function createSharedRateLimiter(store: HitStore, options: RateLimitOptions): SharedRateLimiter {
  const { name, limit, windowMs = 1_000, syncMs = 100, maxKeys = 100_000, log = (m: string) => console.warn(m) } = options;
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`limit must be a positive integer, got ${limit}.`);
  if (!(windowMs > 0)) throw new RangeError(`windowMs must be positive, got ${windowMs}.`);
  if (!(syncMs > 0)) throw new RangeError(`syncMs must be positive, got ${syncMs}.`);

  const states = new Map<string, KeyState>();
  /** Hits accepted by check() and not yet added to the store, by key and slot. */
  let pending = new Map<string, HitRow>();
  let timer: ReturnType<typeof setTimeout> | null = null;
  let flushing: Promise<void> | null = null;
  let failures = 0;
  let stopped = false;
  let lastSweep = -Infinity;
  let lastPrune = Date.now();
  /** The latest time check() was given (the limiter's clock for which keys are active). */
  let clock = -Infinity;

  const slotOf = (now: number) => Math.floor(now / windowMs);

  /** The other instances' calls in the sliding window ending at `now`. */
  const others = (state: KeyState, now: number) => {
    const slot = slotOf(now);
    const other = (s: number) => Math.max(0, (state.totals.get(s) ?? 0) - (state.shared.get(s) ?? 0));
    const stillCovered = 1 - (now - slot * windowMs) / windowMs;
    return other(slot) + other(slot - 1) * stillCovered;
  };

  const sweep = (now: number) => {
    lastSweep = now;
    const oldest = slotOf(now) - 1;
    for (const [key, state] of states) {
      if (now - state.seen < 2 * windowMs) {
        for (const map of [state.shared, state.totals]) for (const slot of map.keys()) if (slot < oldest) map.delete(slot);
        continue;
      }
      states.delete(key);
    }
  };

  const prune = async (now: number) => {
    if (now - lastPrune < Math.max(PRUNE_EVERY_MS, 2 * windowMs)) return;
    lastPrune = now;
    await store.prune(name, slotOf(now) - 1);
  };

  const schedule = () => {
    if (timer || flushing || stopped) return;
    const delay = Math.min(MAX_SYNC_DELAY_MS, syncMs * 2 ** failures);
    timer = setTimeout(() => {
      timer = null;
      void flush();
    }, delay);
    timer.unref?.();
  };

  const activeKeys = () => {
    const keys: string[] = [];
    for (const [key, state] of states) if (clock - state.seen < windowMs) keys.push(key);
    return keys;
  };

  const flushOnce = async () => {
    const batch = pending;
    pending = new Map();
    const rows = [...batch.values()];
    // Keys called lately go along with no hits, to read what the other instances added.
    const slot = slotOf(clock);
    for (const key of activeKeys()) if (!batch.has(`${key}\u0000${slot}`)) rows.push({ key, slot, hits: 0 });
    if (!rows.length) return;
    try {
      const totals = await store.add(name, rows);
      for (const row of rows) {
        const state = states.get(row.key);
        if (state) state.shared.set(row.slot, (state.shared.get(row.slot) ?? 0) + row.hits);
      }
      for (const total of totals) states.get(total.key)?.totals.set(total.slot, total.hits);
      if (failures) log(`rate limit ${name}: shared with the other instances again after ${failures} failed attempt${failures === 1 ? "" : "s"}`);
      failures = 0;
      await prune(Date.now());
    } catch (error) {
      // Counts stay here and go with the next attempt; meanwhile this instance still limits its own calls.
      for (const row of rows) {
        const id = `${row.key}\u0000${row.slot}`;
        const waiting = pending.get(id);
        if (waiting) waiting.hits += row.hits;
        else pending.set(id, row);
      }
      if (failures === 0)
        log(`rate limit ${name}: could not share counts with the other instances, will retry: ${error instanceof Error ? error.message : String(error)}`);
      failures++;
    }
  };

  const flush = async (): Promise<void> => {
    while (flushing) await flushing;
    flushing = flushOnce().finally(() => {
      flushing = null;
    });
    await flushing;
    if (pending.size || activeKeys().length) schedule();
  };

  return {
    check(key, now = Date.now()) {
      if (now > clock) clock = now;
      if (now - lastSweep >= windowMs) sweep(now);
      let state = states.get(key);
      if (!state) {
        if (states.size >= maxKeys) states.delete(states.keys().next().value!);
        state = { times: [], seen: now, shared: new Map(), totals: new Map() };
        states.set(key, state);
      }
      state.seen = now;
      const { times } = state;
      let start = 0;
      while (start < times.length && now - times[start]! >= windowMs) start++;
      if (start) times.splice(0, start);
      if (times.length + 1 + others(state, now) > limit) {
        schedule(); // to read the others' totals, which may free room
        return false;
      }
      times.push(now);
      const slot = slotOf(now);
      const id = `${key}\u0000${slot}`;
      const row = pending.get(id);
      if (row) row.hits++;
      else pending.set(id, { key, slot, hits: 1 });
      schedule();
      return true;
    },
    async take(key, now = Date.now()) {
      const slot = slotOf(now);
      const { current, previous } = await store.take(name, key, slot);
      await prune(now);
      const stillCovered = 1 - (now - slot * windowMs) / windowMs;
      return current + previous * stillCovered <= limit;
    },
    async release(key, now = Date.now()) {
      await store.giveBack(name, key, slotOf(now));
    },
    flush,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      await flush();
    },
    size: () => states.size,
  };
}

/** The counts in PostgreSQL (an UNLOGGED table: a crash forgets recent counts, which only relaxes limits for a window). */
const ZSlotCounts = z.object({ current: column.int4, previous: column.int4 });
const ZHitTotal = z.object({ key: column.text, slot: z.number(), hits: column.int4 });

export function pgHitStore(pool: pg.Pool): HitStore {
  return {
    async add(limit, rows) {
      if (!rows.length) return [];
      const totals = await queryRows(
        pool,
        ZHitTotal,
        `INSERT INTO rate_limit_hits (name, key, slot, hits)
         SELECT $1, k, s, h FROM unnest($2::text[], $3::bigint[], $4::int[]) AS t(k, s, h)
         ON CONFLICT (name, key, slot) DO UPDATE SET hits = rate_limit_hits.hits + EXCLUDED.hits
         RETURNING key, slot::float8 AS slot, hits`,
        [limit, rows.map((r) => r.key), rows.map((r) => r.slot), rows.map((r) => r.hits)],
      );
      // Callers send one row per key and slot (ON CONFLICT cannot touch a row twice in one statement).
      return totals;
    },
    async giveBack(limit, key, slot) {
      await pool.query("UPDATE rate_limit_hits SET hits = hits - 1 WHERE name = $1 AND key = $2 AND slot = $3 AND hits > 0", [limit, key, slot]);
    },
    async take(limit, key, slot) {
      const counts = await queryOne(
        pool,
        ZSlotCounts,
        `WITH up AS (
           INSERT INTO rate_limit_hits (name, key, slot, hits) VALUES ($1, $2, $3, 1)
           ON CONFLICT (name, key, slot) DO UPDATE SET hits = rate_limit_hits.hits + 1
           RETURNING hits)
         SELECT (SELECT hits FROM up) AS current,
                COALESCE((SELECT hits FROM rate_limit_hits WHERE name = $1 AND key = $2 AND slot = $3 - 1), 0) AS previous`,
        [limit, key, slot],
      );
      return counts;
    },
    async prune(limit, beforeSlot) {
      const { rowCount } = await pool.query("DELETE FROM rate_limit_hits WHERE name = $1 AND slot < $2", [limit, beforeSlot]);
      return rowCount ?? 0;
    },
  };
}

/** Counts in this process only: unit tests, and two limiters on one store stand for two instances. */
export function memoryHitStore(): HitStore & { rows(): number } {
  const counts = new Map<string, number>();
  const id = (limit: string, key: string, slot: number) => `${limit}\u0000${key}\u0000${slot}`;
  return {
    async add(limit, rows) {
      return rows.map(({ key, slot, hits }) => {
        const total = (counts.get(id(limit, key, slot)) ?? 0) + hits;
        counts.set(id(limit, key, slot), total);
        return { key, slot, hits: total };
      });
    },
    async giveBack(limit, key, slot) {
      const current = counts.get(id(limit, key, slot)) ?? 0;
      if (current > 0) counts.set(id(limit, key, slot), current - 1);
    },
    async take(limit, key, slot) {
      const current = (counts.get(id(limit, key, slot)) ?? 0) + 1;
      counts.set(id(limit, key, slot), current);
      return { current, previous: counts.get(id(limit, key, slot - 1)) ?? 0 };
    },
    async prune(limit, beforeSlot) {
      let gone = 0;
      for (const k of counts.keys()) {
        const [l, , s] = k.split("\u0000");
        if (l === limit && Number(s) < beforeSlot) {
          counts.delete(k);
          gone++;
        }
      }
      return gone;
    },
    rows: () => counts.size,
  };
}
