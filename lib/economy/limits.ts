/**
 * Spending guards for coin recharges, expressed in coins so they are currency-neutral:
 * a daily cap that applies to everyone and an optional monthly budget set by the user,
 * with a warning once a recharge takes the month past {@link BUDGET_WARNING_SHARE} of it.
 *
 * Pure: the caller supplies the amounts already bought today and this month.
 */
import { type Rational, floorDiv, formatCoins, rational } from "./money";
import { type EconomyResult, fail, succeed } from "./result";

/** Most coins anyone can buy in one day. */
export const DEFAULT_DAILY_COIN_CAP = 50_000n;

/** Share of the monthly budget from which recharges come with a warning (4/5 = 80 %). */
export const BUDGET_WARNING_SHARE: Rational = rational(4n, 5n);

/** Largest monthly budget a user can set, in coins. */
export const MAX_MONTHLY_BUDGET = 10_000_000n;

/** Input of {@link checkRecharge}. All amounts are coins. */
export type RechargeCheckInput = {
  /** Coins in the recharge being attempted (> 0). */
  readonly coins: bigint;
  /** Coins already bought today (≥ 0). */
  readonly purchasedTodayCoins: bigint;
  /** Coins already bought this calendar month (≥ 0). */
  readonly purchasedThisMonthCoins: bigint;
  /** The user's monthly budget (> 0), or `null` when they have none. */
  readonly monthlyBudgetCoins: bigint | null;
  /** Daily cap (≥ 0); defaults to {@link DEFAULT_DAILY_COIN_CAP}. */
  readonly dailyCapCoins?: bigint;
};

/** Why a recharge was refused. */
export type RechargeLimitCode = "DAILY_CAP_EXCEEDED" | "BUDGET_EXCEEDED";

/** An allowed recharge, with a budget warning to show when the month is getting close to the budget. */
export type RechargeAllowance = { readonly budgetWarning: string | null };

function assertNonNegative(name: string, value: bigint): void {
  if (value < 0n) throw new RangeError(`${name} must not be negative, got ${value}`);
}

function assertBudget(budget: bigint | null): void {
  if (budget !== null && budget <= 0n) throw new RangeError(`monthlyBudgetCoins must be positive, got ${budget}`);
}

/** Floor of `used / budget` in percent. */
function percentOf(used: bigint, budget: bigint): bigint {
  return floorDiv(used * 100n, budget);
}

/** True when `used` is at least {@link BUDGET_WARNING_SHARE} of `budget` (exact comparison). */
function reachesWarningShare(used: bigint, budget: bigint): boolean {
  return used * BUDGET_WARNING_SHARE.den >= budget * BUDGET_WARNING_SHARE.num;
}

/**
 * Decides whether a recharge may go ahead.
 *
 * Refuses with `DAILY_CAP_EXCEEDED` when today's coins plus this recharge exceed the daily cap,
 * then with `BUDGET_EXCEEDED` when this month's coins plus this recharge exceed the monthly budget.
 * Otherwise succeeds, with a warning when the month (including this recharge) reaches
 * {@link BUDGET_WARNING_SHARE} of the budget. Reaching a limit exactly is allowed.
 * Throws `RangeError` for non-positive `coins` or budget, or negative totals/cap.
 */
