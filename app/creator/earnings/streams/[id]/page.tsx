import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { EarningsChart } from "@/components/creator/EarningsChart";
import { GiftsAndSupporters } from "@/components/creator/EarningsTables";
import { diamondPrice, formatDuration, formatUtc } from "@/components/creator/format";
import { convertDiamondsToCash, formatCoins, formatDiamonds, formatMoney } from "@/lib/economy";
import { UpdatingNotice } from "@/components/creator/UpdatingNotice";
import { requireCreatorArea } from "@/lib/auth/creator";
import { getStreamBreakdown, resolveCreatorScope } from "@/lib/earnings";
import { Card } from "@/components/ui/Card";

export const metadata: Metadata = { title: "Stream earnings" };

export default async function StreamEarningsPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const [{ id }, query] = await Promise.all([params, searchParams]);
  const user = await requireCreatorArea(`/creator/earnings/streams/${encodeURIComponent(id)}`);
  const scope = await resolveCreatorScope(user, typeof query.creator === "string" ? query.creator : null);
  if (!scope) notFound();
  const data = await getStreamBreakdown(scope, id);
  if (!data) notFound();
  const { stream } = data;
  const back = scope.asOperator ? `/creator/earnings?creator=${scope.creatorId}` : "/creator/earnings";
  const facts: Array<[string, string, string?]> = [
    ["Started", formatUtc(stream.startedAt)],
    ["Ended", stream.endedAt ? formatUtc(stream.endedAt) : "Still LIVE"],
    ["Duration", formatDuration(stream.startedAt, stream.endedAt ?? new Date())],
    ["Peak viewers", String(stream.peakViewers)],
    ["Gifts", String(stream.gifts), "stream-gifts"],
    ["Coins received", `🪙 ${formatCoins(stream.coins)}`, "stream-coins"],
    ["Diamonds earned", `💎 ${formatDiamonds(stream.diamonds)}`, "stream-diamonds"],
    ["Worth", `${formatMoney(convertDiamondsToCash(stream.diamonds).cents, "USD")} at ${diamondPrice()} per diamond`],
    ["Top gifter", stream.topGifter ? `${stream.topGifter.name} (🪙 ${formatCoins(stream.topGifter.coins)})` : "—"],
  ];
  return (
    <div className="flex flex-col gap-5">
      <Link href={back} className="self-start font-semibold text-brand-dark underline">
        ← All earnings
      </Link>
      <h1 className="text-2xl font-extrabold">{stream.title}</h1>
      <UpdatingNotice pendingGifts={data.updating.pendingGifts} />
      <section className="rounded-2xl bg-white p-5 shadow-sm" aria-labelledby="summary-heading">
        <h2 id="summary-heading" className="sr-only">
          Summary
        </h2>
        <dl className="grid grid-cols-1 gap-x-6 text-sm sm:grid-cols-2">
          {facts.map(([label, value, testId]) => (
            <div key={label} className="flex justify-between gap-4 border-t border-gray-100 py-2">
              <dt className="text-muted">{label}</dt>
              <dd className="text-right font-semibold tabular-nums" data-testid={testId}>
                {value}
              </dd>
            </div>
          ))}
        </dl>
      </section>
      <Card flow id="timeline" title="Hour by hour">
        {data.series.length ? (
          <EarningsChart buckets={data.series} hourly title="Diamonds per hour during this stream (UTC)" id="stream-chart" />
        ) : (
          <p className="text-sm text-muted">No gifts during this stream.</p>
        )}
      </Card>
      <GiftsAndSupporters giftTypes={data.giftTypes} supporters={data.supporters} of="this stream" />
    </div>
  );
}
