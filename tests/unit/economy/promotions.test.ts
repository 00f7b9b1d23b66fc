import fc from "fast-check";
import { describe, expect, test } from "vitest";
import {
  FIRST_RECHARGE_BONUS,
  FIRST_RECHARGE_BONUS_ID,
  PROMOTIONS,
  activePromotions,
  computeBonus,
  isPromotionActive,
  rational,
  rationalEquals,
  type Promotion,
} from "../../../lib/economy";

const OUTSIDE = new Date("2026-10-01T12:00:00Z");
const WEEKEND = new Date("2026-11-25T12:00:00Z");

function promo(overrides: Partial<Promotion> & Pick<Promotion, "id">): Promotion {
  return {
    title: overrides.id,
    description: "",
    startsAt: "2026-01-01T00:00:00Z",
    endsAt: "2027-01-01T00:00:00Z",
    bonus: rational(5n, 100n),
    minCoins: 0n,
    ...overrides,
  };
}

describe("promotion data", () => {
  test("first recharge bonus is +10 %", () => {
    expect(rationalEquals(FIRST_RECHARGE_BONUS, rational(1n, 10n))).toBe(true);
    expect(FIRST_RECHARGE_BONUS_ID).toBe("first-recharge");
  });

  test("includes the weekend boost: +5 % from 700 coins, Nov 20–30 2026", () => {
    const weekend = PROMOTIONS.find((p) => p.id === "weekend-boost");
    expect(weekend).toMatchObject({
      title: "Weekend boost",
      startsAt: "2026-11-20T00:00:00Z",
      endsAt: "2026-11-30T00:00:00Z",
      minCoins: 700n,
    });
    expect(rationalEquals(weekend!.bonus, rational(5n, 100n))).toBe(true);
  });

  test("during the weekend boost one promotion has expired and one is still in the future", () => {
    const now = WEEKEND.getTime();
    expect(PROMOTIONS.filter((p) => Date.parse(p.endsAt) <= now).length).toBeGreaterThanOrEqual(1);
    expect(PROMOTIONS.filter((p) => Date.parse(p.startsAt) > now).length).toBeGreaterThanOrEqual(1);
    expect(activePromotions(WEEKEND).map((p) => p.id)).toEqual(["weekend-boost"]);
  });

  test("every promotion is well-formed: unique ids, valid window, non-negative bonus, description", () => {
    expect(new Set(PROMOTIONS.map((p) => p.id)).size).toBe(PROMOTIONS.length);
    for (const p of PROMOTIONS) {
      expect(p.id).not.toBe(FIRST_RECHARGE_BONUS_ID);
      expect(Date.parse(p.startsAt)).toBeLessThan(Date.parse(p.endsAt));
      expect(p.bonus.num >= 0n && p.bonus.den > 0n).toBe(true);
      expect(p.minCoins >= 0n).toBe(true);
      expect(p.description.length).toBeGreaterThan(0);
    }
    expect(Object.isFrozen(PROMOTIONS)).toBe(true);
  });
});

describe("isPromotionActive (startsAt ≤ now < endsAt)", () => {
  const weekend = PROMOTIONS.find((p) => p.id === "weekend-boost")!;
  test.each([
    ["2026-11-19T23:59:59.999Z", false],
    ["2026-11-20T00:00:00.000Z", true],
    ["2026-11-29T23:59:59.999Z", true],
    ["2026-11-30T00:00:00.000Z", false],
  ])("%s → %s", (iso, expected) => {
    expect(isPromotionActive(weekend, new Date(iso))).toBe(expected);
  });
});

