import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { formatUtc } from "@/components/creator/format";
import { TREASURE_STATUS_LABELS } from "@/components/operator/treasure-labels";
import { Card } from "@/components/ui/Card";
import { Notice } from "@/components/ui/Notice";
import { Table } from "@/components/ui/Table";
import { requireUser } from "@/lib/auth/session";
import { formatCoins } from "@/lib/economy";
import { auditTreasureBox, type TreasureAudit } from "@/lib/live/treasure";

export const metadata: Metadata = { title: "Treasure box audit" };

function coins(amount: string | bigint): string {
  return `🪙 ${formatCoins(BigInt(amount))}`;
}

/** The audit's verdict, said first and loudly when it fails. */
function Verdict({ audit }: { audit: TreasureAudit }) {
  if (audit.box.status === "OPEN")
    return (
      <Notice tone="waiting" testId="audit-verdict">
        Counting down until {formatUtc(new Date(audit.box.opensAt))}: the seed stays secret until the box opens.
      </Notice>
    );
  const good = audit.reproduced === true && audit.seedMatchesCommitment === true;
  const problems = [
    audit.seedMatchesCommitment
      ? null
      : audit.commitment
        ? "the seed does not hash to the commitment announced at the drop"
        : "the drop's announcement is missing",
    audit.reproduced ? null : "the result paid is not what the seed draws from these entrants",
  ].filter(Boolean);
  return (
    <Notice tone={good ? "ok" : "error"} testId="audit-verdict">
      {good
        ? audit.box.status === "RETURNED"
          ? "Verified: nobody joined, the seed matches the commitment, and the coins went back to the dropper."
          : "Verified: the seed matches the commitment announced at the drop, and the coins paid are exactly what it draws from these entrants."
        : `Audit failed: ${problems.join("; ")}.`}
    </Notice>
  );
}

export default async function TreasureAuditPage({ params }: { params: Promise<{ boxId: string }> }) {
  const { boxId } = await params;
  await requireUser(`/operator/treasure/${boxId}`, ["OPERATOR"]);
  const audit = await auditTreasureBox(boxId);
  if (!audit) notFound();
  const { box } = audit;
  const drawn = new Map((audit.drawn ?? []).map((d) => [d.userId, d.coins]));
  const facts: [string, React.ReactNode][] = [
    ["Status", TREASURE_STATUS_LABELS[box.status]],
    ["LIVE", `${audit.streamTitle} (${audit.creatorName})`],
    [
      "Dropped by",
      <Link key="dropper" href={`/operator/accounts/${box.dropperId}`} className="font-semibold text-brand-dark underline">
        {box.dropperName}
      </Link>,
    ],
    ["Coins", coins(box.coins)],
    ["Winner slots", String(box.slots)],
    ["Countdown", `${box.countdownSeconds} s`],
    ["Dropped", formatUtc(new Date(box.droppedAt))],
    [box.status === "OPEN" ? "Opens" : "Countdown ended", formatUtc(new Date(box.opensAt))],
    ["Opened", box.openedAt ? formatUtc(new Date(box.openedAt)) : "Not yet"],
    ["Drop transfer", `#${audit.dropTransferId}`],
    ["Opening transfer", audit.openTransferId ? `#${audit.openTransferId}` : "Not yet"],
  ];
  return (
    <div className="flex flex-col gap-4">
      <header className="flex flex-col gap-1">
        <Link href="/operator/treasure" className="text-sm font-semibold text-brand-dark underline">
          All treasure boxes
        </Link>
        <h1 className="text-2xl font-extrabold">Treasure box #{box.no}</h1>
      </header>
      <Verdict audit={audit} />

      <Card id="box" title="The box">
        <dl className="divide-y divide-gray-100 text-sm">
          {facts.map(([label, value]) => (
            <div key={label} className="flex justify-between gap-4 py-2">
              <dt className="text-muted">{label}</dt>
              <dd className="text-right font-semibold tabular-nums">{value}</dd>
            </div>
          ))}
        </dl>
      </Card>

      <Card id="seed" title="Seed">
        <dl className="flex flex-col gap-3 text-sm">
          <div>
            <dt className="text-muted">
              Commitment announced to everyone watching at the drop
              {audit.commitment ? ` (live event #${audit.commitment.eventId}, ${formatUtc(audit.commitment.at)})` : ""}
            </dt>
            <dd className="font-mono text-xs break-all" data-testid="audit-commitment">
              {audit.commitment ? `SHA-256 ${audit.commitment.seedHash}` : "Missing: no live event announced this box."}
            </dd>
          </div>
          <div>
            <dt className="text-muted">Seed</dt>
            <dd className="font-mono text-xs break-all" data-testid="audit-seed">
              {audit.seed ?? "Revealed once the box opens."}
            </dd>
          </div>
        </dl>
      </Card>

      {box.status === "OPENED" ? (
        <Card id="result" title="Result" flow>
          <div className="overflow-x-auto">
            <Table
              caption="Winners in draw order: the coins paid, and the coins the seed draws"
              columns={[{ label: "Winner" }, { label: "Paid", numeric: true }, { label: "Seed draws", numeric: true }]}
              testId="audit-result"
            >
              {box.winners.map((w) => {
                const recomputed = drawn.get(w.userId) ?? null;
                return (
                  <tr key={w.userId} className="border-t border-gray-100">
                    <td className="py-2 pr-2">
                      <Link href={`/operator/accounts/${w.userId}`} className="underline">
                        {w.name}
                      </Link>
                    </td>
                    <td className="py-2 pr-2 text-right tabular-nums">{coins(w.coins)}</td>
                    <td className={`py-2 text-right tabular-nums ${recomputed === w.coins ? "" : "font-bold text-red-900"}`}>
                      {recomputed === null ? "Not drawn" : coins(recomputed)}
                    </td>
                  </tr>
                );
              })}
              <tr className="border-t border-gray-300 font-bold">
                <td className="py-2 pr-2">Total</td>
                <td className="py-2 pr-2 text-right tabular-nums">{coins(box.winners.reduce((s, w) => s + BigInt(w.coins), 0n))}</td>
                <td className="py-2 text-right tabular-nums">{coins((audit.drawn ?? []).reduce((s, d) => s + BigInt(d.coins), 0n))}</td>
              </tr>
            </Table>
          </div>
        </Card>
      ) : null}

      <Card id="entrants" title={`Entrants (${audit.entrants.length})`} empty={audit.entrants.length === 0 ? "Nobody joined." : null}>
        {audit.entrants.length > 0 ? (
          <>
            <p className="text-sm text-muted">In the order the draw starts from (by user id), with when each joined.</p>
            <ol className="divide-y divide-gray-100 text-sm" data-testid="audit-entrants">
              {audit.entrants.map((e) => (
                <li key={e.userId} className="flex flex-wrap justify-between gap-2 py-2">
                  <Link href={`/operator/accounts/${e.userId}`} className="underline">
                    {e.name}
                  </Link>
                  <span className="text-muted">{formatUtc(e.joinedAt)}</span>
                </li>
              ))}
            </ol>
          </>
        ) : null}
      </Card>
    </div>
  );
}
