/**
 * Fraud rules: pure decisions on figures the caller has already read (lib/fraud
 * reads them from the database). Each rule takes its figures and its parameters
 * by name and answers null (nothing to flag) or the evidence to keep on the
 * flag. Defaults live in one table, {@link DEFAULT_FRAUD_PARAMS}; the choice of
 * each is explained in docs/decisions/017-fraud-flags-and-freezes.md.
 *
 * No I/O, no clocks: amounts are bigint minor units (cents, coins, milli-diamonds).
 */

/** Rules a flag can be raised by. */
export type FraudRule = "NEW_ACCOUNT_BURST" | "MANY_CARDS" | "REPEATED_DECLINES" | "ONE_VIEWER_FUNDING" | "YOUNG_GIFTS_WITHDRAWAL";

export const FRAUD_RULES: readonly FraudRule[] = ["NEW_ACCOUNT_BURST", "MANY_CARDS", "REPEATED_DECLINES", "ONE_VIEWER_FUNDING", "YOUNG_GIFTS_WITHDRAWAL"];

const HOUR_MS = 3_600_000;

/** Every rule's parameters (amounts in minor units, durations in milliseconds). */
export type FraudParams = {
  readonly newAccountBurst: {
    readonly maxAccountAgeMs: number;
    readonly minRechargedCoins: bigint;
    readonly minGiftedCoins: bigint;
    readonly windowMs: number;
  };
  readonly manyCards: { readonly minDistinctCards: number; readonly windowMs: number };
  readonly repeatedDeclines: { readonly minDeclines: number; readonly windowMs: number };
  readonly oneViewerFunding: { readonly minSharePercent: bigint; readonly minDiamonds: bigint; readonly windowMs: number };
  readonly youngGiftsWithdrawal: {
    readonly maxSenderAgeMs: number;
    readonly minSharePercent: bigint;
    readonly windowMs: number;
    readonly minWithdrawnDiamonds: bigint;
  };
};

/** Every rule's parameters and their defaults, in one place. */
export const DEFAULT_FRAUD_PARAMS: FraudParams = {
  newAccountBurst: {
    /** Accounts younger than this are new. */
    maxAccountAgeMs: 24 * HOUR_MS,
    /** Coins recharged in the window from which it counts. */
    minRechargedCoins: 20_000n,
    /** Coins gifted in the window from which it counts. */
    minGiftedCoins: 20_000n,
    /** The window both sums are taken over. */
    windowMs: 3 * HOUR_MS,
  },
  manyCards: { minDistinctCards: 4, windowMs: 24 * HOUR_MS },
  repeatedDeclines: { minDeclines: 5, windowMs: HOUR_MS },
  oneViewerFunding: {
    /** Share of a creator's 7-day diamonds from one viewer, in percent. */
    minSharePercent: 80n,
    /** Milli-diamonds the viewer must have given in the 7 days (500 diamonds). */
    minDiamonds: 500_000n,
    windowMs: 7 * 24 * HOUR_MS,
  },
  youngGiftsWithdrawal: {
    /** Gifting accounts younger than this are young. */
    maxSenderAgeMs: 7 * 24 * HOUR_MS,
    /** Share of the withdrawn diamonds that came from young accounts, in percent. */
    minSharePercent: 50n,
    /** How far back from the request gifts are counted. */
    windowMs: 24 * HOUR_MS,
    /** Withdrawals below this many milli-diamonds are not looked at (100 diamonds). */
    minWithdrawnDiamonds: 100_000n,
  },
};

/** Figures kept on a flag (bigints as strings, so the evidence is JSON). */
export type FraudEvidence = Readonly<Record<string, string | number>>;

/** True when `part / whole ≥ percent / 100`, exactly. */
function reachesShare(part: bigint, whole: bigint, percent: bigint): boolean {
  return whole > 0n && part * 100n >= whole * percent;
}

/** Floor percentage of part in whole, for evidence. */
function percentOf(part: bigint, whole: bigint): number {
  return whole > 0n ? Number((part * 100n) / whole) : 0;
}

