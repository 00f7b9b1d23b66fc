import type { Metadata } from "next";
import type { ReactNode } from "react";
import Link from "next/link";
import { notFound } from "next/navigation";
import { EarningsChart } from "@/components/creator/EarningsChart";
import { CreatorTabs, GiftsAndSupporters } from "@/components/creator/EarningsTables";
import { diamondPrice, formatDuration, formatUtc } from "@/components/creator/format";
import { convertCoinsToDiamonds, convertDiamondsToCash, DEFAULT_CREATOR_SHARE, formatCoins, formatDiamonds, formatMoney } from "@/lib/economy";
import { UpdatingNotice } from "@/components/creator/UpdatingNotice";
import { requireCreatorArea } from "@/lib/auth/creator";
import { parseTimestampParam } from "@/lib/validation/input";
import { getEarningsDashboard, resolveCreatorScope, type EarningsFigures, type SeriesRange } from "@/lib/earnings";
import { BalanceCard } from "@/components/creator/BalanceCard";
import { Card, Section } from "@/components/ui/Card";

export const metadata: Metadata = { title: "Earnings" };

const RANGES: Array<{ id: SeriesRange; label: string; title: string }> = [
  { id: "today", label: "Today", title: "Diamonds per hour today (UTC)" },
  { id: "7d", label: "7 days", title: "Diamonds per day, last 7 days (UTC)" },
  { id: "30d", label: "30 days", title: "Diamonds per day, last 30 days (UTC)" },
];

function Tile({ label, figures, testId }: { label: string; figures: EarningsFigures; testId: string }) {
  return (
    <div className="rounded-2xl bg-white p-4 shadow-sm">
      <h3 className="text-xs font-bold tracking-wider text-muted uppercase">{label}</h3>
      <p className="text-xl font-extrabold tabular-nums" data-testid={testId}>
        💎 {formatDiamonds(figures.diamonds)}
      </p>
      <p className="text-xs text-muted">
        {String(figures.gifts)} gifts · 🪙 {formatCoins(figures.coins)}
      </p>
    </div>
  );
}

/** One figure of a stream in the list. */
function Fact({
  label,
  numeric = false,
  wide = false,
  testId,
  children,
}: {
  label: string;
  numeric?: boolean;
  wide?: boolean;
  testId?: string;
  children: ReactNode;
}) {
  return (
    <div className={wide ? "col-span-2" : undefined}>
      <dt className="text-muted">{label}</dt>
      <dd className={numeric ? "tabular-nums" : undefined} data-testid={testId}>
        {children}
      </dd>
    </div>
  );
}

