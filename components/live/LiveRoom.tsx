"use client";

import { useCallback, useEffect, useMemo, useReducer, useRef, useState } from "react";
import { reportGiftBalance, useCoinBalance } from "@/components/layout/balance-store";
import { needsConfirmation, type Gift } from "@/lib/economy";
import type { MatchView } from "@/lib/live/match-view";
import type { TreasureInit } from "@/lib/live/treasure-view";
import { goalPercent, initialRoomState, nextExpiry, roomReducer, visibleCombos, type ChatLine, type LeaderRowInput } from "@/lib/live/room-state";
import { ChatForm } from "./ChatForm";
import { ConfirmGiftDialog, RechargeDialog } from "./Dialog";
import { GIFT_PANEL_ID, GiftPanel } from "./GiftPanel";
import { rankRows } from "./Leaderboard";
import { LeaderTabs } from "./LeaderTabs";
import { MatchBoard, matchShown, OpponentHalf, OpponentStage } from "./MatchBoard";
import { MatchPanel } from "./MatchPanel";
import { createTapSender } from "./send-gift";
import { Stage } from "./Stage";
import { TreasureBox } from "./TreasureBox";
import { useLiveEvents, type LiveMessage } from "./useLiveEvents";
import { useSecondClock } from "./useSecondClock";

interface Props {
  streamId: string;
  creatorName: string;
  title: string;
  live: boolean;
  goalCoins: string | null;
  coinsReceived: string;
  lastEventId: string | null;
  initialChat: ChatLine[];
  /** Top gifters of this LIVE, of the creator this week and all time (keys match live events' userId). */
  initialLeaders: LeaderRowInput[];
  weekLeaders: LeaderRowInput[];
  allTimeLeaders: LeaderRowInput[];
  viewer: { userId: string | null; balance: string; canGift: boolean; reason: string | null; signedIn: boolean };
  /** The stream's LIVE Match as the page was rendered (open, or ended lately). */
  initialMatch: MatchView | null;
  /** Set when the signed-in person is this stream's creator: their LIVE Match controls. */
  owner: { creatorId: string; matchOptIn: boolean } | null;
  /** The stream's treasure boxes and what this person may do with them. */
  treasure?: TreasureInit;
}