export function checkRecharge(input: RechargeCheckInput): EconomyResult<RechargeAllowance, RechargeLimitCode> {
  const { coins, purchasedTodayCoins, purchasedThisMonthCoins, monthlyBudgetCoins } = input;
  const dailyCapCoins = input.dailyCapCoins ?? DEFAULT_DAILY_COIN_CAP;
  if (coins <= 0n) throw new RangeError(`coins must be positive, got ${coins}`);
  assertNonNegative("purchasedTodayCoins", purchasedTodayCoins);
  assertNonNegative("purchasedThisMonthCoins", purchasedThisMonthCoins);
  assertNonNegative("dailyCapCoins", dailyCapCoins);
  assertBudget(monthlyBudgetCoins);

  if (purchasedTodayCoins + coins > dailyCapCoins) {
    return fail(
      "DAILY_CAP_EXCEEDED",
      `This recharge would take you past the daily limit of ${formatCoins(dailyCapCoins)} coins ` +
        `(you have bought ${formatCoins(purchasedTodayCoins)} today). ` +
        "Try a smaller package or come back tomorrow.",
    );
  }

  if (monthlyBudgetCoins === null) return succeed({ budgetWarning: null });

  const monthAfter = purchasedThisMonthCoins + coins;
  if (monthAfter > monthlyBudgetCoins) {
    return fail(
      "BUDGET_EXCEEDED",
      `This recharge would exceed your monthly budget of ${formatCoins(monthlyBudgetCoins)} coins ` +
        `(${formatCoins(purchasedThisMonthCoins)} bought this month). ` +
        "Change your budget on the wallet page to continue.",
    );
  }

  const budgetWarning = reachesWarningShare(monthAfter, monthlyBudgetCoins)
    ? `After this recharge you will have used ${percentOf(monthAfter, monthlyBudgetCoins)}% ` +
      `of your monthly budget of ${formatCoins(monthlyBudgetCoins)} coins.`
    : null;
  return succeed({ budgetWarning });
}

/** Input of {@link budgetStatus}. */
export type BudgetStatusInput = {
  readonly purchasedThisMonthCoins: bigint;
  readonly monthlyBudgetCoins: bigint | null;
};

/** How much of the monthly budget is used. `usedPercent` is floored and can exceed 100 if the budget was lowered. */
export type BudgetStatus = {
  readonly usedPercent: bigint;
  readonly warning: boolean;
  readonly remaining: bigint;
};

/** The month's budget usage for the wallet page, or `null` when the user has no budget. */
export function budgetStatus(input: BudgetStatusInput): BudgetStatus | null {
  const { purchasedThisMonthCoins, monthlyBudgetCoins } = input;
  assertNonNegative("purchasedThisMonthCoins", purchasedThisMonthCoins);
  assertBudget(monthlyBudgetCoins);
  if (monthlyBudgetCoins === null) return null;
  const remaining = monthlyBudgetCoins - purchasedThisMonthCoins;
  return {
    usedPercent: percentOf(purchasedThisMonthCoins, monthlyBudgetCoins),
    warning: reachesWarningShare(purchasedThisMonthCoins, monthlyBudgetCoins),
    remaining: remaining > 0n ? remaining : 0n,
  };
}

/** Error codes of {@link validateMonthlyBudget}. */
export type MonthlyBudgetErrorCode = "NOT_AN_INTEGER" | "BUDGET_OUT_OF_RANGE";

/**
 * Parses the wallet page's monthly-budget field. Blank means "no budget" (`null`);
 * otherwise a whole number of coins from 1 to {@link MAX_MONTHLY_BUDGET}
 * (thousands separators such as "5,000" are accepted).
 */
export function validateMonthlyBudget(input: string): EconomyResult<bigint | null, MonthlyBudgetErrorCode> {
  const text = input.trim();
  if (text === "") return succeed(null);
  const match = /^(-?)(\d+|\d{1,3}(?:,\d{3})+)$/.exec(text);
  if (!match) {
    return fail("NOT_AN_INTEGER", "Enter your monthly budget as a whole number of coins, or leave it empty for no budget.");
  }
  const magnitude = BigInt((match[2] ?? "").replaceAll(",", ""));
  const value = match[1] === "-" ? -magnitude : magnitude;
  if (value < 1n || value > MAX_MONTHLY_BUDGET) {
    return fail("BUDGET_OUT_OF_RANGE", `Your monthly budget must be between 1 and ${formatCoins(MAX_MONTHLY_BUDGET)} coins.`);
  }
  return succeed(value);
}
