import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { planClawback, proRataDiamonds, type ClawbackGift } from "../../../lib/refunds/clawback";

const gift = (id: number, creatorId: string, coins: bigint, diamondsMinor: bigint): ClawbackGift => ({
  transferId: BigInt(id),
  creatorId,
  coins,
  diamondsMinor,
});

describe("planClawback (rule table)", () => {
  const cases: Array<{
    name: string;
    shortfall: bigint;
    gifts: ClawbackGift[];
    balances: Record<string, bigint>;
    creators: Array<[string, bigint, bigint, bigint]>;
    untraced: bigint;
  }> = [
    { name: "nothing spent: nothing clawed back", shortfall: 0n, gifts: [gift(1, "a", 100n, 50_000n)], balances: { a: 50_000n }, creators: [], untraced: 0n },
    {
      name: "one whole gift",
      shortfall: 100n,
      gifts: [gift(1, "a", 100n, 50_000n)],
      balances: { a: 50_000n },
      creators: [["a", 50_000n, 50_000n, 0n]],
      untraced: 0n,
    },
    {
      name: "oldest gifts first, the last one pro rata",
      shortfall: 150n,
      gifts: [gift(1, "a", 100n, 50_000n), gift(2, "b", 100n, 50_000n), gift(3, "a", 100n, 50_000n)],
      balances: { a: 1_000_000n, b: 1_000_000n },
      creators: [
        ["a", 50_000n, 50_000n, 0n],
        ["b", 25_000n, 25_000n, 0n],
      ],
      untraced: 0n,
    },
    {
      name: "a creator who withdrew: the rest is platform loss",
      shortfall: 100n,
      gifts: [gift(1, "a", 100n, 50_000n)],
      balances: { a: 20_000n },
      creators: [["a", 50_000n, 20_000n, 30_000n]],
      untraced: 0n,
    },
    {
      name: "an empty creator wallet: all loss",
      shortfall: 100n,
      gifts: [gift(1, "a", 100n, 50_000n)],
      balances: {},
      creators: [["a", 50_000n, 0n, 50_000n]],
      untraced: 0n,
    },
    {
      name: "spent on more than gifts: untraced coins",
      shortfall: 300n,
      gifts: [gift(1, "a", 100n, 50_000n)],
      balances: { a: 50_000n },
      creators: [["a", 50_000n, 50_000n, 0n]],
      untraced: 200n,
    },
    {
      name: "pro rata rounds down",
      shortfall: 1n,
      gifts: [gift(1, "a", 3n, 1_000n)],
      balances: { a: 1_000n },
      creators: [["a", 333n, 333n, 0n]],
      untraced: 0n,
    },
    {
      name: "a gift traced completely before is skipped",
      shortfall: 10n,
      gifts: [gift(1, "a", 0n, 0n), gift(2, "b", 10n, 5_000n)],
      balances: { b: 5_000n },
      creators: [["b", 5_000n, 5_000n, 0n]],
      untraced: 0n,
    },
  ];
  test.each(cases)("$name", ({ shortfall, gifts, balances, creators, untraced }) => {
    const plan = planClawback(shortfall, gifts, new Map(Object.entries(balances)));
    expect(plan.creators.map((c) => [c.creatorId, c.dueMinor, c.clawedMinor, c.lossMinor])).toEqual(creators);
    expect(plan.untracedCoins).toBe(untraced);
  });
});

describe("planClawback (properties)", () => {
  const arbGifts = fc.array(
    fc.record({ creator: fc.constantFrom("a", "b", "c"), coins: fc.bigInt({ min: 0n, max: 50_000n }), perCoin: fc.bigInt({ min: 0n, max: 1_000n }) }),
    { maxLength: 12 },
  );
  const arbBalances = fc.record({
    a: fc.bigInt({ min: -10n, max: 10_000_000n }),
    b: fc.bigInt({ min: 0n, max: 10_000_000n }),
    c: fc.bigInt({ min: 0n, max: 10_000_000n }),
  });

  test("traces the shortfall to the oldest gifts as far as they go, never more than the gifts gave, sums exact, nothing negative, rounding never creates value", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -5n, max: 400_000n }), arbGifts, arbBalances, (shortfall, raw, balances) => {
        const gifts = raw.map((g, i) => gift(i + 1, g.creator, g.coins, g.coins * g.perCoin));
        const plan = planClawback(shortfall, gifts, new Map(Object.entries(balances)));
        const tracedCoins = plan.traced.reduce((s, t) => s + t.coins, 0n);
        // Coins: traced plus untraced is the shortfall exactly, and as much of it as the gifts hold is traced.
        const owed = shortfall > 0n ? shortfall : 0n;
        const open = gifts.reduce((s, g) => s + g.coins, 0n);
        expect(tracedCoins + plan.untracedCoins).toBe(owed);
        expect(tracedCoins).toBe(owed < open ? owed : open);
        // Oldest first: the gifts with coins, in order, each whole but the last.
        const withCoins = gifts.filter((g) => g.coins > 0n);
        expect(plan.traced.map((t) => t.transferId)).toEqual(withCoins.slice(0, plan.traced.length).map((g) => g.transferId));
        plan.traced.slice(0, -1).forEach((t, i) => expect(t.coins).toBe(withCoins[i]!.coins));
        for (const t of plan.traced) {
          const source = gifts.find((g) => g.transferId === t.transferId)!;
          expect(t.coins).toBeGreaterThan(0n);
          expect(t.coins).toBeLessThanOrEqual(source.coins);
          expect(t.diamondsMinor).toBeGreaterThanOrEqual(0n);
          // Rounding down: never more than the exact share of the gift's diamonds.
          expect(t.diamondsMinor * source.coins).toBeLessThanOrEqual(source.diamondsMinor * t.coins);
        }
        for (const c of plan.creators) {
          const gave = gifts.filter((g) => g.creatorId === c.creatorId).reduce((s, g) => s + g.diamondsMinor, 0n);
          const balance = balances[c.creatorId as "a" | "b" | "c"];
          expect(c.dueMinor).toBeLessThanOrEqual(gave);
          expect(c.clawedMinor + c.lossMinor).toBe(c.dueMinor);
          expect(c.clawedMinor).toBeGreaterThanOrEqual(0n);
          expect(c.lossMinor).toBeGreaterThanOrEqual(0n);
          // As much as the creator's wallet holds, up to what is due.
          const available = balance > 0n ? balance : 0n;
          expect(c.clawedMinor).toBe(c.dueMinor < available ? c.dueMinor : available);
          expect(c.dueMinor).toBe(plan.traced.filter((t) => t.creatorId === c.creatorId).reduce((s, t) => s + t.diamondsMinor, 0n));
        }
        // Every creator whose traced gifts gave diamonds is listed, once.
        const owing = new Set(plan.traced.filter((t) => t.diamondsMinor > 0n).map((t) => t.creatorId));
        expect(plan.creators.map((c) => c.creatorId).sort()).toEqual([...owing].sort());
      }),
      { numRuns: 500 },
    );
  });

  test("proRataDiamonds: whole gift exact, parts never exceed the exact share", () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 1n, max: 1_000_000n }),
        fc.bigInt({ min: 0n, max: 10n ** 12n }),
        fc.bigInt({ min: 0n, max: 2_000_000n }),
        (coins, diamonds, part) => {
          const d = proRataDiamonds(diamonds, part, coins);
          if (part >= coins) expect(d).toBe(diamonds);
          else {
            expect(d * coins).toBeLessThanOrEqual(diamonds * part);
            expect((d + 1n) * coins).toBeGreaterThan(diamonds * part);
          }
        },
      ),
    );
  });
});
