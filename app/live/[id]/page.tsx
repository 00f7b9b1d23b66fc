import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { LiveRoom } from "@/components/live/LiveRoom";
import { getCurrentUser } from "@/lib/auth/session";
import { getLedger } from "@/lib/ledger";
import { getWalletBalances } from "@/lib/ledger/wallets";
import { listLiveEvents } from "@/lib/live/events";
import { currentMatchOf, getMatchOptIn } from "@/lib/live/match";
import { setting } from "@/lib/env";
import { currentTreasureBoxes, joinedTreasureBoxes, treasureRefusal } from "@/lib/live/treasure";
import { giftRefusal } from "@/lib/live/gifting";
import { fanLapseNotice } from "@/lib/live/fan-status";
import { getCreatorRankings } from "@/lib/live/rankings";
import { chatLinesFrom } from "@/lib/live/room-state";
import { getStream, topGifters, type RankedGifter } from "@/lib/live/streams";
import { formatCoins } from "@/lib/economy";
import { listMyFanClubs } from "@/lib/live/fans";

export const metadata: Metadata = { title: "LIVE" };

export default async function LivePage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<{ paid?: string }> }) {
  const { id } = await params;
  const { paid } = await searchParams;
  const stream = await getStream(id);
  if (!stream) notFound();
  const user = await getCurrentUser();
  const recent = await listLiveEvents(getLedger().pool, id, null, 40);
  // Week and all-time lists share this stream's anonymous keys, so the page can
  // add live gifts to all three; more rows than shown keep that addition honest.
  const owner = user?.id === stream.creatorId && user.role === "CREATOR";
  const [leaders, rankings, match, matchOptIn, treasureBoxes, treasureRefused] = await Promise.all([
    topGifters({ streamId: id }, { limit: 50 }),
    getCreatorRankings(stream.creatorId, { saltStreamId: id, limit: 50 }),
    currentMatchOf(stream.id),
    owner ? getMatchOptIn(stream.creatorId) : false,
    currentTreasureBoxes(stream.id),
    treasureRefusal(user),
  ]);
  const treasureJoined = user
    ? await joinedTreasureBoxes(
        user.id,
        treasureBoxes.map((b) => b.id),
      )
    : [];
  const toProp = (rows: RankedGifter[]) => rows.map((l) => ({ key: l.key, name: l.name, coins: String(l.coins), level: l.level, fan: l.fan }));
  const balance = user ? (await getWalletBalances(user.id)).coins : 0n;
  // A member whose membership of this creator's club is about to lapse, or has, is told so here.
  const [membership] = user && user.id !== stream.creatorId ? await listMyFanClubs(getLedger().pool, user.id, { creatorId: stream.creatorId }) : [];
  const fanNotice = membership ? fanLapseNotice(membership) : null;
  const reason = giftRefusal(user, stream.creatorId);
  return (
    <div className="flex flex-col gap-3">
      {paid ? (
        <p className="rounded-xl bg-green-50 px-4 py-3 text-sm font-semibold text-green-900" role="status">
          Payment complete: your balance is now {formatCoins(balance)} coins. Back to the LIVE!
        </p>
      ) : null}
      {fanNotice ? (
        <p className="rounded-xl bg-pink-50 px-4 py-3 text-sm font-semibold text-pink-900" role="status" data-testid="fan-lapse-notice">
          {fanNotice}
        </p>
      ) : null}
      <LiveRoom
        streamId={stream.id}
        creatorName={stream.creatorName}
        title={stream.title}
        live={stream.status === "LIVE"}
        goalCoins={stream.goalCoins === null ? null : String(stream.goalCoins)}
        coinsReceived={String(stream.coinsReceived)}
        lastEventId={recent.at(-1)?.id ?? "0"}
        initialChat={chatLinesFrom(recent)}
        initialLeaders={toProp(leaders)}
        weekLeaders={toProp(rankings.thisWeek)}
        allTimeLeaders={toProp(rankings.allTime)}
        viewer={{ userId: user?.id ?? null, balance: String(balance), canGift: reason === null, reason, signedIn: Boolean(user) }}
        initialMatch={match}
        owner={owner ? { creatorId: stream.creatorId, matchOptIn } : null}
        treasure={{
          userId: user?.id ?? null,
          boxes: treasureBoxes,
          joined: treasureJoined,
          refusal: treasureRefused,
          minSeconds: setting("TREASURE_MIN_SECONDS"),
        }}
      />
    </div>
  );
}
