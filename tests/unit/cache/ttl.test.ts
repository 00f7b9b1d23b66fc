import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { TtlCache } from "@/lib/cache/ttl";

describe("TtlCache", () => {
  test("an entry is served until its time is up, then forgotten", () => {
    const cache = new TtlCache<string, number>(1_000);
    cache.set("a", 1, 0);
    expect(cache.get("a", 999)).toBe(1);
    expect(cache.get("a", 1_000)).toBeUndefined();
    cache.set("b", 2, 0, 5_000);
    expect(cache.get("b", 4_999)).toBe(2);
    cache.delete("b");
    expect(cache.get("b", 1)).toBeUndefined();
  });

  test("never holds more than its cap, whatever keys pass through, and keeps the newest", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 500 }), { maxLength: 2_000 }), fc.integer({ min: 1, max: 50 }), (keys, cap) => {
        const cache = new TtlCache<number, number>(60_000, cap);
        keys.forEach((key, i) => cache.set(key, i, 0));
        expect(cache.size).toBeLessThanOrEqual(cap);
        const last = keys.at(-1);
        if (last !== undefined) expect(cache.get(last, 1)).toBe(keys.length - 1);
      }),
    );
  });
});
