import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { formatUtc } from "@/components/creator/format";
import { FreezeForm } from "@/components/operator/FreezeForm";
import { formatCoins, formatDiamonds, formatMoney } from "@/lib/economy";
import { requireUser } from "@/lib/auth/session";
import { getAccountOverview } from "@/lib/fraud/account";
import { describeEvidence, RULE_TITLES } from "@/lib/fraud/describe";
import { listUserFlags } from "@/lib/fraud/flags";
import { freezeHistory } from "@/lib/fraud/freezes";
import { Card } from "@/components/ui/Card";

export const metadata: Metadata = { title: "Account" };

function amount(asset: "COIN" | "DIAMOND" | "USD", minor: bigint): string {
  if (asset === "COIN") return `🪙 ${formatCoins(minor)}`;
  if (asset === "DIAMOND") return `💎 ${formatDiamonds(minor)}`;
  return formatMoney(minor, "USD");
}

const KIND_LABELS: Record<string, string> = { VIEWER_COINS: "Coins", CREATOR_DIAMONDS: "Diamonds", CREATOR_PAYABLE: "Paid out (cash)" };

function age(createdAt: Date): string {
  const hours = Math.floor((Date.now() - createdAt.getTime()) / 3_600_000);
  return hours < 48 ? `${hours} h` : `${Math.floor(hours / 24)} days`;
}

export default async function OperatorAccountPage({ params }: { params: Promise<{ userId: string }> }) {
  const { userId } = await params;
  await requireUser(`/operator/accounts/${userId}`, ["OPERATOR"]);
  const account = await getAccountOverview(userId);
  if (!account) notFound();
  const [flags, freezes] = await Promise.all([listUserFlags(userId), freezeHistory(userId)]);
  const active = freezes.find((f) => f.liftedAt === null) ?? null;
  return (
    <div className="flex flex-col gap-4">
      <header className="flex flex-col gap-1">
        <h1 className="text-2xl font-extrabold">{account.displayName}</h1>
        <p className="text-sm text-muted">
          {account.email} · {account.role.toLowerCase()} · joined {formatUtc(account.createdAt)} ({age(account.createdAt)} ago)
        </p>
        <p
          role="status"
          data-testid="freeze-status"
          className={`self-start rounded-full px-3 py-1 text-sm font-bold ${active ? "bg-red-100 text-red-900" : "bg-green-100 text-green-900"}`}
        >
          {active ? `Frozen: ${active.reason}` : "Not frozen"}
        </p>
      </header>

      <Card id="freeze" title={active ? "Unfreeze" : "Freeze"}>
        <FreezeForm userId={account.id} lift={Boolean(active)} testId={active ? "unfreeze-form" : "freeze-form"} />
      </Card>

      <Card id="balances" title="Balances" empty={account.balances.length === 0 ? "No wallet yet." : null}>
        <dl className="divide-y divide-gray-100 text-sm">
          {account.balances.map((b) => (
            <div key={b.kind} className="flex justify-between gap-4 py-2">
              <dt className="text-muted">{KIND_LABELS[b.kind] ?? b.kind}</dt>
              <dd className="font-semibold tabular-nums">{amount(b.asset, b.balance)}</dd>
            </div>
          ))}
        </dl>
      </Card>

      <Card id="transfers" title="Recent transfers" empty={account.transfers.length === 0 ? "None yet." : null}>
        <ul className="divide-y divide-gray-100 text-sm">
          {account.transfers.map((t) => (
            <li key={`${t.id}-${t.asset}`} className="flex justify-between gap-4 py-2">
              <span>
                {t.label}{" "}
                <span className="text-muted">
                  #{String(t.id)} · {formatUtc(t.createdAt)}
                </span>
              </span>
              <span className="font-semibold tabular-nums">{amount(t.asset, t.amount)}</span>
            </li>
          ))}
        </ul>
      </Card>

      <Card id="flags" title="Fraud flags" empty={flags.length === 0 ? "No flags." : null}>
        <ul className="flex flex-col gap-2 text-sm">
          {flags.map((f) => (
            <li key={f.id}>
              <span className="font-semibold">{RULE_TITLES[f.rule]}</span> ({f.status.toLowerCase()}, {formatUtc(f.createdAt)}):{" "}
              {describeEvidence(f.rule, f.evidence)}
              {f.note ? <span className="text-muted"> Note: {f.note}</span> : null}
            </li>
          ))}
        </ul>
      </Card>

      <Card id="history" title="Freeze history" empty={freezes.length === 0 ? "Never frozen." : null}>
        <ul className="flex flex-col gap-2 text-sm" data-testid="freeze-history">
          {freezes.map((f) => (
            <li key={f.id}>
              Frozen {formatUtc(f.frozenAt)} by {f.frozenByName}: {f.reason}
              {f.liftedAt ? ` · lifted ${formatUtc(f.liftedAt)} by ${f.liftedByName}: ${f.liftReason}` : " · in force"}
            </li>
          ))}
        </ul>
      </Card>
    </div>
  );
}
