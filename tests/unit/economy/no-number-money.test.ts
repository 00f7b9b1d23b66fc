import { describe, expect, test } from "vitest";
import * as economy from "../../../lib/economy";

/** Keys whose values are legitimately JS numbers: they are counts of digits/seconds, not money. */
const NUMBER_KEYS_ALLOWED = new Set(["USD", "EUR", "GBP", "JPY", "IDR", "reviewDelaySeconds"]);
/** Fraud rule parameters that are durations (milliseconds) or counts of cards and declines, not money. */
const FRAUD_NUMBER_KEYS = ["maxAccountAgeMs", "windowMs", "minDistinctCards", "minDeclines", "maxSenderAgeMs"];
for (const key of FRAUD_NUMBER_KEYS) NUMBER_KEYS_ALLOWED.add(key);
/** LIVE Match rules: seconds and a count of gifters, not money (points are bigint coins). */
const MATCH_NUMBER_KEYS = ["durationSeconds", "inviteSeconds", "finalSeconds", "topGifters", "minDurationSeconds", "maxDurationSeconds"];
for (const key of MATCH_NUMBER_KEYS) NUMBER_KEYS_ALLOWED.add(key);
/** A length of text in characters. */
NUMBER_KEYS_ALLOWED.add("WITHDRAWAL_REJECTION_REASON_MAX");
/** Gifter and fan levels are counts; fan club rules are days, minutes, messages and name lengths (fan points from gifts are bigint). */
const LEVEL_AND_FAN_KEYS = [
  "MAX_GIFTER_LEVEL",
  "MAX_FAN_LEVEL",
  "FAN_CLUB_LAPSE_DAYS",
  "lapseDays",
  "warnDays",
  "watchMinutesPerDay",
  "chatPointsPerDay",
  "nameMinLength",
  "nameMaxLength",
  "minLapseDays",
  "maxLapseDays",
];
for (const key of LEVEL_AND_FAN_KEYS) NUMBER_KEYS_ALLOWED.add(key);
/** Treasure box rules: winner slots, seconds and a count of boxes, not money (coins are bigint). */
const TREASURE_NUMBER_KEYS = ["minSlots", "maxSlots", "minSeconds", "maxSeconds", "floorSeconds", "dailyBoxes"];
for (const key of TREASURE_NUMBER_KEYS) NUMBER_KEYS_ALLOWED.add(key);

function collectNumberPaths(value: unknown, path: string, seen: Set<unknown>, out: string[]): void {
  if (typeof value === "number") {
    out.push(path);
    return;
  }
  if (value === null || typeof value !== "object" || seen.has(value)) return;
  seen.add(value);
  for (const [key, child] of Object.entries(value)) collectNumberPaths(child, `${path}.${key}`, seen, out);
}

describe("money values are never JS numbers", () => {
  test("exported constants hold only bigints for money (numbers only for digit counts and seconds)", () => {
    const paths: string[] = [];
    for (const [name, value] of Object.entries(economy)) {
      if (typeof value !== "function") collectNumberPaths(value, name, new Set(), paths);
    }
    expect(paths.sort()).toEqual([
      "CURRENCY_MINOR_DIGITS.EUR",
      "CURRENCY_MINOR_DIGITS.GBP",
      "CURRENCY_MINOR_DIGITS.IDR",
      "CURRENCY_MINOR_DIGITS.JPY",
      "CURRENCY_MINOR_DIGITS.USD",
      "DEFAULT_FRAUD_PARAMS.manyCards.minDistinctCards",
      "DEFAULT_FRAUD_PARAMS.manyCards.windowMs",
      "DEFAULT_FRAUD_PARAMS.newAccountBurst.maxAccountAgeMs",
      "DEFAULT_FRAUD_PARAMS.newAccountBurst.windowMs",
      "DEFAULT_FRAUD_PARAMS.oneViewerFunding.windowMs",
      "DEFAULT_FRAUD_PARAMS.repeatedDeclines.minDeclines",
      "DEFAULT_FRAUD_PARAMS.repeatedDeclines.windowMs",
      "DEFAULT_FRAUD_PARAMS.youngGiftsWithdrawal.maxSenderAgeMs",
      "DEFAULT_FRAUD_PARAMS.youngGiftsWithdrawal.windowMs",
      "DEFAULT_WITHDRAWAL_RULES.reviewDelaySeconds",
      "FAN_CLUB_LAPSE_DAYS",
      "FAN_CLUB_RULES.chatPointsPerDay",
      "FAN_CLUB_RULES.lapseDays",
      "FAN_CLUB_RULES.maxLapseDays",
      "FAN_CLUB_RULES.minLapseDays",
      "FAN_CLUB_RULES.nameMaxLength",
      "FAN_CLUB_RULES.nameMinLength",
      "FAN_CLUB_RULES.warnDays",
      "FAN_CLUB_RULES.watchMinutesPerDay",
      "MATCH_RULES.durationSeconds",
      "MATCH_RULES.finalSeconds",
      "MATCH_RULES.inviteSeconds",
      "MATCH_RULES.maxDurationSeconds",
      "MATCH_RULES.minDurationSeconds",
      "MATCH_RULES.topGifters",
      "MAX_FAN_LEVEL",
      "MAX_GIFTER_LEVEL",
      "TREASURE_RULES.dailyBoxes",
      "TREASURE_RULES.floorSeconds",
      "TREASURE_RULES.maxSeconds",
      "TREASURE_RULES.maxSlots",
      "TREASURE_RULES.minSeconds",
      "TREASURE_RULES.minSlots",
      "WITHDRAWAL_REJECTION_REASON_MAX",
    ]);
    for (const path of paths) expect(NUMBER_KEYS_ALLOWED.has(path.split(".").pop()!)).toBe(true);
  });

  test("every package quote on every platform and currency is bigint money with a bigint rational", () => {
    let quotes = 0;
    for (const currency of economy.CURRENCIES) {
      for (const platform of economy.PLATFORMS) {
        for (const quote of economy.listPackages(platform, currency)) {
          quotes++;
          expect(typeof quote.coins).toBe("bigint");
          expect(typeof quote.price).toBe("bigint");
          expect(typeof quote.pricePerCoin.num).toBe("bigint");
          expect(typeof quote.pricePerCoin.den).toBe("bigint");
        }
      }
      for (const price of Object.values(economy.IOS_PRICE_TABLES[currency])) expect(typeof price).toBe("bigint");
    }
    expect(quotes).toBe(economy.CURRENCIES.length * economy.PLATFORMS.length * economy.PACKAGE_IDS.length);
  });

  test("results of conversions, custom prices and withdrawals contain no numbers except reviewDelaySeconds", () => {
    const results = [
      economy.convertCoinsToDiamonds(34999n),
      economy.convertDiamondsToCash(12345n),
      economy.priceCustomAmount(30n, "USD"),
      economy.quoteWithdrawal({ diamondsMinor: 2_000_000n, method: "paypal" }),
      economy.mulFloor(10n, economy.rational(1n, 3n)),
    ];
    const paths: string[] = [];
    results.forEach((result, index) => collectNumberPaths(result, `result${index}`, new Set(), paths));
    expect(paths).toEqual(["result3.value.reviewDelaySeconds"]);
  });
});
