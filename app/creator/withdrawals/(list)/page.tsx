import type { Metadata } from "next";
import Link from "next/link";
import { randomUUID } from "node:crypto";
import { notFound } from "next/navigation";
import { CreatorTabs } from "@/components/creator/EarningsTables";
import { WithdrawForm } from "@/components/creator/WithdrawForm";
import { WithdrawalBadge } from "@/components/creator/WithdrawalBadge";
import { diamondPrice, formatUtc } from "@/components/creator/format";
import { convertDiamondsToCash, formatDiamonds, formatMoney } from "@/lib/economy";
import { requireCreatorArea } from "@/lib/auth/creator";
import { getCreatorWithdrawals, withdrawalRules } from "@/lib/withdrawals/withdrawals";

export const metadata: Metadata = { title: "Withdrawals" };

export default async function WithdrawalsPage() {
  const user = await requireCreatorArea("/creator/withdrawals");
  // Operators review everyone's withdrawals on their own page.
  if (user.role !== "CREATOR") notFound();
  // Reads only: due withdrawals are paid by the settler (instrumentation.ts).
  const { balanceMinor: balance, items, withdrawnTodayCents: today } = await getCreatorWithdrawals(user.id);
  const rules = withdrawalRules();
  return (
    <div className="flex flex-col gap-5">
      <h1 className="text-2xl font-extrabold">Withdrawals</h1>
      <CreatorTabs current="withdrawals" />
      <section className="rounded-3xl bg-gradient-to-br from-cyan-200 to-cyan-400 p-6 text-cyan-950 shadow" aria-labelledby="available-heading">
        <h2 id="available-heading" className="text-sm font-bold tracking-wider uppercase">
          Available to withdraw
        </h2>
        <p className="text-4xl font-extrabold tabular-nums" data-testid="withdraw-balance">
          💎 {formatDiamonds(balance)}
        </p>
        <p className="mt-1 text-sm font-medium">
          Worth {formatMoney(convertDiamondsToCash(balance).cents, "USD")} at {diamondPrice()} per diamond. Withdrawn today: {formatMoney(today, "USD")} of{" "}
          {formatMoney(rules.dailyLimitCents, "USD")}.
        </p>
      </section>
      <section className="rounded-2xl bg-white p-5 shadow-sm" aria-labelledby="new-heading">
        <h2 id="new-heading" className="mb-3 text-lg font-bold">
          New withdrawal
        </h2>
        {balance === 0n ? (
          <p className="text-muted">
            You have no diamonds yet. Diamonds come from gifts during your LIVE; see{" "}
            <Link href="/creator/earnings" className="font-semibold text-brand-dark underline">
              your earnings
            </Link>
            .
          </p>
        ) : (
          <WithdrawForm
            balanceMinor={String(balance)}
            withdrawnTodayCents={String(today)}
            reviewDelaySeconds={rules.reviewDelaySeconds}
            clientKey={randomUUID()}
          />
        )}
      </section>
      <section className="flex flex-col gap-3" aria-labelledby="history-heading">
        <h2 id="history-heading" className="text-lg font-bold">
          History
        </h2>
        {items.length === 0 ? (
          <p className="text-sm text-muted">No withdrawals yet.</p>
        ) : (
          <ul className="flex flex-col gap-2" data-testid="withdrawal-history">
            {items.map((w) => (
              <li key={w.id}>
                <Link
                  href={`/creator/withdrawals/${w.id}`}
                  className="flex items-center justify-between gap-3 rounded-2xl bg-white p-4 shadow-sm hover:bg-gray-50"
                >
                  <span className="flex flex-col">
                    <span className="font-bold tabular-nums">
                      {formatMoney(w.netCents, "USD")} <span className="font-normal text-muted">to {w.destination}</span>
                    </span>
                    <span className="text-xs text-muted">
                      💎 {formatDiamonds(w.diamonds)} · {formatUtc(w.createdAt)}
                    </span>
                  </span>
                  <WithdrawalBadge status={w.status} beingPaid={w.beingPaid} review={w.review} />
                </Link>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
