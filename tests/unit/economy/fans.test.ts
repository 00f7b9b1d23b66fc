import fc from "fast-check";
import { describe, expect, test } from "vitest";
import {
  cappedDailyPoints,
  defaultFanClubName,
  FAN_CLUB_RULES,
  FAN_LEVEL_THRESHOLDS,
  fanGiftPoints,
  fanLevel,
  fanLevelReached,
  fanMembershipState,
  fanPointsToNextLevel,
  MAX_FAN_LEVEL,
  validateFanClubName,
} from "../../../lib/economy/fans";

const points = fc.bigInt({ min: 0n, max: 10n ** 9n });
const DAY = 86_400_000;

describe("fan levels", () => {
  test("level 1 on joining (0 points); each threshold higher than the last; exactly a threshold reaches it", () => {
    expect(FAN_LEVEL_THRESHOLDS[0]).toBe(0n);
    for (let i = 1; i < FAN_LEVEL_THRESHOLDS.length; i++) expect(FAN_LEVEL_THRESHOLDS[i]! > FAN_LEVEL_THRESHOLDS[i - 1]!).toBe(true);
    FAN_LEVEL_THRESHOLDS.forEach((threshold, i) => {
      expect(fanLevel(threshold)).toBe(i + 1);
      if (threshold > 0n) expect(fanLevel(threshold - 1n)).toBe(i);
    });
    expect(fanLevel(10n ** 15n)).toBe(MAX_FAN_LEVEL);
    expect(() => fanLevel(-1n)).toThrow(RangeError);
  });

  test("the level never falls as points grow and stays within 1–MAX_FAN_LEVEL", () => {
    fc.assert(
      fc.property(points, points, (a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        expect(fanLevel(lo)).toBeLessThanOrEqual(fanLevel(hi));
        expect(fanLevel(lo)).toBeGreaterThanOrEqual(1);
        expect(fanLevel(hi)).toBeLessThanOrEqual(MAX_FAN_LEVEL);
      }),
    );
  });

  test("a level is reached exactly when the level rises; points to go land on the next threshold", () => {
    fc.assert(
      fc.property(points, points, (a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        const reached = fanLevelReached(lo, hi);
        expect(reached).toBe(fanLevel(hi) > fanLevel(lo) ? fanLevel(hi) : null);
        const next = fanPointsToNextLevel(lo);
        if (next === null) expect(fanLevel(lo)).toBe(MAX_FAN_LEVEL);
        else {
          expect(next.pointsToGo).toBeGreaterThan(0n);
          expect(fanLevel(lo + next.pointsToGo)).toBe(next.level);
          expect(fanLevel(lo + next.pointsToGo - 1n)).toBe(next.level - 1);
        }
      }),
    );
  });
});

describe("points", () => {
  test("a point per coin of a gift, additive over gifts", () => {
    expect(fanGiftPoints(1n)).toBe(1n);
    expect(fanGiftPoints(34_999n)).toBe(34_999n);
    expect(() => fanGiftPoints(-1n)).toThrow(RangeError);
    fc.assert(
      fc.property(points, points, (a, b) => {
        expect(fanGiftPoints(a + b)).toBe(fanGiftPoints(a) + fanGiftPoints(b));
      }),
    );
  });

  test.each([
    [0, 1, 30, 1],
    [29, 1, 30, 1],
    [30, 1, 30, 0],
    [31, 1, 30, 0],
    [25, 10, 30, 5],
  ])("daily cap: %i already, %i wanted, cap %i: %i earned", (already, wanted, cap, earned) => {
    expect(cappedDailyPoints(already, wanted, cap)).toBe(earned);
  });

  test("whatever the order of activity, a day never earns more than the cap", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 5 }), { maxLength: 60 }), fc.integer({ min: 0, max: 40 }), (wants, cap) => {
        let total = 0;
        for (const want of wants) total += cappedDailyPoints(total, want, cap);
        expect(total).toBe(
          Math.min(
            cap,
            wants.reduce((a, b) => a + b, 0),
          ),
        );
      }),
    );
    expect(() => cappedDailyPoints(-1, 1, 10)).toThrow(RangeError);
  });
});

