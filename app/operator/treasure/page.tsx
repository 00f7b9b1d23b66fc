import type { Metadata } from "next";
import Link from "next/link";
import { formatUtc } from "@/components/creator/format";
import { TREASURE_STATUS_LABELS } from "@/components/operator/treasure-labels";
import { FieldSelect } from "@/components/ui/Field";
import { Notice } from "@/components/ui/Notice";
import { requireUser } from "@/lib/auth/session";
import { formatCoins } from "@/lib/economy";
import { TREASURE_STATUSES } from "@/lib/economy/treasure";
import { listTreasureBoxes, parseTreasureFilter, type TreasureFilter } from "@/lib/live/treasure";

export const metadata: Metadata = { title: "Treasure boxes" };

function pageQuery(filter: TreasureFilter, before: string): string {
  const query = new URLSearchParams({ before });
  if (filter.status) query.set("status", filter.status);
  return `?${query}`;
}

export default async function TreasureBoxesPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireUser("/operator/treasure", ["OPERATOR"]);
  const params = await searchParams;
  const parsed = parseTreasureFilter(params);
  const page = parsed.ok ? await listTreasureBoxes(parsed.filter) : null;
  return (
    <div className="flex flex-col gap-5">
      <h1 className="text-2xl font-extrabold">Treasure boxes</h1>
      <p className="text-sm text-muted">
        Every box dropped in a LIVE, newest first. Open one to audit it: its entrants, the seed committed to at the drop, and whether the coins paid are what
        that seed draws.
      </p>
      <form method="get" className="flex flex-wrap items-end gap-3 rounded-2xl bg-white p-4 shadow-sm" aria-label="Filter treasure boxes">
        <FieldSelect compact id="status" label="Status" name="status" defaultValue={parsed.ok ? (parsed.filter.status ?? "") : ""}>
          <option value="">Every status</option>
          {TREASURE_STATUSES.map((s) => (
            <option key={s} value={s}>
              {TREASURE_STATUS_LABELS[s]}
            </option>
          ))}
        </FieldSelect>
        <button type="submit" className="rounded-full bg-brand-dark px-5 py-2 text-sm font-semibold text-white shadow hover:bg-[#a00c24]">
          Show boxes
        </button>
      </form>
      {!parsed.ok ? <Notice tone="error">{parsed.message}</Notice> : null}
      {page && page.items.length === 0 ? <p className="rounded-2xl bg-white p-4 text-sm shadow-sm">No treasure boxes match.</p> : null}
      {page && page.items.length > 0 ? (
        <ol className="flex flex-col gap-3" data-testid="treasure-boxes">
          {page.items.map(({ box, creatorName }) => (
            <li key={box.id} className="flex flex-col gap-1 rounded-2xl bg-white p-4 text-sm shadow-sm">
              <div className="flex flex-wrap items-baseline justify-between gap-2">
                <Link href={`/operator/treasure/${box.id}`} className="font-bold text-brand-dark underline">
                  Box #{box.no}: 🪙 {formatCoins(BigInt(box.coins))} for {box.slots} {box.slots === 1 ? "winner" : "winners"}
                </Link>
                <span className="font-semibold">{TREASURE_STATUS_LABELS[box.status]}</span>
              </div>
              <p className="text-muted">
                In {creatorName}&apos;s LIVE · dropped by {box.dropperName} · {formatUtc(new Date(box.droppedAt))} · {box.entrants}{" "}
                {box.entrants === 1 ? "entrant" : "entrants"}
                {box.status === "OPENED" ? ` · ${box.winners.length} ${box.winners.length === 1 ? "winner" : "winners"}` : ""}
              </p>
            </li>
          ))}
        </ol>
      ) : null}
      {page?.nextBefore && parsed.ok ? (
        <Link href={`/operator/treasure${pageQuery(parsed.filter, page.nextBefore)}`} className="self-start font-semibold text-brand-dark underline">
          Older boxes
        </Link>
      ) : null}
    </div>
  );
}
