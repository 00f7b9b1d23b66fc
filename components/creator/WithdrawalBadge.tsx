import type { WithdrawalReview, WithdrawalStatus } from "@/lib/withdrawals/withdrawals";

const STYLE: Record<WithdrawalStatus, { label: string; className: string }> = {
  PENDING: { label: "Pending review", className: "bg-amber-100 text-amber-900" },
  PAID: { label: "Paid", className: "bg-green-100 text-green-900" },
  REJECTED: { label: "Rejected", className: "bg-red-100 text-red-900" },
  CANCELLED: { label: "Cancelled", className: "bg-gray-200 text-gray-900" },
};

/** A pending withdrawal whose review time has passed is being paid by the settler (within seconds). */
const BEING_PAID = { label: "Being paid", className: "bg-cyan-100 text-cyan-900" };

/** A pending withdrawal an operator must decide (above the automatic limit, or flagged): never paid automatically. */
const WAITING = { label: "Waiting for review", className: "bg-orange-100 text-orange-900" };

export function WithdrawalBadge({
  status,
  beingPaid = false,
  review = null,
}: {
  status: WithdrawalStatus;
  beingPaid?: boolean;
  review?: WithdrawalReview | null;
}) {
  const style = status !== "PENDING" ? STYLE[status] : review ? WAITING : beingPaid ? BEING_PAID : STYLE[status];
  return (
    <span className={`rounded-full px-2.5 py-0.5 text-xs font-bold ${style.className}`} data-testid="withdrawal-status">
      {style.label}
    </span>
  );
}
