import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { GIFTER_LEVEL_THRESHOLDS, gifterBand, gifterLevel, gifterProgress, levelReached, MAX_GIFTER_LEVEL } from "../../../lib/economy/levels";

const coins = fc.bigInt({ min: 0n, max: 10n ** 9n });

describe("gifter levels", () => {
  test("fifty levels, level 1 at the first coin, each threshold higher than the last and growing roughly geometrically", () => {
    expect(MAX_GIFTER_LEVEL).toBe(50);
    expect(GIFTER_LEVEL_THRESHOLDS[0]).toBe(1n);
    for (let i = 1; i < GIFTER_LEVEL_THRESHOLDS.length; i++) expect(GIFTER_LEVEL_THRESHOLDS[i]! > GIFTER_LEVEL_THRESHOLDS[i - 1]!).toBe(true);
    // From level 10 on, each step is between 1.3× and 1.6× the one before.
    for (let i = 10; i < GIFTER_LEVEL_THRESHOLDS.length; i++) {
      const ratio = Number(GIFTER_LEVEL_THRESHOLDS[i]!) / Number(GIFTER_LEVEL_THRESHOLDS[i - 1]!);
      expect(ratio).toBeGreaterThan(1.3);
      expect(ratio).toBeLessThan(1.6);
    }
  });

  test("no coins is no level; exactly a threshold reaches it, one coin less does not", () => {
    expect(gifterLevel(0n)).toBe(0);
    GIFTER_LEVEL_THRESHOLDS.forEach((threshold, i) => {
      expect(gifterLevel(threshold)).toBe(i + 1);
      expect(gifterLevel(threshold - 1n)).toBe(i);
    });
    expect(gifterLevel(10n ** 15n)).toBe(50);
  });

  test("the level never falls as coins grow and is always in 0–50", () => {
    fc.assert(
      fc.property(coins, coins, (a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        expect(gifterLevel(lo)).toBeLessThanOrEqual(gifterLevel(hi));
        expect(gifterLevel(hi)).toBeGreaterThanOrEqual(0);
        expect(gifterLevel(hi)).toBeLessThanOrEqual(50);
      }),
    );
  });

  test("progress: coins to go reach the next threshold exactly, percent within 0–99 below the top", () => {
    fc.assert(
      fc.property(coins, (c) => {
        const p = gifterProgress(c);
        expect(p.level).toBe(gifterLevel(c));
        if (p.next === null) {
          expect(p.level).toBe(MAX_GIFTER_LEVEL);
          return;
        }
        expect(p.next.level).toBe(p.level + 1);
        expect(gifterLevel(c + p.next.coinsToGo)).toBe(p.next.level);
        expect(gifterLevel(c + p.next.coinsToGo - 1n)).toBe(p.level);
        expect(p.percent).toBeGreaterThanOrEqual(0);
        expect(p.percent).toBeLessThan(100);
      }),
    );
    expect(gifterProgress(0n)).toMatchObject({ level: 0, next: { level: 1, coinsToGo: 1n }, percent: 0 });
    expect(() => gifterProgress(-1n)).toThrow(RangeError);
  });

  test("a level is reached when the coins cross its threshold, and only then", () => {
    expect(levelReached(0n, 1n)).toBe(1);
    expect(levelReached(4n, 5n)).toBe(5);
    expect(levelReached(5n, 5n)).toBeNull();
    expect(levelReached(6n, 8n)).toBeNull();
    expect(levelReached(8n, 1_000n)).toBe(20);
    fc.assert(fc.property(coins, coins, (a, b) => (levelReached(a, b) === null) === gifterLevel(b) <= gifterLevel(a)));
  });

  test("badge bands change every ten levels", () => {
    expect([0, 1, 10, 11, 20, 21, 41, 50].map(gifterBand)).toEqual([0, 1, 1, 2, 2, 3, 5, 5]);
  });
});
