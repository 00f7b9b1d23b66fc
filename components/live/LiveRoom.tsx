"use client";

import { useCallback, useEffect, useMemo, useReducer, useRef, useState } from "react";
import { reportGiftBalance, useCoinBalance } from "@/components/layout/balance-store";
import { needsConfirmation, type Gift } from "@/lib/economy";
import { goalPercent, initialRoomState, nextExpiry, roomReducer, visibleCombos, type ChatLine, type LeaderRowInput } from "@/lib/live/room-state";
import { ChatForm } from "./ChatForm";
import { ConfirmGiftDialog, RechargeDialog } from "./Dialog";
import { GIFT_PANEL_ID, GiftPanel } from "./GiftPanel";
import { rankRows } from "./Leaderboard";
import { LeaderTabs } from "./LeaderTabs";
import { createTapSender } from "./send-gift";
import { Stage } from "./Stage";
import { useLiveEvents, type LiveMessage } from "./useLiveEvents";

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
    }),
  );
  const onMessage = useCallback((message: LiveMessage) => {
    if (message.type === "viewers") dispatch({ type: "viewers", viewers: message.viewers });
    else dispatch({ type: message.type, event: message.event, now: Date.now() });
  }, []);
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

  const canGift = props.viewer.canGift && !room.ended;
  return (
    <div className="grid gap-4 lg:grid-cols-[minmax(0,420px)_1fr]">
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
        chat={room.chat}
        connection={connection}
        notice={notice}
        onDismissNotice={() => setNotice(null)}
        sheetOpen={sheetOpen}
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

      <div className="flex flex-col gap-4">
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
            { id: "week", label: "This week", rows: rankRows(room.leaders.week), empty: `No gifts to ${props.creatorName} yet this week.`, testId: "leaderboard-week" },
            { id: "all", label: "All time", rows: rankRows(room.leaders.allTime), empty: `No gifts to ${props.creatorName} yet.`, testId: "leaderboard-all-time" },
          ]}
        />
      </div>

      {confirming ? <ConfirmGiftDialog gift={confirming} onSend={() => void send(confirming)} onCancel={() => setConfirming(null)} /> : null}
      {rechargeFor ? <RechargeDialog gift={rechargeFor} balance={balance} streamId={props.streamId} onClose={() => setRechargeFor(null)} /> : null}
    </div>
  );
}
