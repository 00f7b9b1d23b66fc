import fc from "fast-check";
import { describe, expect, test } from "vitest";
import {
  BUDGET_WARNING_SHARE,
  DEFAULT_DAILY_COIN_CAP,
  MAX_MONTHLY_BUDGET,
  budgetStatus,
  checkRecharge,
  rationalEquals,
  rational,
  validateMonthlyBudget,
  type RechargeCheckInput,
} from "../../../lib/economy";

const BASE: RechargeCheckInput = {
  coins: 700n,
  purchasedTodayCoins: 0n,
  purchasedThisMonthCoins: 0n,
  monthlyBudgetCoins: null,
};

describe("limit constants", () => {
  test("daily cap, warning share and maximum budget", () => {
    expect(DEFAULT_DAILY_COIN_CAP).toBe(50_000n);
    expect(rationalEquals(BUDGET_WARNING_SHARE, rational(80n, 100n))).toBe(true);
    expect(MAX_MONTHLY_BUDGET).toBe(10_000_000n);
  });
});

describe("checkRecharge", () => {
  test("refuses a recharge past the daily cap with a specific message", () => {
    expect(checkRecharge({ ...BASE, coins: 3500n, purchasedTodayCoins: 48_000n, purchasedThisMonthCoins: 48_000n })).toEqual({
      ok: false,
      code: "DAILY_CAP_EXCEEDED",
      message:
        "This recharge would take you past the daily limit of 50,000 coins (you have bought 48,000 today). " + "Try a smaller package or come back tomorrow.",
    });
  });

  test("refuses a recharge past the monthly budget with a specific message", () => {
    expect(checkRecharge({ ...BASE, coins: 1400n, purchasedThisMonthCoins: 4000n, monthlyBudgetCoins: 5000n })).toEqual({
      ok: false,
      code: "BUDGET_EXCEEDED",
      message:
        "This recharge would exceed your monthly budget of 5,000 coins (4,000 bought this month). " + "Change your budget on the wallet page to continue.",
    });
  });

  test("warns when the month reaches 80 % of the budget", () => {
    expect(checkRecharge({ ...BASE, coins: 500n, purchasedThisMonthCoins: 4000n, monthlyBudgetCoins: 5000n })).toEqual({
      ok: true,
      value: { budgetWarning: "After this recharge you will have used 90% of your monthly budget of 5,000 coins." },
    });
  });

  test.each<[string, Partial<RechargeCheckInput>, string | null | "DAILY_CAP_EXCEEDED" | "BUDGET_EXCEEDED"]>([
    ["no budget, nothing bought", {}, null],
    ["no budget, exactly reaching the cap", { coins: 2000n, purchasedTodayCoins: 48_000n }, null],
    ["one coin past the cap", { coins: 2001n, purchasedTodayCoins: 48_000n }, "DAILY_CAP_EXCEEDED"],
    ["a single recharge above the cap", { coins: 50_001n }, "DAILY_CAP_EXCEEDED"],
    ["a custom lower cap", { coins: 700n, purchasedTodayCoins: 400n, dailyCapCoins: 1000n }, "DAILY_CAP_EXCEEDED"],
    ["a custom higher cap", { coins: 17_500n, purchasedTodayCoins: 40_000n, dailyCapCoins: 100_000n }, null],
    ["a zero cap", { coins: 1n, dailyCapCoins: 0n }, "DAILY_CAP_EXCEEDED"],
    ["below 80 % of the budget", { coins: 700n, purchasedThisMonthCoins: 3299n, monthlyBudgetCoins: 5000n }, null],
    [
      "exactly 80 % of the budget",
      { coins: 700n, purchasedThisMonthCoins: 3300n, monthlyBudgetCoins: 5000n },
      "After this recharge you will have used 80% of your monthly budget of 5,000 coins.",
    ],
    [
      "percent is floored (99.98 %)",
      { coins: 1n, purchasedThisMonthCoins: 4998n, monthlyBudgetCoins: 5000n },
      "After this recharge you will have used 99% of your monthly budget of 5,000 coins.",
    ],
    [
      "exactly the budget",
      { coins: 1000n, purchasedThisMonthCoins: 4000n, monthlyBudgetCoins: 5000n },
      "After this recharge you will have used 100% of your monthly budget of 5,000 coins.",
    ],
    ["one coin over the budget", { coins: 1001n, purchasedThisMonthCoins: 4000n, monthlyBudgetCoins: 5000n }, "BUDGET_EXCEEDED"],
    [
      "the daily cap is checked before the budget",
      { coins: 3500n, purchasedTodayCoins: 48_000n, purchasedThisMonthCoins: 48_000n, monthlyBudgetCoins: 49_000n },
      "DAILY_CAP_EXCEEDED",
    ],
    [
      "the budget applies across days",
      { coins: 700n, purchasedTodayCoins: 0n, purchasedThisMonthCoins: 1_000_000n, monthlyBudgetCoins: 1_000_000n },
      "BUDGET_EXCEEDED",
    ],
    [
      "a large budget is formatted with grouping",
      { coins: 17_500n, purchasedThisMonthCoins: 8_000_000n, monthlyBudgetCoins: MAX_MONTHLY_BUDGET },
      "After this recharge you will have used 80% of your monthly budget of 10,000,000 coins.",
    ],
  ])("%s", (_label, overrides, expected) => {
    const result = checkRecharge({ ...BASE, ...overrides });
    if (expected === "DAILY_CAP_EXCEEDED" || expected === "BUDGET_EXCEEDED") {
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.code).toBe(expected);
    } else {
      expect(result).toEqual({ ok: true, value: { budgetWarning: expected } });
    }
  });

  test.each<[string, Partial<RechargeCheckInput>]>([
    ["zero coins", { coins: 0n }],
    ["negative coins", { coins: -1n }],
    ["negative bought today", { purchasedTodayCoins: -1n }],
    ["negative bought this month", { purchasedThisMonthCoins: -1n }],
    ["a zero budget", { monthlyBudgetCoins: 0n }],
    ["a negative cap", { dailyCapCoins: -1n }],
  ])("throws RangeError for %s", (_label, overrides) => {
    expect(() => checkRecharge({ ...BASE, ...overrides })).toThrow(RangeError);
  });

  const amount = fc.bigInt({ min: 0n, max: 200_000n });
  const rechargeInput = fc.record({
    coins: fc.bigInt({ min: 1n, max: 100_000n }),
    purchasedTodayCoins: amount,
    purchasedThisMonthCoins: amount,
    monthlyBudgetCoins: fc.option(fc.bigInt({ min: 1n, max: 200_000n })),
    dailyCapCoins: fc.option(fc.bigInt({ min: 0n, max: 200_000n }), { nil: undefined }),
  });

  test("property: never accepts a recharge above the daily cap or the budget", () => {
    fc.assert(
      fc.property(rechargeInput, (input) => {
        const result = checkRecharge(input);
        const cap = input.dailyCapCoins ?? DEFAULT_DAILY_COIN_CAP;
        const overCap = input.purchasedTodayCoins + input.coins > cap;
        const overBudget = input.monthlyBudgetCoins !== null && input.purchasedThisMonthCoins + input.coins > input.monthlyBudgetCoins;
        expect(result.ok).toBe(!overCap && !overBudget);
        if (!result.ok) expect(result.code).toBe(overCap ? "DAILY_CAP_EXCEEDED" : "BUDGET_EXCEEDED");
      }),
    );
  });

  test("property: an accepted recharge warns exactly when the month reaches 80 % of the budget", () => {
    fc.assert(
      fc.property(rechargeInput, (input) => {
        const result = checkRecharge(input);
        if (!result.ok) return;
        const budget = input.monthlyBudgetCoins;
        const shouldWarn = budget !== null && (input.purchasedThisMonthCoins + input.coins) * 5n >= budget * 4n;
        expect(result.value.budgetWarning !== null).toBe(shouldWarn);
      }),
    );
  });
});

