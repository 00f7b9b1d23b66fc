import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { CancelWithdrawal } from "@/components/creator/CancelWithdrawal";
import { WithdrawalBadge } from "@/components/creator/WithdrawalBadge";
import { formatUtc } from "@/components/creator/format";
import { formatDiamonds, formatMoney } from "@/lib/economy";
import { requireCreatorArea } from "@/lib/auth/creator";
import { getWithdrawal } from "@/lib/withdrawals/withdrawals";

export const metadata: Metadata = { title: "Withdrawal receipt" };

export default async function WithdrawalReceiptPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const user = await requireCreatorArea(`/creator/withdrawals/${encodeURIComponent(id)}`);
  // Reads only: a due withdrawal is paid by the settler (instrumentation.ts) within seconds.
  const w = await getWithdrawal(user, id);
  if (!w) notFound();
  const own = w.creatorId === user.id;
  const rows: Array<[string, string, string?]> = [
    ["Requested", formatUtc(w.createdAt)],
    [w.status === "PENDING" ? "Payable from" : "Decided", formatUtc(w.decidedAt ?? w.payableAt)],
    ["Diamonds", `💎 ${formatDiamonds(w.diamonds)}`, "receipt-diamonds"],
    ["Cash value", formatMoney(w.grossCents, "USD"), "receipt-gross"],
    ["Fee", formatMoney(w.feeCents, "USD"), "receipt-fee"],
    ["You receive", formatMoney(w.netCents, "USD"), "receipt-net"],
    ["Paid to", w.destination],
    ["Withdrawal id", w.id],
    [
      "Ledger transfers",
      `#${String(w.reserveTransferId)} (reserve)${w.settleTransferId ? `, #${String(w.settleTransferId)} (${w.status === "PAID" ? "payment" : "release"})` : ""}`,
    ],
  ];
  if (!own) rows.unshift(["Creator", w.creatorName]);
  if (w.reason && w.status !== "PAID") rows.push(["Reason", w.reason]);
  const summary: Record<typeof w.status, string> = {
    PENDING: w.review
      ? "Waiting for review: an operator decides this withdrawal before it is paid. Your diamonds stay reserved meanwhile."
      : w.beingPaid
        ? "The review time has passed: this withdrawal is being paid and will show as paid within a few seconds."
        : "Your diamonds are reserved while the withdrawal is reviewed; it is paid automatically when the review time has passed.",
    PAID: `${formatMoney(w.netCents, "USD")} was sent to ${w.destination}.`,
    REJECTED: "This withdrawal was rejected; its diamonds are back in the balance.",
    CANCELLED: "This withdrawal was cancelled; its diamonds are back in the balance.",
  };
  return (
    <article className="mx-auto flex w-full max-w-md flex-col gap-3 rounded-2xl bg-white p-6 shadow-sm">
      <div className="flex items-center justify-between gap-3">
        <h1 className="text-2xl font-extrabold">Withdrawal</h1>
        <WithdrawalBadge status={w.status} beingPaid={w.beingPaid} review={w.review} />
      </div>
      <p className="font-medium" role="status">
        {summary[w.status]}
      </p>
      <dl className="divide-y divide-gray-100 text-sm">
        {rows.map(([label, value, testId]) => (
          <div key={label} className="flex justify-between gap-4 py-2">
            <dt className="text-muted">{label}</dt>
            <dd className="text-right font-semibold break-all tabular-nums" data-testid={testId}>
              {value}
            </dd>
          </div>
        ))}
      </dl>
      {own && w.status === "PENDING" ? <CancelWithdrawal id={w.id} /> : null}
      <p className="text-xs text-muted">A simulated payout: no real money moved.</p>
      <Link href={own ? "/creator/withdrawals" : "/operator/withdrawals"} className="font-semibold text-brand-dark underline">
        {own ? "Back to your withdrawals" : "Back to withdrawal review"}
      </Link>
    </article>
  );
}
