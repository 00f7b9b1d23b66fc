import type { Metadata } from "next";
import Link from "next/link";
import { randomUUID } from "node:crypto";
import { notFound } from "next/navigation";
import { CreatorTabs } from "@/components/creator/EarningsTables";
import { BalanceCard } from "@/components/creator/BalanceCard";
import { Card, Section } from "@/components/ui/Card";
import { WithdrawForm } from "@/components/creator/WithdrawForm";
import { WithdrawalBadge } from "@/components/creator/WithdrawalBadge";
import { formatUtc } from "@/components/creator/format";
import { formatDiamonds, formatMoney } from "@/lib/economy";
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
      <BalanceCard
        headingId="available-heading"
        title="Available to withdraw"
        diamondsMinor={balance}
        testId="withdraw-balance"
        note={`Withdrawn today: ${formatMoney(today, "USD")} of ${formatMoney(rules.dailyLimitCents, "USD")}.`}
      />
      <Card id="new" title="New withdrawal">
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
      </Card>
      <Section id="history" title="History" empty={items.length === 0 ? "No withdrawals yet." : null}>
        {items.length > 0 ? (
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
        ) : null}
      </Section>
    </div>
  );
}
