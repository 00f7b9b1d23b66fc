import { describe, expect, it } from "vitest";
import {
  DEFAULT_FRAUD_PARAMS as P,
  frozenMessage,
  manyCards,
  newAccountBurst,
  oneViewerFunding,
  repeatedDeclines,
  withdrawalReviewReason,
  youngGiftsWithdrawal,
  WITHDRAWAL_REVIEW_THRESHOLD_CENTS,
} from "@/lib/economy";

const H = 3_600_000;

describe("newAccountBurst", () => {
  const min = { recharged: P.newAccountBurst.minRechargedCoins, gifted: P.newAccountBurst.minGiftedCoins };
  it.each([
    ["at both thresholds, 23 h old", 23 * H, min.recharged, min.gifted, true],
    ["just below the recharge threshold", 23 * H, min.recharged - 1n, min.gifted, false],
    ["just below the gift threshold", 23 * H, min.recharged, min.gifted - 1n, false],
    ["just above both", 1 * H, min.recharged + 1n, min.gifted + 1n, true],
    ["exactly 24 h old", 24 * H, min.recharged * 10n, min.gifted * 10n, false],
    ["just under 24 h old", 24 * H - 1, min.recharged, min.gifted, true],
  ])("%s", (_name, accountAgeMs, rechargedCoins, giftedCoins, flagged) => {
    expect(newAccountBurst({ accountAgeMs, rechargedCoins, giftedCoins }) !== null).toBe(flagged);
  });
  it("keeps the figures as evidence", () => {
    expect(newAccountBurst({ accountAgeMs: 2 * H, rechargedCoins: 30_000n, giftedCoins: 25_000n })).toEqual({
      accountAgeHours: 2,
      rechargedCoins: "30000",
      giftedCoins: "25000",
      windowHours: 3,
    });
  });
});

describe("manyCards", () => {
  const n = P.manyCards.minDistinctCards;
  it.each([
    [n - 1, false],
    [n, true],
    [n + 1, true],
  ])("%i cards → %s", (distinctCards, flagged) => {
    expect(manyCards({ distinctCards }) !== null).toBe(flagged);
  });
  it("takes its threshold by name", () => {
    expect(manyCards({ distinctCards: 2 }, { minDistinctCards: 2, windowMs: H })).toEqual({ distinctCards: 2, windowHours: 1 });
  });
});

describe("repeatedDeclines", () => {
  const n = P.repeatedDeclines.minDeclines;
  it.each([
    [n - 1, false],
    [n, true],
    [n + 1, true],
  ])("%i declines → %s", (declines, flagged) => {
    expect(repeatedDeclines({ declines }) !== null).toBe(flagged);
  });
});

describe("oneViewerFunding", () => {
  const floor = P.oneViewerFunding.minDiamonds;
  it.each([
    ["80 % exactly, at the floor", floor, (floor * 100n) / 80n, true],
    ["just below 80 %", floor, (floor * 100n) / 80n + 1n, false],
    ["just above 80 %", floor, floor + 1n, true],
    ["all of it, below the floor", floor - 1n, floor - 1n, false],
    ["nothing given to anyone", 0n, 0n, false],
  ])("%s", (_name, fromViewerDiamonds, creatorTotalDiamonds, flagged) => {
    expect(oneViewerFunding({ fromViewerDiamonds, creatorTotalDiamonds }) !== null).toBe(flagged);
  });
  it("states the share in the evidence", () => {
    expect(oneViewerFunding({ fromViewerDiamonds: 900_000n, creatorTotalDiamonds: 1_000_000n })?.sharePercent).toBe(90);
  });
});

describe("youngGiftsWithdrawal", () => {
  const floor = P.youngGiftsWithdrawal.minWithdrawnDiamonds;
  it.each([
    ["half from young accounts", 200_000n, 100_000n, true],
    ["just below half", 200_000n, 99_999n, false],
    ["just above half", 200_000n, 100_001n, true],
    ["all young but below the floor", floor - 1n, floor - 1n, false],
    ["all young at the floor", floor, floor, true],
  ])("%s", (_name, withdrawnDiamonds, fromYoungAccountsDiamonds, flagged) => {
    expect(youngGiftsWithdrawal({ withdrawnDiamonds, fromYoungAccountsDiamonds }) !== null).toBe(flagged);
  });
});

describe("withdrawalReviewReason", () => {
  const t = WITHDRAWAL_REVIEW_THRESHOLD_CENTS;
  it.each([
    [t - 1n, 0, null],
    [t, 0, "ABOVE_THRESHOLD"],
    [t + 1n, 0, "ABOVE_THRESHOLD"],
    [1n, 1, "OPEN_FLAGS"],
  ] as const)("%s cents with %i open flags → %s", (netCents, openFlags, reason) => {
    expect(withdrawalReviewReason({ netCents, openFlags })).toBe(reason);
  });
});

describe("frozenMessage", () => {
  it("names the reason once, with one full stop", () => {
    expect(frozenMessage("Chargeback investigation.")).toBe("Your account is frozen: Chargeback investigation. Contact support.");
  });
});