/** The stream page: the stage, the gift panel (a bottom sheet on a phone), chat and leaderboards, live. */
export function LiveRoom(props: Props) {
  const [room, dispatch] = useReducer(roomReducer, props, (p: Props) =>
    initialRoomState({
      coinsReceived: p.coinsReceived,
      goalCoins: p.goalCoins,
      live: p.live,
      lastEventId: p.lastEventId,
      chat: p.initialChat,
      leaders: { live: p.initialLeaders, week: p.weekLeaders, allTime: p.allTimeLeaders },
      match: p.initialMatch,
    }),
  );
  const onMessage = useCallback((message: LiveMessage) => {
    switch (message.type) {
      case "viewers":
        return dispatch({ type: "viewers", viewers: message.viewers });
      case "match-state":
        return dispatch({ type: "match-state", match: message.match });
      case "score":
        return dispatch({ type: "score", score: message.score });
      case "match":
        return dispatch({ type: "match", event: message.event, match: message.match, now: Date.now() });
      default:
        return dispatch({ type: message.type, event: message.event, now: Date.now() });
    }
  }, []);
  const onMatch = useCallback((match: MatchView) => dispatch({ type: "match-state", match }), []);
  const connection = useLiveEvents(props.streamId, { after: props.lastEventId ?? "0", enabled: !room.ended, onMessage });

  // Combos and the spotlight fade on time.
  const expiry = nextExpiry(room);
  useEffect(() => {
    if (expiry === null) return;
    const timer = setTimeout(() => dispatch({ type: "tick", now: Date.now() }), Math.max(0, expiry - Date.now()));
    return () => clearTimeout(timer);
  }, [expiry]);

  const balance = useCoinBalance(props.viewer.userId, props.viewer.balance);
  const [notice, setNotice] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<Gift | null>(null);
  const [rechargeFor, setRechargeFor] = useState<Gift | null>(null);
  const [sending, setSending] = useState(0);
  const [sheetOpen, setSheetOpen] = useState(false);
  const giftButton = useRef<HTMLButtonElement>(null);

  // Taps made while one is in flight go together in the next request (one key each).
  const tapSender = useMemo(() => createTapSender(props.streamId), [props.streamId]);

  async function send(gift: Gift) {
    setConfirming(null);
    setNotice(null);
    setSending((n) => n + 1);
    const result = await tapSender.send(gift.id);
    setSending((n) => n - 1);
    if (result.ok) {
      if (props.viewer.userId) reportGiftBalance(props.viewer.userId, result.balance);
    } else if (result.code === "INSUFFICIENT_COINS") {
      setRechargeFor(gift);
    } else {
      if (result.cause !== undefined) console.error(`Gift ${gift.id} to stream ${props.streamId} failed (${result.code}):`, result.cause);
      setNotice(result.message);
    }
  }

  function tap(gift: Gift) {
    if (needsConfirmation(gift)) setConfirming(gift);
    else void send(gift);
  }

  function openSheet() {
    setSheetOpen(true);
    window.scrollTo({ top: 0 });
  }

  function closeSheet() {
    setSheetOpen(false);
    giftButton.current?.focus();
  }

  // The match shows while it runs and, after its end, for a while (or until dismissed).
  const [dismissedMatch, setDismissedMatch] = useState<string | null>(null);
  const matchOn = room.match?.status === "ACTIVE" || room.match?.status === "ENDED";
  const now = useSecondClock(matchOn);
  const match = matchShown(room.match, now, dismissedMatch) ? room.match : null;
  const opponent = match ? (match.b.streamId === props.streamId ? match.a : match.b) : null;

  const canGift = props.viewer.canGift && !room.ended;
  const stage = (
    <Stage
      creatorName={props.creatorName}
      title={props.title}
      ended={room.ended}
      viewers={room.viewers}
      received={room.received}
      goal={room.goal}
      goalPercent={goalPercent(room)}
      combos={visibleCombos(room)}
      spotlight={room.spotlight}
      levelUp={room.levelUp}
      chat={room.chat}
      connection={connection}
      notice={notice}
      onDismissNotice={() => setNotice(null)}
      sheetOpen={sheetOpen}
      split={opponent ? <OpponentHalf side={opponent} /> : null}
    >
      {props.viewer.signedIn && !room.ended ? <ChatForm streamId={props.streamId} /> : <div className="flex-1" />}
      <button
        ref={giftButton}
        type="button"
        onClick={() => (sheetOpen ? closeSheet() : openSheet())}
        aria-expanded={sheetOpen}
        aria-controls={GIFT_PANEL_ID}
        className="flex shrink-0 items-center gap-1 rounded-full bg-brand-dark px-4 py-2 text-sm font-bold text-white lg:hidden"
      >
        <span aria-hidden="true">🎁</span> Gift
      </button>
    </Stage>
  );
  return (
    <div className={`grid gap-4 ${match ? "lg:grid-cols-[minmax(0,620px)_1fr]" : "lg:grid-cols-[minmax(0,420px)_1fr]"}`}>
      {/* One tree with or without a match, so the stage is not remounted when a match starts or ends. */}
      <div className="flex flex-col gap-3">
        {match ? <MatchBoard match={match} streamId={props.streamId} now={now} onDismiss={() => setDismissedMatch(match.id)} /> : null}
        <div className={match ? "lg:grid lg:grid-cols-2 lg:gap-3" : ""}>
          {stage}
          {opponent ? <OpponentStage side={opponent} className="hidden self-start lg:block" /> : null}
        </div>
      </div>

      <div className="flex flex-col gap-4">
        {props.owner && !room.ended ? (
          <MatchPanel streamId={props.streamId} creatorId={props.owner.creatorId} match={room.match} initialOptIn={props.owner.matchOptIn} onMatch={onMatch} />
        ) : null}
        {props.treasure ? <TreasureBox streamId={props.streamId} ended={room.ended} init={props.treasure} /> : null}
        {room.ended ? (
          <p className="rounded-xl bg-gray-200 px-4 py-3 font-semibold" role="status">
            This LIVE has ended.
          </p>
        ) : null}
        <GiftPanel
          streamId={props.streamId}
          canGift={canGift}
          reason={props.viewer.reason}
          signedIn={props.viewer.signedIn}
          balance={balance}
          sending={sending > 0}
          onTap={tap}
          open={sheetOpen}
          onClose={closeSheet}
        />
        <LeaderTabs
          creatorName={props.creatorName}
          tabs={[
            { id: "live", label: "This LIVE", rows: rankRows(room.leaders.live), empty: "No gifts yet. Be the first!", testId: "leaderboard" },
            {
              id: "week",
              label: "This week",
              rows: rankRows(room.leaders.week),
              empty: `No gifts to ${props.creatorName} yet this week.`,
              testId: "leaderboard-week",
            },
            {
              id: "all",
              label: "All time",
              rows: rankRows(room.leaders.allTime),
              empty: `No gifts to ${props.creatorName} yet.`,
              testId: "leaderboard-all-time",
            },
          ]}
        />
      </div>

      {confirming ? <ConfirmGiftDialog gift={confirming} onSend={() => void send(confirming)} onCancel={() => setConfirming(null)} /> : null}
      {rechargeFor ? <RechargeDialog gift={rechargeFor} balance={balance} streamId={props.streamId} onClose={() => setRechargeFor(null)} /> : null}
    </div>
  );
}
