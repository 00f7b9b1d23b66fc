// A flag's evidence in words and formatted figures, for operators.
import { formatCoins, formatDiamonds, type FraudRule } from "../economy";

type Evidence = Record<string, string | number>;

const big = (e: Evidence, k: string) => BigInt(String(e[k] ?? 0));

export const RULE_TITLES: Record<FraudRule, string> = {
  NEW_ACCOUNT_BURST: "New account recharging and gifting heavily",
  MANY_CARDS: "Many cards on one account",
  REPEATED_DECLINES: "Repeated declined payments",
  ONE_VIEWER_FUNDING: "One viewer funding one creator",
  YOUNG_GIFTS_WITHDRAWAL: "Withdrawal after gifts from new accounts",
};

/** One sentence with the figures that raised the flag. */
export function describeEvidence(rule: FraudRule, e: Evidence): string {
  switch (rule) {
    case "NEW_ACCOUNT_BURST":
      return `Account ${e.accountAgeHours} h old recharged ${formatCoins(big(e, "rechargedCoins"))} coins and gifted ${formatCoins(big(e, "giftedCoins"))} coins within ${e.windowHours} h.`;
    case "MANY_CARDS":
      return `${e.distinctCards} different cards used within ${e.windowHours} h.`;
    case "REPEATED_DECLINES":
      return `${e.declines} declined payments within ${e.windowHours} h.`;
    case "ONE_VIEWER_FUNDING":
      return `Gave 💎 ${formatDiamonds(big(e, "fromViewerDiamonds"))} of one creator's 💎 ${formatDiamonds(big(e, "creatorTotalDiamonds"))} in ${e.windowDays} days (${e.sharePercent} %).`;
    case "YOUNG_GIFTS_WITHDRAWAL":
      return `Withdrawal of 💎 ${formatDiamonds(big(e, "withdrawnDiamonds"))}, of which 💎 ${formatDiamonds(big(e, "fromYoungAccountsDiamonds"))} (${e.sharePercent} %) came from accounts under 7 days old in the ${e.windowHours} h before.`;
  }
}