describe("computeBonus", () => {
  test.each<[string, bigint, boolean, Date, { totalBonus: bigint; lines: { id: string; title: string; coins: bigint }[] }]>([
    ["no bonus outside promotions", 700n, false, OUTSIDE, { totalBonus: 0n, lines: [] }],
    ["first recharge only", 700n, true, OUTSIDE, { totalBonus: 70n, lines: [{ id: "first-recharge", title: "First recharge bonus", coins: 70n }] }],
    ["first recharge is floored (69 → 6)", 69n, true, OUTSIDE, { totalBonus: 6n, lines: [{ id: "first-recharge", title: "First recharge bonus", coins: 6n }] }],
    ["a zero first-recharge line is omitted (9 coins)", 9n, true, OUTSIDE, { totalBonus: 0n, lines: [] }],
    ["weekend boost at the minimum", 700n, false, WEEKEND, { totalBonus: 35n, lines: [{ id: "weekend-boost", title: "Weekend boost", coins: 35n }] }],
    ["weekend boost below the minimum", 699n, false, WEEKEND, { totalBonus: 0n, lines: [] }],
    [
      "first recharge plus weekend boost, each on the purchased coins",
      17_500n,
      true,
      WEEKEND,
      {
        totalBonus: 2625n,
        lines: [
          { id: "first-recharge", title: "First recharge bonus", coins: 1750n },
          { id: "weekend-boost", title: "Weekend boost", coins: 875n },
        ],
      },
    ],
    [
      "weekend boost floored (1,410 × 5 % = 70.5 → 70)",
      1410n,
      false,
      WEEKEND,
      { totalBonus: 70n, lines: [{ id: "weekend-boost", title: "Weekend boost", coins: 70n }] },
    ],
    [
      "the expired summer promotion during its window",
      350n,
      false,
      new Date("2025-06-03T00:00:00Z"),
      { totalBonus: 28n, lines: [{ id: "summer-kickoff", title: "Summer kickoff", coins: 28n }] },
    ],
    [
      "the future New Year promotion during its window",
      1400n,
      false,
      new Date("2026-12-31T00:00:00Z"),
      { totalBonus: 210n, lines: [{ id: "new-year-2027", title: "New Year bonus", coins: 210n }] },
    ],
    ["zero coins", 0n, true, WEEKEND, { totalBonus: 0n, lines: [] }],
  ])("%s", (_label, coins, isFirstRecharge, now, expected) => {
    expect(computeBonus({ coins, isFirstRecharge, now })).toEqual(expected);
  });

  const overlapping: Promotion[] = [
    promo({ id: "small", bonus: rational(5n, 100n), minCoins: 0n }),
    promo({ id: "big", bonus: rational(20n, 100n), minCoins: 1000n }),
    promo({ id: "same-as-small", bonus: rational(1n, 20n), minCoins: 0n }),
    promo({ id: "tiny", bonus: rational(1n, 1000n), minCoins: 0n }),
    promo({ id: "expired-huge", bonus: rational(1n, 1n), endsAt: "2026-06-01T00:00:00Z" }),
    promo({ id: "future-huge", bonus: rational(1n, 1n), startsAt: "2026-12-01T00:00:00Z" }),
  ];

  test.each([
    [700n, "small", 35n],
    [1000n, "big", 200n],
    [999n, "small", 49n],
  ])("applies only the single best active promotion (%s coins → %s)", (coins, id, bonus) => {
    expect(computeBonus({ coins, isFirstRecharge: false, now: WEEKEND, promotions: overlapping })).toEqual({
      totalBonus: bonus,
      lines: [{ id, title: id, coins: bonus }],
    });
  });

  test("a promotion worth 0 coins after flooring is omitted", () => {
    const onlyTiny = [promo({ id: "tiny", bonus: rational(1n, 1000n) })];
    expect(computeBonus({ coins: 999n, isFirstRecharge: false, now: WEEKEND, promotions: onlyTiny })).toEqual({
      totalBonus: 0n,
      lines: [],
    });
    expect(computeBonus({ coins: 1000n, isFirstRecharge: false, now: WEEKEND, promotions: onlyTiny }).totalBonus).toBe(1n);
  });

  test("an empty promotion list leaves only the first-recharge bonus", () => {
    expect(computeBonus({ coins: 700n, isFirstRecharge: true, now: WEEKEND, promotions: [] }).lines.map((l) => l.id)).toEqual(["first-recharge"]);
  });

  test("throws for negative coins, an invalid date or invalid promotion data", () => {
    expect(() => computeBonus({ coins: -1n, isFirstRecharge: false, now: WEEKEND })).toThrow(RangeError);
    expect(() => computeBonus({ coins: 1n, isFirstRecharge: false, now: new Date("nope") })).toThrow(RangeError);
    expect(() => computeBonus({ coins: 1n, isFirstRecharge: false, now: WEEKEND, promotions: [promo({ id: "x", startsAt: "soon" })] })).toThrow(RangeError);
    expect(() => computeBonus({ coins: 1n, isFirstRecharge: false, now: WEEKEND, promotions: [promo({ id: "x", bonus: rational(-1n, 10n) })] })).toThrow(
      RangeError,
    );
  });

  const promotionArb = fc.record({
    id: fc.string({ minLength: 1, maxLength: 8 }),
    title: fc.string(),
    description: fc.string(),
    startsAt: fc.constantFrom("2025-01-01T00:00:00Z", "2026-11-20T00:00:00Z", "2026-12-01T00:00:00Z"),
    endsAt: fc.constantFrom("2026-11-01T00:00:00Z", "2026-11-30T00:00:00Z", "2027-12-01T00:00:00Z"),
    bonus: fc.tuple(fc.bigInt({ min: 0n, max: 50n }), fc.bigInt({ min: 1n, max: 100n })).map(([n, d]) => rational(n, d)),
    minCoins: fc.bigInt({ min: 0n, max: 20_000n }),
  });
  const scenario = fc.record({
    isFirstRecharge: fc.boolean(),
    now: fc.date({ min: new Date("2024-01-01T00:00:00Z"), max: new Date("2028-01-01T00:00:00Z"), noInvalidDate: true }),
    promotions: fc.oneof(fc.constant(PROMOTIONS), fc.array(promotionArb, { maxLength: 5 })),
  });

  test("property: the bonus is never negative and totals its lines (at most two, none zero)", () => {
    fc.assert(
      fc.property(scenario, fc.bigInt({ min: 0n, max: 3_000_000n }), (s, coins) => {
        const result = computeBonus({ coins, ...s });
        expect(result.totalBonus >= 0n).toBe(true);
        expect(result.totalBonus).toBe(result.lines.reduce((sum, line) => sum + line.coins, 0n));
        expect(result.lines.length).toBeLessThanOrEqual(2);
        for (const line of result.lines) expect(line.coins > 0n).toBe(true);
        expect(result.lines.some((l) => l.id === FIRST_RECHARGE_BONUS_ID)).toBe(s.isFirstRecharge && coins >= 10n);
      }),
    );
  });

  test("property: the bonus is monotonic in coins", () => {
    fc.assert(
      fc.property(scenario, fc.bigInt({ min: 0n, max: 3_000_000n }), fc.bigInt({ min: 0n, max: 100_000n }), (s, coins, extra) => {
        const smaller = computeBonus({ coins, ...s }).totalBonus;
        const larger = computeBonus({ coins: coins + extra, ...s }).totalBonus;
        expect(larger >= smaller).toBe(true);
      }),
    );
  });

  test("property: the promotion line is the best eligible active promotion", () => {
    fc.assert(
      fc.property(scenario, fc.bigInt({ min: 0n, max: 3_000_000n }), (s, coins) => {
        const result = computeBonus({ coins, ...s, isFirstRecharge: false });
        const candidates = s.promotions.filter((p) => coins >= p.minCoins && isPromotionActive(p, s.now)).map((p) => (coins * p.bonus.num) / p.bonus.den);
        const best = candidates.reduce((max, value) => (value > max ? value : max), 0n);
        expect(result.totalBonus).toBe(best);
      }),
    );
  });
});
