import "server-only";
import { validateMonthlyBudget } from "../economy";
import { getLedger } from "../ledger";
import { checkedText } from "../validation/input";

/** The wallet's monthly-budget field: blank for none, else a whole number of coins in range. */
export const ZMonthlyBudget = checkedText(validateMonthlyBudget);

export async function setMonthlyBudget(userId: string, coins: bigint | null): Promise<void> {
  await getLedger().pool.query(
    `INSERT INTO spending_limits (user_id, monthly_budget_coins) VALUES ($1, $2)
     ON CONFLICT (user_id) DO UPDATE SET monthly_budget_coins = EXCLUDED.monthly_budget_coins, updated_at = now()`,
    [userId, coins],
  );
}
