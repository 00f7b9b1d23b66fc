import type { Metadata } from "next";
import Link from "next/link";
import { endStreamFormAction } from "@/app/actions/live";
import { CreatorTabs } from "@/components/creator/EarningsTables";
import { BalanceCard } from "@/components/creator/BalanceCard";
import { Card } from "@/components/ui/Card";
import { Table } from "@/components/ui/Table";
import { GoLiveForm } from "@/components/live/GoLiveForm";
import { Leaderboard } from "@/components/live/Leaderboard";
import { formatCoins, formatDiamonds } from "@/lib/economy";
import { requireUser } from "@/lib/auth/session";
import { getWalletBalances } from "@/lib/ledger/wallets";
import { matchHistory, type MatchHistoryRow } from "@/lib/live/match";
import { getCreatorRankings } from "@/lib/live/rankings";
import { getCurrentStream } from "@/lib/live/streams";

export const metadata: Metadata = { title: "Creator" };

export default async function CreatorPage() {
  const user = await requireUser("/creator", ["CREATOR"]);
  const { diamondsMinor } = await getWalletBalances(user.id);
  const stream = await getCurrentStream(user.id);
  const [rankings, matches] = await Promise.all([getCreatorRankings(user.id), matchHistory(user.id)]);
  return (
    <div className="flex flex-col gap-4">
      <h1 className="text-2xl font-extrabold">Creator</h1>
      <CreatorTabs current="overview" />
      <BalanceCard headingId="diamonds" title="Diamonds" diamondsMinor={diamondsMinor} testId="creator-diamonds">
        <div className="mt-3 flex flex-wrap gap-2">
          <Link href="/creator/earnings" className="rounded-full bg-cyan-950 px-4 py-2 text-sm font-semibold text-white">
            See your earnings
          </Link>
          <Link href="/creator/withdrawals" className="rounded-full bg-white/70 px-4 py-2 text-sm font-semibold text-cyan-950">
            Withdraw
          </Link>
        </div>
      </BalanceCard>
      <Card flow id="live" title={stream ? "You are LIVE" : "Go LIVE"}>
        {stream ? (
          <div className="mt-2 flex flex-col gap-3">
            <p>
              <strong>{stream.title}</strong> · {stream.gifts} gifts · 🪙 {formatCoins(stream.coinsReceived)} · peak {stream.peakViewers}{" "}
              {stream.peakViewers === 1 ? "viewer" : "viewers"}
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
      </Card>
      <Card flow id="supporters" title="Top supporters">
        <div className="mt-2 grid gap-4 sm:grid-cols-2">
          <div>
            <h3 className="text-sm font-bold tracking-wider text-muted uppercase">This week</h3>
            <Leaderboard rows={rankings.thisWeek} empty="No gifts yet this week." testId="supporters-week" />
          </div>
          <div>
            <h3 className="text-sm font-bold tracking-wider text-muted uppercase">All time</h3>
            <Leaderboard rows={rankings.allTime} empty="No gifts yet. Go LIVE to meet your supporters." testId="supporters-all-time" />
          </div>
        </div>
        <p className="mt-2 text-xs text-muted">Weeks start on Monday 00:00 UTC. Viewers who opted out appear as “Anonymous supporter”.</p>
      </Card>
      <MatchHistory rows={matches} />
    </div>
  );
}

const RESULT_TEXT: Record<MatchHistoryRow["result"], string> = { WON: "Won", LOST: "Lost", TIE: "Tie" };

/** The creator's ended matches. */
function MatchHistory({ rows }: { rows: MatchHistoryRow[] }) {
  return (
    <Card flow id="match-history" title="LIVE Match history">
      {rows.length === 0 ? (
        <p className="mt-2 text-sm text-muted" data-testid="match-history-empty">
          No LIVE Matches yet. While you are LIVE, invite another live creator from your stream page.
        </p>
      ) : (
        <div className="mt-2 overflow-x-auto">
          <Table
            caps
            testId="match-history"
            caption="Your LIVE Matches, newest first"
            columns={[
              { label: "Opponent" },
              { label: "Result" },
              { label: "Score", numeric: true },
              { label: "Diamonds", numeric: true },
              { label: "Date", numeric: true },
            ]}
          >
            {rows.map((m) => (
              <tr key={m.id} data-testid="match-history-row">
                <td className="py-2 pr-2 font-semibold">{m.opponentName}</td>
                <td className="py-2 pr-2">
                  {RESULT_TEXT[m.result]}
                  {m.forfeit ? <span className="text-muted"> · {m.forfeit === "BY_ME" ? "you forfeited" : "opponent forfeited"}</span> : null}
                </td>
                <td className="py-2 pr-2 text-right tabular-nums">
                  {formatCoins(m.myScore)} – {formatCoins(m.theirScore)}
                </td>
                <td className="py-2 pr-2 text-right tabular-nums">💎 {formatDiamonds(m.diamondsMinor)}</td>
                <td className="py-2 text-right tabular-nums">
                  <time dateTime={m.endedAt.toISOString()}>{m.endedAt.toISOString().slice(0, 10)}</time>
                </td>
              </tr>
            ))}
          </Table>
        </div>
      )}
    </Card>
  );
}