describe("budgetStatus", () => {
  test.each([
    [0n, 5000n, { usedPercent: 0n, warning: false, remaining: 5000n }],
    [3999n, 5000n, { usedPercent: 79n, warning: false, remaining: 1001n }],
    [4000n, 5000n, { usedPercent: 80n, warning: true, remaining: 1000n }],
    [4999n, 5000n, { usedPercent: 99n, warning: true, remaining: 1n }],
    [5000n, 5000n, { usedPercent: 100n, warning: true, remaining: 0n }],
    [7500n, 5000n, { usedPercent: 150n, warning: true, remaining: 0n }],
    [1n, 3n, { usedPercent: 33n, warning: false, remaining: 2n }],
    [2n, 3n, { usedPercent: 66n, warning: false, remaining: 1n }],
  ])("%s of %s coins", (purchasedThisMonthCoins, monthlyBudgetCoins, expected) => {
    expect(budgetStatus({ purchasedThisMonthCoins, monthlyBudgetCoins })).toEqual(expected);
  });

  test("is null without a budget", () => {
    expect(budgetStatus({ purchasedThisMonthCoins: 1234n, monthlyBudgetCoins: null })).toBeNull();
  });

  test("throws for a non-positive budget or negative purchases", () => {
    expect(() => budgetStatus({ purchasedThisMonthCoins: 0n, monthlyBudgetCoins: 0n })).toThrow(RangeError);
    expect(() => budgetStatus({ purchasedThisMonthCoins: -1n, monthlyBudgetCoins: 10n })).toThrow(RangeError);
  });

  test("property: usedPercent is the floor and remaining + used covers the budget", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 20_000_000n }), fc.bigInt({ min: 1n, max: MAX_MONTHLY_BUDGET }), (used, budget) => {
        const status = budgetStatus({ purchasedThisMonthCoins: used, monthlyBudgetCoins: budget })!;
        expect(status.usedPercent * budget <= used * 100n).toBe(true);
        expect((status.usedPercent + 1n) * budget > used * 100n).toBe(true);
        expect(status.remaining).toBe(used >= budget ? 0n : budget - used);
        expect(status.warning).toBe(used * 5n >= budget * 4n);
      }),
    );
  });
});