export default async function EarningsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const user = await requireCreatorArea("/creator/earnings");
  const one = (v: string | string[] | undefined) => (typeof v === "string" ? v : null);
  const scope = await resolveCreatorScope(user, one(params.creator));
  if (!scope) notFound();
  const range = RANGES.find((r) => r.id === one(params.range)) ?? RANGES[1]!;
  const before = parseTimestampParam(one(params.before));
  const data = await getEarningsDashboard(scope, { range: range.id, before });
  const query = (extra: Record<string, string>) => {
    const q = new URLSearchParams({ ...(scope.asOperator ? { creator: scope.creatorId } : {}), ...extra });
    return `?${q.toString()}`;
  };
  const example = convertCoinsToDiamonds(100n);
  const allTimeCash = convertDiamondsToCash(data.totals.allTime.diamonds);
  const sharePercent = (DEFAULT_CREATOR_SHARE.num * 100n) / DEFAULT_CREATOR_SHARE.den;

  return (
    <div className="flex flex-col gap-5">
      <h1 className="text-2xl font-extrabold">{scope.asOperator ? `Earnings of ${scope.creatorName}` : "Earnings"}</h1>
      {scope.asOperator ? null : <CreatorTabs current="earnings" />}
      <UpdatingNotice pendingGifts={data.updating.pendingGifts} />

      <BalanceCard
        headingId="balance-heading"
        title="Diamond balance"
        diamondsMinor={data.balanceMinor}
        testId="earnings-balance"
        cashTestId="earnings-balance-cash"
      >
        {data.pendingWithdrawalMinor > 0n ? (
          <p className="mt-1 text-sm font-medium">💎 {formatDiamonds(data.pendingWithdrawalMinor)} reserved for pending withdrawals.</p>
        ) : null}
        {scope.asOperator ? null : (
          <Link href="/creator/withdrawals" className="mt-3 inline-block rounded-full bg-cyan-950 px-5 py-2.5 font-semibold text-white">
            Withdraw
          </Link>
        )}
      </BalanceCard>

      <Section id="totals" title="Diamonds earned">
        <div className="grid grid-cols-2 gap-3 sm:grid-cols-4">
          <Tile label="Today" figures={data.totals.today} testId="earnings-today" />
          <Tile label="7 days" figures={data.totals.last7Days} testId="earnings-7d" />
          <Tile label="30 days" figures={data.totals.last30Days} testId="earnings-30d" />
          <Tile label="All time" figures={data.totals.allTime} testId="earnings-all" />
        </div>
        <p className="text-xs text-muted">Days are UTC days; 7 and 30 days include today.</p>
      </Section>

      {data.totals.allTime.gifts === 0n && data.updating.pendingGifts === 0 ? (
        <section className="rounded-2xl bg-white p-6 text-center shadow-sm" aria-labelledby="empty-heading">
          <h2 id="empty-heading" className="text-lg font-bold">
            No gifts yet
          </h2>
          <p className="mt-1 text-muted">When viewers send you gifts during a LIVE, your diamonds, streams and supporters appear here.</p>
          {scope.asOperator ? null : (
            <Link href="/creator" className="mt-3 inline-block rounded-full bg-brand-dark px-5 py-2.5 font-semibold text-white">
              Go LIVE
            </Link>
          )}
        </section>
      ) : null}

      <Card id="chart" title="Over time">
        <nav aria-label="Chart period" className="flex gap-2">
          {RANGES.map((r) => (
            <Link
              key={r.id}
              href={query({ range: r.id })}
              aria-current={r.id === range.id ? "page" : undefined}
              className={`rounded-full px-3 py-1.5 text-sm font-semibold ${r.id === range.id ? "bg-gray-900 text-white" : "bg-gray-100 text-gray-900"}`}
            >
              {r.label}
            </Link>
          ))}
        </nav>
        <EarningsChart buckets={data.series} hourly={range.id === "today"} title={range.title} id="earnings-chart" />
      </Card>

      <Card flow id="how" title="How gifts become cash">
        <ul className="mt-2 flex list-disc flex-col gap-1 pl-5 text-sm">
          <li>
            A gift worth 🪙 100 coins gives you 💎 {formatDiamonds(example.diamondsMinor)} diamonds: your {String(sharePercent)}% share of its value.
          </li>
          <li>
            Each diamond is worth {diamondPrice()}, so 💎 {formatDiamonds(example.diamondsMinor)} diamonds are worth{" "}
            {formatMoney(convertDiamondsToCash(example.diamondsMinor).cents, "USD")}.
          </li>
          <li data-testid="conversion-all-time">
            So far: 🪙 {formatCoins(data.totals.allTime.coins)} coins of gifts gave you 💎 {formatDiamonds(data.totals.allTime.diamonds)} diamonds, worth{" "}
            {formatMoney(allTimeCash.cents, "USD")}.
          </li>
        </ul>
      </Card>

      <Section id="streams" title="Streams" empty={data.streams.length === 0 ? (before ? "No older streams." : "No streams yet.") : null}>
        {data.streams.length > 0 ? (
          <ul className="flex flex-col gap-3" data-testid="stream-earnings">
            {data.streams.map((s) => (
              <li key={s.id} className="rounded-2xl bg-white p-4 shadow-sm">
                <div className="flex flex-wrap items-baseline justify-between gap-2">
                  <Link href={`/creator/earnings/streams/${s.id}${query({})}`} className="font-bold text-brand-dark underline">
                    {s.title}
                  </Link>
                  {s.status === "LIVE" ? <span className="rounded-full bg-brand-dark px-2 py-0.5 text-xs font-bold text-white">LIVE</span> : null}
                </div>
                <dl className="mt-2 grid grid-cols-2 gap-x-4 gap-y-1 text-sm sm:grid-cols-4">
                  <Fact label="Started">{formatUtc(s.startedAt)}</Fact>
                  <Fact label="Duration">{formatDuration(s.startedAt, s.endedAt ?? new Date())}</Fact>
                  <Fact label="Gifts" numeric>
                    {String(s.gifts)}
                  </Fact>
                  <Fact label="Coins received" numeric>
                    🪙 {formatCoins(s.coins)}
                  </Fact>
                  <Fact label="Diamonds earned" numeric testId="stream-diamonds">
                    💎 {formatDiamonds(s.diamonds)}
                  </Fact>
                  <Fact label="Peak viewers" numeric>
                    {s.peakViewers}
                  </Fact>
                  <Fact label="Top gifter" wide>
                    {s.topGifter ? `${s.topGifter.name} (🪙 ${formatCoins(s.topGifter.coins)})` : "—"}
                  </Fact>
                </dl>
              </li>
            ))}
          </ul>
        ) : null}
        {data.nextBefore ? (
          <Link href={query({ range: range.id, before: data.nextBefore.toISOString() })} className="self-start font-semibold text-brand-dark underline">
            Older streams
          </Link>
        ) : null}
      </Section>

      <GiftsAndSupporters giftTypes={data.giftTypes} supporters={data.supporters} of="all time" />
    </div>
  );
}
