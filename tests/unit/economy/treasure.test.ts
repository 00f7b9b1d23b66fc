import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { checkTreasureLimits, describeSeconds, TREASURE_RULES, treasureCountdownChoices, validateTreasureDrop } from "../../../lib/economy";
import { drawTreasure, SeededRandom } from "../../../lib/economy/treasure-draw";

const seed = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((bytes) => Buffer.from(bytes).toString("hex"));
const userId = fc.uuid();
const entrants = fc.uniqueArray(userId, { maxLength: 150 });
const coins = fc.bigInt({ min: TREASURE_RULES.minCoins, max: TREASURE_RULES.maxCoins });
const slots = fc.integer({ min: TREASURE_RULES.minSlots, max: TREASURE_RULES.maxSlots });

describe("drawTreasure", () => {
  test("the shares sum to exactly N, each at least 1 coin, winners are distinct entrants, min(K, entrants) of them", () => {
    fc.assert(
      fc.property(seed, entrants, coins, slots, (s, people, n, k) => {
        const result = drawTreasure(s, people, n, k);
        expect(result).toHaveLength(Math.min(k, people.length));
        if (people.length) expect(result.reduce((sum, w) => sum + w.coins, 0n)).toBe(n);
        for (const w of result) {
          expect(w.coins >= 1n).toBe(true);
          expect(people).toContain(w.userId);
        }
        expect(new Set(result.map((w) => w.userId)).size).toBe(result.length);
      }),
    );
  });

  test("also for tiny boxes: more slots than coins draws only as many winners as coins, 1 each", () => {
    fc.assert(
      fc.property(seed, entrants, fc.bigInt({ min: 1n, max: 300n }), slots, (s, people, n, k) => {
        const result = drawTreasure(s, people, n, k);
        const expected = Math.min(k, people.length, Number(n));
        expect(result).toHaveLength(expected);
        if (expected) expect(result.reduce((sum, w) => sum + w.coins, 0n)).toBe(n);
        for (const w of result) expect(w.coins >= 1n).toBe(true);
      }),
    );
  });

  test("is deterministic for the same seed, whatever order the entrants come in", () => {
    fc.assert(
      fc.property(seed, entrants, coins, slots, (s, people, n, k) => {
        const reversed = [...people].reverse();
        expect(drawTreasure(s, reversed, n, k)).toEqual(drawTreasure(s, people, n, k));
      }),
    );
  });

  test("different seeds give different draws", () => {
    fc.assert(
      fc.property(fc.uniqueArray(seed, { minLength: 8, maxLength: 8 }), fc.uniqueArray(userId, { minLength: 5, maxLength: 50 }), (seeds, people) => {
        const draws = new Set(
          seeds.map((s) => JSON.stringify(drawTreasure(s, people, 10_000n, 5), (_k, v: unknown) => (typeof v === "bigint" ? String(v) : v))),
        );
        expect(draws.size).toBeGreaterThan(1);
      }),
      { numRuns: 50 },
    );
  });

  test("nobody joined: no winners", () => {
    expect(drawTreasure("ab".repeat(32), [], 500n, 3)).toEqual([]);
  });

  test("a known seed gives a known draw (the audit trail does not change with the code)", () => {
    const people = ["00000000-0000-4000-8000-000000000001", "00000000-0000-4000-8000-000000000002", "00000000-0000-4000-8000-000000000003"];
    const first = drawTreasure("0f".repeat(32), people, 1_000n, 2);
    expect(first).toEqual(drawTreasure("0f".repeat(32), [...people].reverse(), 1_000n, 2));
    expect(first.reduce((s, w) => s + w.coins, 0n)).toBe(1_000n);
    expect(first).toEqual([
      { userId: people[1], coins: 587n },
      { userId: people[0], coins: 413n },
    ]);
  });

  test("shares are uneven: over many boxes they are not all equal", () => {
    const people = Array.from({ length: 10 }, (_, i) => `00000000-0000-4000-8000-00000000000${i}`);
    const result = drawTreasure("5a".repeat(32), people, 10_000n, 10);
    expect(new Set(result.map((w) => w.coins)).size).toBeGreaterThan(1);
  });

  test("the random source is uniform below n and refuses bad bounds and seeds", () => {
    const random = SeededRandom.fromSeed("11".repeat(32));
    const counts = [0, 0, 0];
    for (let i = 0; i < 3000; i++) counts[Number(random.below(3n))]!++;
    for (const c of counts) expect(c).toBeGreaterThan(850);
    expect(() => random.below(0n)).toThrow(RangeError);
    expect(() => SeededRandom.fromSeed("xyz")).toThrow(RangeError);
  });
});

