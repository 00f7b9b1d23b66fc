import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { createRateLimiter } from "../../../lib/live/rate-limit";

describe("createRateLimiter", () => {
  test("accepts perSecond calls per key in any window, then refuses until the oldest leaves the window", () => {
    const limiter = createRateLimiter({ perSecond: 3 });
    expect([0, 100, 200, 300].map((t) => limiter.check("a", t))).toEqual([true, true, true, false]);
    expect(limiter.check("b", 300)).toBe(true); // keys are independent
    expect(limiter.check("a", 999)).toBe(false);
    expect(limiter.check("a", 1_000)).toBe(true); // the call at 0 has left the window
    expect(limiter.check("a", 1_050)).toBe(false);
    expect(limiter.check("a", 1_100)).toBe(true);
  });

  test("a refused call is not counted", () => {
    const limiter = createRateLimiter({ perSecond: 1 });
    expect(limiter.check("a", 0)).toBe(true);
    for (let t = 10; t < 1_000; t += 10) expect(limiter.check("a", t)).toBe(false);
    expect(limiter.check("a", 1_000)).toBe(true);
  });

  test("memory is bounded: keys idle for a window are swept out", () => {
    const limiter = createRateLimiter({ perSecond: 5 });
    for (let i = 0; i < 10_000; i++) limiter.check(`viewer-${i}`, i % 500);
    expect(limiter.size()).toBe(10_000);
    limiter.check("late", 5_000);
    expect(limiter.size()).toBe(1);
  });

  test("property: never more than perSecond accepted calls of one key in any window", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.array(fc.integer({ min: 0, max: 50 }), { maxLength: 200 }), (perSecond, gaps) => {
        const limiter = createRateLimiter({ perSecond, windowMs: 100 });
        const accepted: number[] = [];
        let now = 0;
        for (const gap of gaps) {
          now += gap;
          if (limiter.check("k", now)) accepted.push(now);
        }
        for (let i = perSecond; i < accepted.length; i++) expect(accepted[i]! - accepted[i - perSecond]!).toBeGreaterThanOrEqual(100);
      }),
    );
  });

  test.each([0, -1, 1.5, Number.NaN])("perSecond %s is refused", (perSecond) => {
    expect(() => createRateLimiter({ perSecond })).toThrow(RangeError);
  });
});
