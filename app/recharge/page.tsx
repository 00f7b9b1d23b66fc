import type { Metadata } from "next";
import { randomUUID } from "node:crypto";
import { RechargeForm } from "@/components/recharge/RechargeForm";
import { budgetStatus, DEFAULT_DAILY_COIN_CAP, formatCoins } from "@/lib/economy";
import { requireUser } from "@/lib/auth/session";
import { safeReturnPath } from "@/lib/http/return-path";
import { getLedger } from "@/lib/ledger";
import { getRechargeTotals } from "@/lib/payments/intents";

export const metadata: Metadata = { title: "Recharge coins" };

export default async function RechargePage({ searchParams }: { searchParams: Promise<{ returnTo?: string }> }) {
  const user = await requireUser("/recharge");
  const returnTo = safeReturnPath((await searchParams).returnTo, "");
  const totals = await getRechargeTotals(getLedger().pool, user.id);
  const budget = budgetStatus({ purchasedThisMonthCoins: totals.purchasedThisMonthCoins, monthlyBudgetCoins: totals.monthlyBudgetCoins });
  return (
    <div className="mx-auto flex max-w-3xl flex-col gap-4">
      <h1 className="text-2xl font-extrabold">Recharge coins</h1>
      {totals.successfulPurchases === 0 && user.isAdult ? (
        <p className="rounded-xl bg-green-50 px-4 py-3 text-sm font-medium text-green-900">
          First recharge bonus: +10% coins on your first purchase, credited separately and shown on your receipt.
        </p>
      ) : null}
      {budget ? (
        <p
          className={`rounded-xl px-4 py-3 text-sm font-medium ${budget.warning ? "bg-amber-100 text-amber-950" : "bg-white text-ink"}`}
          data-testid="budget-status"
        >
          Monthly budget: {formatCoins(totals.purchasedThisMonthCoins)} of {formatCoins(totals.monthlyBudgetCoins!)} coins used ({String(budget.usedPercent)}%).
          {budget.warning ? " You are close to your limit." : ""}
        </p>
      ) : null}
      <p className="text-sm text-muted">
        Daily limit for everyone: {formatCoins(DEFAULT_DAILY_COIN_CAP)} coins ({formatCoins(totals.purchasedTodayCoins)} bought today).
      </p>
      <RechargeForm
        clientKey={randomUUID()}
        returnTo={returnTo || undefined}
        disabled={user.isAdult ? undefined : "You must be 18 or older to buy coins. Your account can still watch live streams."}
      />
    </div>
  );
}
