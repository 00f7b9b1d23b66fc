import fc from "fast-check";
import { describe, expect, test, vi } from "vitest";
import { createSharedRateLimiter, memoryHitStore, type HitStore } from "../../../lib/limits/rate-limit";

const limiter = (limit: number, options: { windowMs?: number; store?: HitStore; maxKeys?: number; log?: (m: string) => void } = {}) =>
  createSharedRateLimiter(options.store ?? memoryHitStore(), { name: "test", limit, ...options });

describe("check() on one instance", () => {
  test("accepts `limit` calls per key in any window, then refuses until the oldest leaves the window", () => {
    const l = limiter(3);
    expect([0, 100, 200, 300].map((t) => l.check("a", t))).toEqual([true, true, true, false]);
    expect(l.check("b", 300)).toBe(true); // keys are independent
    expect(l.check("a", 999)).toBe(false);
    expect(l.check("a", 1_000)).toBe(true); // the call at 0 has left the window
    expect(l.check("a", 1_050)).toBe(false);
    expect(l.check("a", 1_100)).toBe(true);
  });

  test("a refused call is not counted", () => {
    const l = limiter(1);
    expect(l.check("a", 0)).toBe(true);
    for (let t = 10; t < 1_000; t += 10) expect(l.check("a", t)).toBe(false);
    expect(l.check("a", 1_000)).toBe(true);
  });

  test("memory is bounded: keys idle for two windows are swept out, and at most maxKeys are held", () => {
    const l = limiter(5);
    for (let i = 0; i < 10_000; i++) l.check(`viewer-${i}`, i % 500);
    expect(l.size()).toBe(10_000);
    l.check("late", 5_000);
    expect(l.size()).toBe(1);
    const capped = limiter(5, { maxKeys: 100 });
    for (let i = 0; i < 1_000; i++) capped.check(`viewer-${i}`, 10);
    expect(capped.size()).toBe(100);
  });

  test("property: never more than `limit` accepted calls of one key in any window, and every call under it accepted", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.array(fc.integer({ min: 0, max: 50 }), { maxLength: 200 }), (limit, gaps) => {
        const l = limiter(limit, { windowMs: 100 });
        const accepted: number[] = [];
        let now = 0;
        for (const gap of gaps) {
          now += gap;
          // Accepted exactly when fewer than `limit` calls were accepted in the window before it.
          const inWindow = accepted.filter((t) => now - t < 100).length;
          const ok = l.check("k", now);
          expect(ok, `a call at ${now} ms with ${inWindow} accepted in the window`).toBe(inWindow < limit);
          if (ok) accepted.push(now);
        }
        for (let i = limit; i < accepted.length; i++) expect(accepted[i]! - accepted[i - limit]!).toBeGreaterThanOrEqual(100);
      }),
    );
  });

  test.each([0, -1, 1.5, Number.NaN])("limit %s is refused", (limit) => {
    expect(() => limiter(limit)).toThrow(RangeError);
  });
});

describe("check() across instances", () => {
  test("once counts are shared, each instance leaves room only for what the others used", async () => {
    const store = memoryHitStore();
    const a = limiter(10, { store });
    const b = limiter(10, { store });
    const now = 10_000; // the start of a window
    expect(b.check("viewer", now)).toBe(true);
    await b.flush();
    for (let i = 0; i < 7; i++) expect(a.check("viewer", now)).toBe(true);
    await a.flush(); // a now knows of b's one
    await b.flush(); // b reads a's seven (the key is active on b, so it goes along with no hits)
    expect([1, 2, 3].map(() => b.check("viewer", now + 1))).toEqual([true, true, false]);
    await b.flush();
    await a.flush();
    expect(a.check("viewer", now + 2)).toBe(false); // 7 + 3 = 10
  });

  test("property: two instances that sync between calls accept at most the limit, plus one for a key first seen on the second", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 8 }), fc.array(fc.boolean(), { minLength: 1, maxLength: 60 }), async (limit, sides) => {
        const store = memoryHitStore();
        const instances = [limiter(limit, { store }), limiter(limit, { store })];
        let accepted = 0;
        for (const side of sides) {
          if (instances[side ? 1 : 0]!.check("k", 50_000)) accepted++;
          await instances[0]!.flush();
          await instances[1]!.flush();
        }
        expect(accepted).toBeLessThanOrEqual(limit + 1);
        expect(accepted).toBeGreaterThanOrEqual(Math.min(limit, sides.length));
      }),
      { numRuns: 200 },
    );
  });

  test("a failed sync is said once, counts are kept and sent with the next attempt, and the recovery is said once", async () => {
    const inner = memoryHitStore();
    let down = true;
    const store: HitStore = { ...inner, add: (name, rows) => (down ? Promise.reject(new Error("connection refused")) : inner.add(name, rows)) };
    const log = vi.fn();
    const l = limiter(100, { store, log });
    l.check("k", 1_000);
    await l.flush();
    l.check("k", 1_001);
    await l.flush();
    expect(log.mock.calls).toEqual([["rate limit test: could not share counts with the other instances, will retry: connection refused"]]);
    down = false;
    await l.flush();
    expect(log).toHaveBeenLastCalledWith("rate limit test: shared with the other instances again after 2 failed attempts");
    expect((await inner.take("test", "k", 1)).current).toBe(3); // the two hits, then this take
  });
});

describe("stop()", () => {
  test("shares what is pending once more, then syncs no more (the pool is about to close)", async () => {
    const inner = memoryHitStore();
    let adds = 0;
    const store: HitStore = { ...inner, add: (name, rows) => (adds++, inner.add(name, rows)) };
    const l = limiter(100, { store });
    l.check("k", 1_000);
    await l.stop();
    expect(adds).toBe(1);
    expect((await inner.take("test", "k", 1)).current).toBe(2); // the pending hit, then this take
    expect(l.check("k", 1_001)).toBe(true); // still limits locally
    await new Promise((r) => setTimeout(r, 250)); // past two sync intervals
    expect(adds).toBe(1);
  });
});

describe("take() and release()", () => {
  test("parallel takes never all pass: exactly `limit` of 50 are within it", async () => {
    const store = memoryHitStore();
    const a = limiter(5, { store });
    const b = limiter(5, { store });
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => (i % 2 ? a : b).take("address", 20_000)));
    expect(results.filter(Boolean)).toHaveLength(5);
  });

  test("release gives one back; the previous window still counts for the part the sliding window covers", async () => {
    const l = limiter(2);
    expect(await l.take("k", 30_000)).toBe(true);
    expect(await l.take("k", 30_000)).toBe(true);
    expect(await l.take("k", 30_000)).toBe(false);
    await l.release("k", 30_000);
    await l.release("k", 30_000);
    expect(await l.take("k", 30_500)).toBe(true); // 2 − 2 + 1 = 1 in this window
    // Next window, at its middle: half of the previous window's 2 + this one.
    expect(await l.take("k", 31_500)).toBe(true); // 1 + 0.5 × 2 = 2
    expect(await l.take("k", 31_600)).toBe(false);
  });
});