describe("club names", () => {
  test.each([
    ["Cleo", "Cleo"],
    ["  CLEO7 ", "CLEO7"],
    ["Zoë", "Zoë"],
    ["さくら", "さくら"],
    ["ab", "ab"],
    ["abcdefgh", "abcdefgh"],
  ])("%j is accepted as %j", (raw, name) => {
    expect(validateFanClubName(raw)).toEqual({ ok: true, value: name });
  });

  test.each([
    ["", "EMPTY"],
    ["   ", "EMPTY"],
    ["a", "TOO_SHORT"],
    ["abcdefghi", "TOO_LONG"],
    ["Cleo Fans", "CHARACTERS"],
    ["<b>", "CHARACTERS"],
    ["ab\u0000", "CHARACTERS"],
    ["ab\u202e", "CHARACTERS"],
    ["ab🔥", "CHARACTERS"],
    ["ab\ud800", "CHARACTERS"],
  ])("%j is refused (%s)", (raw, code) => {
    const result = validateFanClubName(raw);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.code).toBe(code);
      expect(result.message.length).toBeGreaterThan(10);
    }
  });

  test("any accepted name is 2–8 letters or digits; the default name is always an accepted one", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 20, unit: "grapheme" }), (raw) => {
        const result = validateFanClubName(raw);
        if (result.ok) {
          expect([...result.value].length).toBeGreaterThanOrEqual(FAN_CLUB_RULES.nameMinLength);
          expect([...result.value].length).toBeLessThanOrEqual(FAN_CLUB_RULES.nameMaxLength);
          expect(result.value).toMatch(/^[\p{L}\p{N}]+$/u);
        }
        expect(validateFanClubName(defaultFanClubName(raw)).ok).toBe(true);
      }),
    );
    expect(defaultFanClubName("Cleo Creator")).toBe("Cleo");
    expect(defaultFanClubName("Milo (bot)")).toBe("Milo");
    expect(defaultFanClubName("Alexandrina Rose")).toBe("Alexandr");
    expect(defaultFanClubName("J. Smith")).toBe("JSmith");
    expect(defaultFanClubName("🔥")).toBe("Fans");
  });
});

describe("lapse", () => {
  const t0 = Date.parse("2026-12-01T12:00:00.000Z");

  test("active, then warned in the last two days, then lapsed exactly seven days after the last activity", () => {
    expect(fanMembershipState(t0, t0)).toEqual({ state: "active", lapsesAt: t0 + 7 * DAY, daysLeft: 7 });
    expect(fanMembershipState(t0, t0 + 5 * DAY - 1)).toMatchObject({ state: "active", daysLeft: 3 });
    expect(fanMembershipState(t0, t0 + 5 * DAY)).toMatchObject({ state: "warning", daysLeft: 2 });
    expect(fanMembershipState(t0, t0 + 6.5 * DAY)).toMatchObject({ state: "warning", daysLeft: 1 });
    expect(fanMembershipState(t0, t0 + 7 * DAY - 1)).toMatchObject({ state: "warning", daysLeft: 1 });
    expect(fanMembershipState(t0, t0 + 7 * DAY)).toEqual({ state: "lapsed", lapsedAt: t0 + 7 * DAY });
    expect(fanMembershipState(t0, t0 + 3 * DAY, 3)).toMatchObject({ state: "lapsed" });
  });

  test("later activity never makes a membership lapse sooner", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 30 * DAY }), fc.integer({ min: 0, max: 30 * DAY }), fc.integer({ min: 0, max: 60 * DAY }), (a, b, now) => {
        const [early, late] = a <= b ? [a, b] : [b, a];
        const lapsed = (s: ReturnType<typeof fanMembershipState>) => s.state === "lapsed";
        if (lapsed(fanMembershipState(t0 + late, t0 + now))) expect(lapsed(fanMembershipState(t0 + early, t0 + now))).toBe(true);
      }),
    );
  });
});