export function newAccountBurst(
  { accountAgeMs, rechargedCoins, giftedCoins }: { accountAgeMs: number; rechargedCoins: bigint; giftedCoins: bigint },
  params: FraudParams["newAccountBurst"] = DEFAULT_FRAUD_PARAMS.newAccountBurst,
): FraudEvidence | null {
  if (accountAgeMs >= params.maxAccountAgeMs) return null;
  if (rechargedCoins < params.minRechargedCoins || giftedCoins < params.minGiftedCoins) return null;
  return {
    accountAgeHours: Math.floor(accountAgeMs / HOUR_MS),
    rechargedCoins: String(rechargedCoins),
    giftedCoins: String(giftedCoins),
    windowHours: params.windowMs / HOUR_MS,
  };
}

export function manyCards(
  { distinctCards }: { distinctCards: number },
  params: FraudParams["manyCards"] = DEFAULT_FRAUD_PARAMS.manyCards,
): FraudEvidence | null {
  return distinctCards >= params.minDistinctCards ? { distinctCards, windowHours: params.windowMs / HOUR_MS } : null;
}

export function repeatedDeclines(
  { declines }: { declines: number },
  params: FraudParams["repeatedDeclines"] = DEFAULT_FRAUD_PARAMS.repeatedDeclines,
): FraudEvidence | null {
  return declines >= params.minDeclines ? { declines, windowHours: params.windowMs / HOUR_MS } : null;
}

export function oneViewerFunding(
  { fromViewerDiamonds, creatorTotalDiamonds }: { fromViewerDiamonds: bigint; creatorTotalDiamonds: bigint },
  params: FraudParams["oneViewerFunding"] = DEFAULT_FRAUD_PARAMS.oneViewerFunding,
): FraudEvidence | null {
  if (fromViewerDiamonds < params.minDiamonds) return null;
  if (!reachesShare(fromViewerDiamonds, creatorTotalDiamonds, params.minSharePercent)) return null;
  return {
    fromViewerDiamonds: String(fromViewerDiamonds),
    creatorTotalDiamonds: String(creatorTotalDiamonds),
    sharePercent: percentOf(fromViewerDiamonds, creatorTotalDiamonds),
    windowDays: params.windowMs / (24 * HOUR_MS),
  };
}

export function youngGiftsWithdrawal(
  { withdrawnDiamonds, fromYoungAccountsDiamonds }: { withdrawnDiamonds: bigint; fromYoungAccountsDiamonds: bigint },
  params: FraudParams["youngGiftsWithdrawal"] = DEFAULT_FRAUD_PARAMS.youngGiftsWithdrawal,
): FraudEvidence | null {
  if (withdrawnDiamonds < params.minWithdrawnDiamonds) return null;
  if (!reachesShare(fromYoungAccountsDiamonds, withdrawnDiamonds, params.minSharePercent)) return null;
  return {
    withdrawnDiamonds: String(withdrawnDiamonds),
    fromYoungAccountsDiamonds: String(fromYoungAccountsDiamonds),
    sharePercent: percentOf(fromYoungAccountsDiamonds, withdrawnDiamonds),
    windowHours: params.windowMs / HOUR_MS,
  };
}

/** Net cents from which a withdrawal waits for an operator instead of being paid automatically ($100). */
export const WITHDRAWAL_REVIEW_THRESHOLD_CENTS = 10_000n;

/** Why a withdrawal waits for review, or null when the settler may pay it. */
export function withdrawalReviewReason(
  { netCents, openFlags }: { netCents: bigint; openFlags: number },
  thresholdCents: bigint = WITHDRAWAL_REVIEW_THRESHOLD_CENTS,
): "ABOVE_THRESHOLD" | "OPEN_FLAGS" | null {
  if (openFlags > 0) return "OPEN_FLAGS";
  if (netCents >= thresholdCents) return "ABOVE_THRESHOLD";
  return null;
}

/** The message a frozen account sees on every refused action. */
export function frozenMessage(reason: string): string {
  return `Your account is frozen: ${reason.replace(/[.\s]+$/, "")}. Contact support.`;
}