describe("validateMonthlyBudget", () => {
  test.each([
    ["", null],
    ["   ", null],
    ["1", 1n],
    ["5000", 5000n],
    [" 5000 ", 5000n],
    ["5,000", 5000n],
    ["10,000,000", 10_000_000n],
    ["10000000", MAX_MONTHLY_BUDGET],
    ["007", 7n],
  ])("accepts %j → %s", (input, expected) => {
    expect(validateMonthlyBudget(input)).toEqual({ ok: true, value: expected });
  });

  test.each([
    ["0", "BUDGET_OUT_OF_RANGE"],
    ["-5", "BUDGET_OUT_OF_RANGE"],
    ["10000001", "BUDGET_OUT_OF_RANGE"],
    ["99999999999999999999999", "BUDGET_OUT_OF_RANGE"],
    ["12.5", "NOT_AN_INTEGER"],
    ["1e3", "NOT_AN_INTEGER"],
    ["five", "NOT_AN_INTEGER"],
    ["50,00", "NOT_AN_INTEGER"],
    ["5 000", "NOT_AN_INTEGER"],
    ["+5", "NOT_AN_INTEGER"],
  ])("rejects %j with %s", (input, code) => {
    const result = validateMonthlyBudget(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.code).toBe(code);
  });

  test("messages are customer-facing", () => {
    expect(validateMonthlyBudget("0")).toEqual({
      ok: false,
      code: "BUDGET_OUT_OF_RANGE",
      message: "Your monthly budget must be between 1 and 10,000,000 coins.",
    });
    expect(validateMonthlyBudget("abc")).toEqual({
      ok: false,
      code: "NOT_AN_INTEGER",
      message: "Enter your monthly budget as a whole number of coins, or leave it empty for no budget.",
    });
  });

  test("property: every budget in range round-trips through its decimal text", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: MAX_MONTHLY_BUDGET }), (budget) => {
        expect(validateMonthlyBudget(budget.toString())).toEqual({ ok: true, value: budget });
      }),
    );
  });
});
