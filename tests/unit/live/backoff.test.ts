import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { backoffDelay, LIVE_RECONNECT } from "../../../lib/live/backoff";

describe("backoffDelay", () => {
  test.each([
    [0, 1, 1_000],
    [1, 1, 2_000],
    [2, 1, 4_000],
    [3, 1, 8_000],
    [4, 1, 15_000],
    [50, 1, 15_000],
    [0, 0, 500],
    [4, 0, 7_500],
  ])("attempt %i with random %d waits %i ms", (attempt, random, ms) => {
    expect(backoffDelay(attempt, random)).toBe(ms);
  });

  test("always between half the ceiling and the cap", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000 }), fc.double({ min: 0, max: 1, noNaN: true }), (attempt, random) => {
        const ms = backoffDelay(attempt, random);
        expect(ms).toBeGreaterThanOrEqual(LIVE_RECONNECT.baseMs / 2);
        expect(ms).toBeLessThanOrEqual(LIVE_RECONNECT.capMs);
      }),
    );
  });
});
