import type { Metadata } from "next";
import Link from "next/link";
import { endStreamFormAction } from "@/app/actions/live";
import { CreatorTabs } from "@/components/creator/EarningsTables";
import { GoLiveForm } from "@/components/live/GoLiveForm";
import { Leaderboard } from "@/components/live/Leaderboard";
import { convertDiamondsToCash, formatCoins, formatDiamonds, formatMoney } from "@/lib/economy";
import { requireUser } from "@/lib/auth/session";
import { getWalletBalances } from "@/lib/ledger/wallets";
import { getCreatorRankings } from "@/lib/live/rankings";
import { getCurrentStream } from "@/lib/live/streams";

export const metadata: Metadata = { title: "Creator" };

export default async function CreatorPage() {
  const user = await requireUser("/creator", ["CREATOR"]);
  const { diamondsMinor } = await getWalletBalances(user.id);
  const stream = await getCurrentStream(user.id);
  const cash = convertDiamondsToCash(diamondsMinor);
  const rankings = await getCreatorRankings(user.id);
  return (
    <div className="flex flex-col gap-4">
      <h1 className="text-2xl font-extrabold">Creator</h1>
      <CreatorTabs current="overview" />
      <section className="rounded-3xl bg-gradient-to-br from-cyan-200 to-cyan-400 p-6 text-cyan-950 shadow" aria-labelledby="diamonds">
        <h2 id="diamonds" className="text-sm font-bold uppercase tracking-wider">
          Diamonds
        </h2>
        <p className="text-4xl font-extrabold" data-testid="creator-diamonds">
          💎 {formatDiamonds(diamondsMinor)}
        </p>
        <p className="mt-1 text-sm font-medium">Worth {formatMoney(cash.cents, "USD")} at $0.005 per diamond.</p>
        <div className="mt-3 flex flex-wrap gap-2">
          <Link href="/creator/earnings" className="rounded-full bg-cyan-950 px-4 py-2 text-sm font-semibold text-white">
            See your earnings
          </Link>
          <Link href="/creator/withdrawals" className="rounded-full bg-white/70 px-4 py-2 text-sm font-semibold text-cyan-950">
            Withdraw
          </Link>
        </div>
      </section>
      <section className="rounded-2xl bg-white p-5 shadow-sm" aria-labelledby="live-heading">
        <h2 id="live-heading" className="text-lg font-bold">
          {stream ? "You are LIVE" : "Go LIVE"}
        </h2>
        {stream ? (
          <div className="mt-2 flex flex-col gap-3">
            <p>
              <strong>{stream.title}</strong> · {stream.gifts} gifts · 🪙 {formatCoins(stream.coinsReceived)} · peak {stream.peakViewers} {stream.peakViewers === 1 ? "viewer" : "viewers"}
            </p>
            <div className="flex flex-wrap gap-3">
              <Link href={`/live/${stream.id}`} className="rounded-full bg-brand-dark px-5 py-2.5 font-semibold text-white">
                Open your LIVE
              </Link>
              <form action={endStreamFormAction.bind(null, stream.id)}>
                <button type="submit" className="rounded-full border border-gray-400 px-5 py-2.5 font-semibold">
                  End LIVE
                </button>
              </form>
            </div>
          </div>
        ) : (
          <div className="mt-2">
            <GoLiveForm />
          </div>
        )}
      </section>
      <section className="rounded-2xl bg-white p-5 shadow-sm" aria-labelledby="supporters-heading">
        <h2 id="supporters-heading" className="text-lg font-bold">
          Top supporters
        </h2>
        <div className="mt-2 grid gap-4 sm:grid-cols-2">
          <div>
            <h3 className="text-sm font-bold uppercase tracking-wider text-muted">This week</h3>
            <Leaderboard rows={rankings.week} empty="No gifts yet this week." testId="supporters-week" />
          </div>
          <div>
            <h3 className="text-sm font-bold uppercase tracking-wider text-muted">All time</h3>
            <Leaderboard rows={rankings.allTime} empty="No gifts yet. Go LIVE to meet your supporters." testId="supporters-all-time" />
          </div>
        </div>
        <p className="mt-2 text-xs text-muted">Weeks start on Monday 00:00 UTC. Viewers who opted out appear as “Anonymous supporter”.</p>
      </section>
    </div>
  );
}
