/**
 * Treasure box rules: a viewer (or the creator) drops N coins in a LIVE for up
 * to K winners with a countdown; viewers join while it runs; when it ends up to
 * K entrants share exactly N coins at random (decision 020). Pure: limits,
 * validation and what a person is told. The seeded draw is in
 * ./treasure-draw.ts (it hashes with node:crypto, so it stays off the client).
 */
import { formatCoins } from "./money";
import { type EconomyResult, fail, succeed } from "./result";

export const TREASURE_RULES = {
  minCoins: 100n,
  maxCoins: 100_000n,
  minSlots: 1,
  maxSlots: 100,
  /** Countdown bounds in seconds (TREASURE_MIN_SECONDS may lower the minimum to 5, for tests and demos). */
  minSeconds: 60,
  maxSeconds: 300,
  /** The lowest a configured minimum may go. */
  floorSeconds: 5,
  /** Per dropper and UTC day: coins dropped, and boxes dropped. */
  dailyCoins: 200_000n,
  dailyBoxes: 20,
} as const;

export const TREASURE_STATUSES = ["OPEN", "OPENED", "RETURNED"] as const;
export type TreasureStatus = (typeof TREASURE_STATUSES)[number];

export type TreasureRefusal =
  "COINS_OUT_OF_RANGE" | "SLOTS_OUT_OF_RANGE" | "COUNTDOWN_OUT_OF_RANGE" | "DAILY_COINS_EXCEEDED" | "DAILY_BOXES_EXCEEDED" | "BUDGET_EXCEEDED";

export interface TreasureDropInput {
  readonly coins: bigint;
  readonly slots: number;
  readonly seconds: number;
}

/** Checks a drop's figures; `minSeconds` is the configured shortest countdown. */
export function validateTreasureDrop(
  input: TreasureDropInput,
  minSeconds: number = TREASURE_RULES.minSeconds,
): EconomyResult<TreasureDropInput, "COINS_OUT_OF_RANGE" | "SLOTS_OUT_OF_RANGE" | "COUNTDOWN_OUT_OF_RANGE"> {
  const { coins, slots, seconds } = input;
  if (coins < TREASURE_RULES.minCoins || coins > TREASURE_RULES.maxCoins) {
    return fail("COINS_OUT_OF_RANGE", `A treasure box holds from ${formatCoins(TREASURE_RULES.minCoins)} to ${formatCoins(TREASURE_RULES.maxCoins)} coins.`);
  }
  if (!Number.isInteger(slots) || slots < TREASURE_RULES.minSlots || slots > TREASURE_RULES.maxSlots) {
    return fail("SLOTS_OUT_OF_RANGE", `Choose from ${TREASURE_RULES.minSlots} to ${TREASURE_RULES.maxSlots} winners.`);
  }
  if (!Number.isInteger(seconds) || seconds < minSeconds || seconds > TREASURE_RULES.maxSeconds) {
    return fail("COUNTDOWN_OUT_OF_RANGE", `The countdown runs from ${describeSeconds(minSeconds)} to ${describeSeconds(TREASURE_RULES.maxSeconds)}.`);
  }
  return succeed(input);
}

/** Input of {@link checkTreasureLimits}: what the dropper already dropped. */
export interface TreasureLimitInput {
  readonly coins: bigint;
  /** Coins and boxes dropped since 00:00 UTC today. */
  readonly droppedTodayCoins: bigint;
  readonly droppedTodayBoxes: number;
  /** Coins dropped this calendar month (UTC). */
  readonly droppedThisMonthCoins: bigint;
  /** The dropper's own monthly budget (coins), or null when they set none. */
  readonly monthlyBudgetCoins: bigint | null;
}

/**
 * The daily limits (coins and boxes per UTC day) and the dropper's own monthly
 * budget, which treasure boxes count against: coins given away this month may
 * not exceed it. Reaching a limit exactly is allowed.
 */
export function checkTreasureLimits(input: TreasureLimitInput): EconomyResult<null, "DAILY_COINS_EXCEEDED" | "DAILY_BOXES_EXCEEDED" | "BUDGET_EXCEEDED"> {
  if (input.droppedTodayBoxes + 1 > TREASURE_RULES.dailyBoxes) {
    return fail("DAILY_BOXES_EXCEEDED", `You can drop at most ${TREASURE_RULES.dailyBoxes} treasure boxes a day. Come back tomorrow.`);
  }
  if (input.droppedTodayCoins + input.coins > TREASURE_RULES.dailyCoins) {
    return fail(
      "DAILY_COINS_EXCEEDED",
      `This box would take you past the daily limit of ${formatCoins(TREASURE_RULES.dailyCoins)} coins in treasure boxes ` +
        `(you have dropped ${formatCoins(input.droppedTodayCoins)} today).`,
    );
  }
  if (input.monthlyBudgetCoins !== null && input.droppedThisMonthCoins + input.coins > input.monthlyBudgetCoins) {
    return fail(
      "BUDGET_EXCEEDED",
      `This box would exceed your monthly budget of ${formatCoins(input.monthlyBudgetCoins)} coins ` +
        `(${formatCoins(input.droppedThisMonthCoins)} dropped in treasure boxes this month). Change your budget on the wallet page to continue.`,
    );
  }
  return succeed(null);
}

/** "1 min", "2 min 30 s", "45 s". */
export function describeSeconds(seconds: number): string {
  const s = Math.max(0, Math.trunc(seconds));
  const min = Math.floor(s / 60);
  const rest = s % 60;
  if (!min) return `${rest} s`;
  return rest ? `${min} min ${rest} s` : `${min} min`;
}

/** The countdown choices a drop form offers, from the configured minimum to 5 min. */
export function treasureCountdownChoices(minSeconds: number = TREASURE_RULES.minSeconds): number[] {
  const choices = [60, 120, 180, 240, 300].filter((s) => s >= minSeconds);
  return minSeconds < 60 ? [minSeconds, ...choices] : choices;
}