describe("validateTreasureDrop", () => {
  test.each([
    [99n, 1, 60, "COINS_OUT_OF_RANGE"],
    [100_001n, 1, 60, "COINS_OUT_OF_RANGE"],
    [100n, 0, 60, "SLOTS_OUT_OF_RANGE"],
    [100n, 101, 60, "SLOTS_OUT_OF_RANGE"],
    [100n, 1.5, 60, "SLOTS_OUT_OF_RANGE"],
    [100n, 1, 59, "COUNTDOWN_OUT_OF_RANGE"],
    [100n, 1, 301, "COUNTDOWN_OUT_OF_RANGE"],
  ])("%s coins, %s winners, %s s is refused with %s", (c, k, s, code) => {
    const result = validateTreasureDrop({ coins: c, slots: k, seconds: s });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.code).toBe(code);
  });

  test.each([
    [100n, 1, 60],
    [100_000n, 100, 300],
  ])("%s coins, %s winners, %s s is fine", (c, k, s) => {
    expect(validateTreasureDrop({ coins: c, slots: k, seconds: s }).ok).toBe(true);
  });

  test("a configured minimum allows shorter countdowns", () => {
    expect(validateTreasureDrop({ coins: 100n, slots: 1, seconds: 10 }, 10).ok).toBe(true);
    expect(validateTreasureDrop({ coins: 100n, slots: 1, seconds: 9 }, 10).ok).toBe(false);
  });
});

describe("checkTreasureLimits", () => {
  const base = { coins: 1_000n, droppedTodayCoins: 0n, droppedTodayBoxes: 0, droppedThisMonthCoins: 0n, monthlyBudgetCoins: null };
  test.each([
    [{ droppedTodayBoxes: TREASURE_RULES.dailyBoxes }, "DAILY_BOXES_EXCEEDED"],
    [{ droppedTodayCoins: TREASURE_RULES.dailyCoins - 999n }, "DAILY_COINS_EXCEEDED"],
    [{ monthlyBudgetCoins: 5_000n, droppedThisMonthCoins: 4_001n }, "BUDGET_EXCEEDED"],
  ])("%o is refused with %s", (over, code) => {
    const result = checkTreasureLimits({ ...base, ...over });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.code).toBe(code);
  });

  test("reaching a limit exactly is allowed", () => {
    expect(checkTreasureLimits({ ...base, droppedTodayCoins: TREASURE_RULES.dailyCoins - 1_000n, droppedTodayBoxes: TREASURE_RULES.dailyBoxes - 1 }).ok).toBe(
      true,
    );
    expect(checkTreasureLimits({ ...base, monthlyBudgetCoins: 5_000n, droppedThisMonthCoins: 4_000n }).ok).toBe(true);
  });
});

describe("labels", () => {
  test("countdown choices and their labels", () => {
    expect(treasureCountdownChoices()).toEqual([60, 120, 180, 240, 300]);
    expect(treasureCountdownChoices(10)).toEqual([10, 60, 120, 180, 240, 300]);
    expect(describeSeconds(60)).toBe("1 min");
    expect(describeSeconds(150)).toBe("2 min 30 s");
    expect(describeSeconds(10)).toBe("10 s");
  });
});
