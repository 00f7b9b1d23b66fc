import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { formatCountdown, matchOutcome, matchPhase, matchPoints, scoreShareBasisPoints, secondsLeft } from "../../../lib/economy/match";

describe("LIVE Match rules", () => {
  test("more points wins, equal points tie, a forfeit loses whatever the score", () => {
    expect(matchOutcome(10n, 9n, null)).toBe("A");
    expect(matchOutcome(9n, 10n, null)).toBe("B");
    expect(matchOutcome(7n, 7n, null)).toBe("TIE");
    expect(matchOutcome(0n, 0n, null)).toBe("TIE");
    expect(matchOutcome(1_000n, 1n, "A")).toBe("B");
    expect(matchOutcome(1n, 1_000n, "B")).toBe("A");
  });

  test("a gift scores its coins", () => {
    fc.assert(fc.property(fc.bigInt({ min: 1n, max: 10n ** 12n }), (coins) => matchPoints(coins) === coins));
  });

  test("the bar's share is exact, between 0 and 10,000 basis points, half each at 0–0, and mirrors when the sides swap", () => {
    expect(scoreShareBasisPoints(0n, 0n)).toBe(5_000);
    expect(scoreShareBasisPoints(1n, 0n)).toBe(10_000);
    expect(scoreShareBasisPoints(1n, 2n)).toBe(3_333);
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 15n }), fc.bigInt({ min: 0n, max: 10n ** 15n }), (a, b) => {
        const share = scoreShareBasisPoints(a, b);
        const mirrored = scoreShareBasisPoints(b, a);
        expect(share).toBeGreaterThanOrEqual(0);
        expect(share).toBeLessThanOrEqual(10_000);
        if (a + b > 0n) expect(share + mirrored).toBeGreaterThanOrEqual(9_999); // each rounds down
        if (a > b) expect(share).toBeGreaterThanOrEqual(5_000);
      }),
    );
  });

  test("the countdown never shows 0 before the end, and the last 30 seconds are the final phase", () => {
    const end = 1_000_000;
    expect(secondsLeft(end - 1, end)).toBe(1);
    expect(secondsLeft(end, end)).toBe(0);
    expect(secondsLeft(end + 5_000, end)).toBe(0);
    expect(secondsLeft(Number.NaN, end)).toBe(0);
    expect(matchPhase(end - 31_000, end)).toBe("running");
    expect(matchPhase(end - 30_000, end)).toBe("final");
    expect(matchPhase(end - 1, end)).toBe("final");
    expect(matchPhase(end, end)).toBe("over");
    expect(formatCountdown(305)).toBe("5:05");
    expect(formatCountdown(0)).toBe("0:00");
    expect(formatCountdown(-3)).toBe("0:00");
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3_600_000 }), (before) => {
        const left = secondsLeft(end - before, end);
        expect(left * 1000).toBeGreaterThanOrEqual(before);
        expect(left * 1000 - before).toBeLessThan(1000);
      }),
    );
  });
});
