import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { computeMargin, formatAssetAmount, formatBasisPoints, storeCommission, toReferenceUsdCents } from "../../../lib/economy";

describe("store commission", () => {
  test.each([
    ["ios", 99n, 30n], // 29.7 → 30
    ["ios", 489n, 147n], // 146.7 → 147
    ["ios", 5n, 2n], // 1.5 → 2 (half up)
    ["android", 99n, 15n], // 14.85 → 15
    ["android", 10n, 2n], // 1.5 → 2
    ["android", 9n, 1n], // 1.35 → 1
    ["web", 9_499n, 0n],
    ["ios", 0n, 0n],
  ] as const)("%s on %s minor units is %s", (platform, amount, expected) => {
    expect(storeCommission(platform, amount)).toBe(expected);
  });

  test("never more than the amount, never negative, and the store keeps no more than its rate (within half a unit)", () => {
    fc.assert(
      fc.property(fc.constantFrom("ios", "android", "web" as const), fc.bigInt({ min: 0n, max: 10n ** 12n }), (platform, amount) => {
        const commission = storeCommission(platform, amount);
        expect(commission >= 0n && commission <= amount).toBe(true);
        const exact = { ios: [30n, 100n], android: [15n, 100n], web: [0n, 1n] }[platform];
        // |commission − amount × rate| ≤ ½
        const diff = 2n * (commission * exact[1]! - amount * exact[0]!);
        expect(diff <= exact[1]! && diff >= -exact[1]!).toBe(true);
      }),
    );
  });
});

describe("reference rates", () => {
  test.each([
    [100n, "USD", 100n],
    [100n, "EUR", 108n],
    [999n, "GBP", 1_269n], // 1,268.73
    [160n, "JPY", 107n], // 107.2
    [16_000n, "IDR", 101n], // 100.8
    [1n, "IDR", 0n],
  ] as const)("%s %s is %s US cents", (amount, currency, cents) => {
    expect(toReferenceUsdCents(amount, currency)).toBe(cents);
  });
});

describe("margin", () => {
  test("revenue − commission − creator payouts, with its share in basis points", () => {
    expect(computeMargin({ revenueCents: 10_000n, commissionCents: 1_500n, creatorPayoutCents: 4_000n })).toEqual({
      marginCents: 4_500n,
      marginBasisPoints: 4_500n,
    });
    expect(computeMargin({ revenueCents: 3n, commissionCents: 0n, creatorPayoutCents: 2n })).toEqual({ marginCents: 1n, marginBasisPoints: 3_333n });
    expect(computeMargin({ revenueCents: 100n, commissionCents: 0n, creatorPayoutCents: 250n })).toEqual({ marginCents: -150n, marginBasisPoints: -15_000n });
    expect(computeMargin({ revenueCents: 0n, commissionCents: 0n, creatorPayoutCents: 0n })).toEqual({ marginCents: 0n, marginBasisPoints: null });
  });

  test.each([
    [4_500n, "45 %"],
    [3_333n, "33.33 %"],
    [1_250n, "12.5 %"],
    [5n, "0.05 %"],
    [-15_000n, "-150 %"],
    [0n, "0 %"],
  ])("%s basis points read %s", (bp, text) => {
    expect(formatBasisPoints(bp)).toBe(text);
  });
});

describe("amounts in their asset", () => {
  test.each([
    [12_345n, "COIN", "12,345 coins"],
    [1n, "COIN", "1 coin"],
    [-8_150n, "COIN", "-8,150 coins"],
    [743_000n, "DIAMOND", "743 diamonds"],
    [1_000n, "DIAMOND", "1 diamond"],
    [1_500n, "DIAMOND", "1.5 diamonds"],
    [8_604n, "USD", "$86.04"],
    [-3_276n, "USD", "-$32.76"],
    [160n, "JPY", "¥160"],
  ])('%s %s is "%s"', (minor, asset, text) => {
    expect(formatAssetAmount(minor, asset)).toBe(text);
  });
});
