import type { Metadata } from "next";
import Link from "next/link";
import { WithdrawalBadge } from "@/components/creator/WithdrawalBadge";
import { formatUtc } from "@/components/creator/format";
import { WithdrawalDecision } from "@/components/operator/WithdrawalDecision";
import { formatDiamonds, formatMoney } from "@/lib/economy";
import { requireUser } from "@/lib/auth/session";
import { Section } from "@/components/ui/Card";
import { listAllWithdrawals, REVIEW_REASONS, type WithdrawalView } from "@/lib/withdrawals/withdrawals";

export const metadata: Metadata = { title: "Withdrawal review" };

function Summary({ w }: { w: WithdrawalView }) {
  return (
    <div className="flex flex-col text-sm">
      <span className="font-bold">
        <Link href={`/creator/earnings?creator=${w.creatorId}`} className="text-brand-dark underline">
          {w.creatorName}
        </Link>{" "}
        · {formatMoney(w.netCents, "USD")} to {w.destination}
      </span>
      <span className="text-muted">
        💎 {formatDiamonds(w.diamonds)} → {formatMoney(w.grossCents, "USD")} − fee {formatMoney(w.feeCents, "USD")} · requested {formatUtc(w.createdAt)} ·{" "}
        <Link href={`/creator/withdrawals/${w.id}`} className="underline">
          receipt
        </Link>
      </span>
      {w.review ? (
        <span className="font-semibold text-orange-900" data-testid="review-reason">
          Waits for review: {REVIEW_REASONS[w.review]}
          {w.openFlags.length > 0 ? ` (open flags: ${w.openFlags.map((f) => f.toLowerCase().replaceAll("_", " ")).join(", ")})` : ""}
        </span>
      ) : null}
    </div>
  );
}

export default async function OperatorWithdrawalsPage() {
  await requireUser("/operator/withdrawals", ["OPERATOR"]);
  // Reads only: due withdrawals are paid by the settler (instrumentation.ts).
  const { pending, recent } = await listAllWithdrawals();
  return (
    <div className="flex flex-col gap-5">
      <h1 className="text-2xl font-extrabold">Withdrawal review</h1>
      <p className="text-sm text-muted">
        Pending withdrawals are paid automatically once their review time has passed. Approve to pay one now, or reject it to give the diamonds back.
      </p>
      <Section id="pending" title={`Pending (${pending.length})`} empty={pending.length === 0 ? "Nothing to review." : null}>
        <ul className="flex flex-col gap-3" data-testid="pending-withdrawals">
          {pending.map((w) => (
            <li key={w.id} className="flex flex-col gap-3 rounded-2xl bg-white p-4 shadow-sm">
              <Summary w={w} />
              <WithdrawalDecision id={w.id} label={`${w.creatorName}'s ${formatMoney(w.netCents, "USD")} withdrawal`} />
            </li>
          ))}
        </ul>
      </Section>
      <Section id="recent" title="Recently decided" empty={recent.length === 0 ? "None yet." : null}>
        <ul className="flex flex-col gap-2">
          {recent.map((w) => (
            <li key={w.id} className="flex items-center justify-between gap-3 rounded-2xl bg-white p-4 shadow-sm">
              <Summary w={w} />
              <WithdrawalBadge status={w.status} beingPaid={w.beingPaid} review={w.review} />
            </li>
          ))}
        </ul>
      </Section>
    </div>
  );
}
