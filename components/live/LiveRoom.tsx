"use client";

import Image from "next/image";
import Link from "next/link";
import { useActionState, useEffect, useRef, useState } from "react";
import { sendChatAction, sendGiftAction } from "@/app/actions/live";
import { formatCoins, formatDiamonds, GIFTS, needsConfirmation, type Gift } from "@/lib/economy";
import type { LiveEvent } from "@/lib/live/events";
import { ANONYMOUS_NAME } from "@/lib/live/periods";
import { Leaderboard, rankRows } from "./Leaderboard";

const STREAK_WINDOW_MS = 3_000;
const GIFT_BY_ID = new Map(GIFTS.map((g) => [g.id, g]));

interface Props {
  streamId: string;
  creatorName: string;
  title: string;
  live: boolean;
  goalCoins: string | null;
  coinsReceived: string;
  lastEventId: string | null;
  initialChat: Array<{ id: string; name: string; body: string }>;
  /** Top gifters of this LIVE, of the creator this week and all time (keys match live events' userId). */
  initialLeaders: LeaderProp[];
  weekLeaders: LeaderProp[];
  allTimeLeaders: LeaderProp[];
  viewer: { balance: string; canGift: boolean; reason: string | null; signedIn: boolean } ;
}

type LeaderProp = { key: string; name: string; coins: string };
type LeaderMap = Map<string, { name: string; coins: bigint }>;

const toMap = (rows: LeaderProp[]): LeaderMap => new Map(rows.map((l) => [l.key, { name: l.name, coins: BigInt(l.coins) }]));

function addGift(current: LeaderMap, key: string, name: string, coins: bigint): LeaderMap {
  const next = new Map(current);
  next.set(key, { name, coins: (current.get(key)?.coins ?? 0n) + coins });
  return next;
}

interface Combo {
  key: string;
  userName: string;
  gift: Gift;
  count: number;
  lastAt: number;
}

export function LiveRoom(props: Props) {
  const [viewers, setViewers] = useState(0);
  const [live, setLive] = useState(props.live);
  const [received, setReceived] = useState(BigInt(props.coinsReceived));
  const [chat, setChat] = useState(props.initialChat);
  const [leaders, setLeaders] = useState(() => toMap(props.initialLeaders));
  const [weekLeaders, setWeekLeaders] = useState(() => toMap(props.weekLeaders));
  const [allTimeLeaders, setAllTimeLeaders] = useState(() => toMap(props.allTimeLeaders));
  const [combos, setCombos] = useState<Combo[]>([]);
  const [spotlight, setSpotlight] = useState<{ gift: Gift; userName: string; id: string } | null>(null);
  const [balance, setBalance] = useState(BigInt(props.viewer.balance));
  const [notice, setNotice] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<Gift | null>(null);
  const [rechargeFor, setRechargeFor] = useState<Gift | null>(null);
  const seen = useRef(new Set<string>());

  useEffect(() => {
    const url = `/api/streams/${props.streamId}/events${props.lastEventId ? `?after=${props.lastEventId}` : ""}`;
    const source = new EventSource(url);
    const onGift = (message: MessageEvent<string>) => {
      const event = JSON.parse(message.data) as LiveEvent;
      if (seen.current.has(event.id)) return; // each gift is counted once, whatever the connection does
      seen.current.add(event.id);
      const gift = GIFT_BY_ID.get(event.giftId ?? "");
      if (!gift) return;
      const coins = BigInt(event.coins ?? "0");
      const name = event.userName ?? ANONYMOUS_NAME;
      const key = event.userId ?? "";
      setReceived((r) => r + coins);
      setLeaders((current) => addGift(current, key, name, coins));
      setWeekLeaders((current) => addGift(current, key, name, coins));
      setAllTimeLeaders((current) => addGift(current, key, name, coins));
      const now = Date.now();
      setCombos((current) => {
        const key = `${event.userId}:${gift.id}`;
        const existing = current.find((c) => c.key === key && gift.streakable && now - c.lastAt < STREAK_WINDOW_MS);
        const rest = current.filter((c) => now - c.lastAt < STREAK_WINDOW_MS && c !== existing);
        const combo = existing ? { ...existing, count: existing.count + 1, lastAt: now } : { key, userName: name, gift, count: 1, lastAt: now };
        return [combo, ...rest].slice(0, 4);
      });
      if (gift.tier !== "small") setSpotlight({ gift, userName: name, id: event.id });
    };
    const onChat = (message: MessageEvent<string>) => {
      const event = JSON.parse(message.data) as LiveEvent;
      if (seen.current.has(event.id)) return;
      seen.current.add(event.id);
      setChat((c) => [...c.slice(-49), { id: event.id, name: event.userName ?? "Someone", body: event.body ?? "" }]);
    };
    source.addEventListener("gift", onGift as EventListener);
    source.addEventListener("chat", onChat as EventListener);
    source.addEventListener("viewers", ((m: MessageEvent<string>) => setViewers(JSON.parse(m.data).viewers)) as EventListener);
    source.addEventListener("ended", () => setLive(false));
    return () => source.close();
  }, [props.streamId, props.lastEventId]);

  // Combos fade after the streak window.
  useEffect(() => {
    if (!combos.length) return;
    const timer = setTimeout(() => setCombos((c) => c.filter((x) => Date.now() - x.lastAt < STREAK_WINDOW_MS)), STREAK_WINDOW_MS);
    return () => clearTimeout(timer);
  }, [combos]);

  useEffect(() => {
    if (!spotlight) return;
    const timer = setTimeout(() => setSpotlight(null), spotlight.gift.tier === "fullscreen" ? 3_500 : 2_000);
    return () => clearTimeout(timer);
  }, [spotlight]);

  async function send(gift: Gift) {
    setConfirming(null);
    setNotice(null);
    const result = await sendGiftAction(props.streamId, gift.id, crypto.randomUUID());
    if (result.ok) {
      setBalance(BigInt(result.balance));
    } else if (result.code === "INSUFFICIENT_COINS") {
      setRechargeFor(gift);
    } else {
      setNotice(result.message);
    }
  }

  function tap(gift: Gift) {
    if (needsConfirmation(gift)) setConfirming(gift);
    else void send(gift);
  }

  const goal = props.goalCoins ? BigInt(props.goalCoins) : null;
  const goalPercent = goal ? Number(((received > goal ? goal : received) * 100n) / goal) : 0;

  return (
    <div className="grid gap-4 lg:grid-cols-[minmax(0,420px)_1fr]">
      <section aria-label="Live stream" className="relative mx-auto aspect-[9/16] w-full max-w-[420px] overflow-hidden rounded-3xl bg-ink text-white shadow-xl">
        <Image src="/stage/stream-loop.svg" alt="" fill priority unoptimized className="object-cover" />
        <div className="absolute inset-x-0 top-0 flex items-center gap-2 bg-gradient-to-b from-black/70 to-transparent p-3">
          <span className="rounded bg-brand-dark px-2 py-0.5 text-xs font-bold">{live ? "LIVE" : "ENDED"}</span>
          <div className="min-w-0">
            <h1 className="truncate text-base font-bold">{props.creatorName}</h1>
            <p className="truncate text-xs text-white/85">{props.title}</p>
          </div>
          <span className="ml-auto rounded-full bg-black/60 px-2 py-0.5 text-xs" data-testid="viewer-count" aria-label={`${viewers} watching`}>
            👁 {viewers}
          </span>
        </div>
        {goal ? (
          <div className="absolute inset-x-3 top-16 rounded-full bg-black/60 p-1 text-xs" aria-label={`LIVE goal: ${formatCoins(received)} of ${formatCoins(goal)} coins`}>
            <div className="h-2 rounded-full bg-white/25">
              <div className="h-2 rounded-full bg-accent transition-all" style={{ width: `${goalPercent}%` }} />
            </div>
            <p className="mt-0.5 text-center" data-testid="goal-progress">
              Goal {formatCoins(received)} / {formatCoins(goal)}
            </p>
          </div>
        ) : null}
        <ol className="absolute bottom-40 left-2 flex flex-col gap-1.5" aria-live="polite" aria-label="Gifts">
          {combos.map((combo) => (
            <li key={combo.key + combo.lastAt} className="gift-pop flex items-center gap-2 rounded-full bg-black/65 py-1 pl-1 pr-3" data-testid="gift-combo">
              <Image src={combo.gift.art} alt="" width={32} height={32} unoptimized />
              <span className="text-xs">
                <span className="font-bold">{combo.userName}</span> sent {combo.gift.name}
              </span>
              <span className="text-lg font-extrabold text-amber-300" data-testid="combo-count">×{combo.count}</span>
            </li>
          ))}
        </ol>
        {spotlight ? (
          <div
            key={spotlight.id}
            className={`pointer-events-none absolute inset-0 grid place-items-center ${spotlight.gift.tier === "fullscreen" ? "bg-black/45" : ""}`}
            data-testid="gift-spotlight"
          >
            <div className={spotlight.gift.tier === "fullscreen" ? "gift-fullscreen text-center" : "gift-medium text-center"}>
              <Image src={spotlight.gift.art} alt="" width={spotlight.gift.tier === "fullscreen" ? 220 : 120} height={spotlight.gift.tier === "fullscreen" ? 220 : 120} unoptimized />
              <p className="mt-2 text-lg font-extrabold drop-shadow">
                {spotlight.userName} sent {spotlight.gift.name}!
              </p>
            </div>
          </div>
        ) : null}
        <div className="absolute inset-x-0 bottom-0 max-h-36 overflow-y-auto bg-gradient-to-t from-black/80 to-transparent p-3 text-sm" aria-label="Chat" role="log">
          {chat.map((m) => (
            <p key={m.id}>
              <span className="font-bold text-accent">{m.name}</span> {m.body}
            </p>
          ))}
        </div>
      </section>

      <div className="flex flex-col gap-4">
        {!live ? (
          <p className="rounded-xl bg-gray-200 px-4 py-3 font-semibold" role="status">
            This LIVE has ended.
          </p>
        ) : null}
        <section aria-labelledby="gift-panel" className="rounded-2xl bg-white p-4 shadow-sm">
          <div className="flex items-center justify-between">
            <h2 id="gift-panel" className="font-bold">
              Send a gift
            </h2>
            {props.viewer.signedIn ? (
              <span className="text-sm font-semibold" data-testid="gift-balance">
                🪙 {formatCoins(balance)}
              </span>
            ) : null}
          </div>
          {props.viewer.canGift && live ? (
            <ul className="mt-3 grid grid-cols-4 gap-2 sm:grid-cols-5">
              {GIFTS.map((gift) => (
                <li key={gift.id}>
                  <button
                    type="button"
                    onClick={() => tap(gift)}
                    className="flex w-full flex-col items-center rounded-xl p-1.5 text-center hover:bg-gray-100"
                    aria-label={`Send ${gift.name} for ${formatCoins(gift.coins)} coins`}
                  >
                    <Image src={gift.art} alt="" width={44} height={44} unoptimized />
                    <span className="mt-0.5 text-[11px] leading-tight font-semibold">{gift.name}</span>
                    <span className="text-[11px] text-muted">🪙 {formatCoins(gift.coins)}</span>
                  </button>
                </li>
              ))}
            </ul>
          ) : (
            <p className="mt-2 text-sm text-muted">
              {props.viewer.reason ?? "Gifts can be sent while the creator is live."}{" "}
              {!props.viewer.signedIn ? (
                <Link className="font-semibold text-brand-dark underline" href={`/sign-in?callbackUrl=/live/${props.streamId}`}>
                  Sign in
                </Link>
              ) : null}
            </p>
          )}
          <p className="mt-2 text-xs text-muted">
            The creator receives about half of each gift&apos;s coins as diamonds (a 1-coin Rose gives {formatDiamonds(500n)} diamond).
          </p>
          <div aria-live="assertive">{notice ? <p className="mt-2 rounded-lg bg-red-50 px-3 py-2 text-sm font-medium text-brand-dark">{notice}</p> : null}</div>
        </section>

        {props.viewer.signedIn && live ? <ChatForm streamId={props.streamId} /> : null}

        <LeaderTabs
          creatorName={props.creatorName}
          tabs={[
            { id: "live", label: "This LIVE", rows: rankRows(leaders), empty: "No gifts yet. Be the first!", testId: "leaderboard" },
            { id: "week", label: "This week", rows: rankRows(weekLeaders), empty: `No gifts to ${props.creatorName} yet this week.`, testId: "leaderboard-week" },
            { id: "all", label: "All time", rows: rankRows(allTimeLeaders), empty: `No gifts to ${props.creatorName} yet.`, testId: "leaderboard-all-time" },
          ]}
        />
      </div>

      {confirming ? (
        <Dialog title={`Send ${confirming.name}?`} onClose={() => setConfirming(null)}>
          <p>
            This gift costs <strong>{formatCoins(confirming.coins)} coins</strong>. Gifts cannot be undone.
          </p>
          <div className="mt-4 flex gap-3">
            <button type="button" onClick={() => void send(confirming)} className="rounded-full bg-brand-dark px-5 py-2.5 font-semibold text-white">
              Send {confirming.name}
            </button>
            <button type="button" onClick={() => setConfirming(null)} className="rounded-full border border-gray-400 px-5 py-2.5 font-semibold">
              Cancel
            </button>
          </div>
        </Dialog>
      ) : null}
      {rechargeFor ? (
        <Dialog title="Not enough coins" onClose={() => setRechargeFor(null)}>
          <p>
            A {rechargeFor.name} costs {formatCoins(rechargeFor.coins)} coins and you have {formatCoins(balance)}. Recharge and you will come straight back to
            this LIVE.
          </p>
          <Link
            href={`/recharge?returnTo=${encodeURIComponent(`/live/${props.streamId}`)}`}
            className="mt-4 inline-block rounded-full bg-brand-dark px-5 py-2.5 font-semibold text-white"
          >
            Recharge coins
          </Link>
        </Dialog>
      ) : null}
    </div>
  );
}

interface LeaderTab {
  id: string;
  label: string;
  rows: ReturnType<typeof rankRows>;
  empty: string;
  testId: string;
}

/** Top gifters in tabs (WAI-ARIA tabs: arrow keys, Home and End move between them). */
function LeaderTabs({ tabs, creatorName }: { tabs: LeaderTab[]; creatorName: string }) {
  const [selected, setSelected] = useState(0);
  const buttons = useRef<Array<HTMLButtonElement | null>>([]);
  function onKeyDown(event: React.KeyboardEvent) {
    const last = tabs.length - 1;
    const next =
      event.key === "ArrowRight" ? (selected === last ? 0 : selected + 1)
      : event.key === "ArrowLeft" ? (selected === 0 ? last : selected - 1)
      : event.key === "Home" ? 0
      : event.key === "End" ? last
      : null;
    if (next === null) return;
    event.preventDefault();
    setSelected(next);
    buttons.current[next]?.focus();
  }
  return (
    <section aria-labelledby="leaders" className="rounded-2xl bg-white p-4 shadow-sm">
      <h2 id="leaders" className="font-bold">
        Top gifters
      </h2>
      <div role="tablist" aria-label={`Top gifters of ${creatorName}`} className="mt-2 flex gap-1 rounded-full bg-gray-100 p-1 text-sm" onKeyDown={onKeyDown}>
        {tabs.map((tab, index) => (
          <button
            key={tab.id}
            ref={(el) => {
              buttons.current[index] = el;
            }}
            type="button"
            role="tab"
            id={`leaders-tab-${tab.id}`}
            aria-controls={`leaders-panel-${tab.id}`}
            aria-selected={index === selected}
            tabIndex={index === selected ? 0 : -1}
            onClick={() => setSelected(index)}
            className={`flex-1 rounded-full px-3 py-1.5 font-semibold ${index === selected ? "bg-white shadow-sm" : "text-muted hover:text-ink"}`}
          >
            {tab.label}
          </button>
        ))}
      </div>
      {tabs.map((tab, index) => (
        <div key={tab.id} role="tabpanel" id={`leaders-panel-${tab.id}`} aria-labelledby={`leaders-tab-${tab.id}`} hidden={index !== selected} tabIndex={0}>
          <Leaderboard rows={tab.rows} empty={tab.empty} testId={tab.testId} />
        </div>
      ))}
      <p className="mt-2 text-xs text-muted">
        Weeks start on Monday 00:00 UTC. Prefer not to be listed by name?{" "}
        <Link href="/wallet#rankings" className="font-semibold text-brand-dark underline">
          Appear as anonymous
        </Link>
      </p>
    </section>
  );
}

function ChatForm({ streamId }: { streamId: string }) {
  const [state, action] = useActionState(sendChatAction.bind(null, streamId), {});
  return (
    <form action={action} className="flex gap-2" key={state.key}>
      <label htmlFor="chat-message" className="sr-only">
        Chat message
      </label>
      <input id="chat-message" name="message" maxLength={200} placeholder="Say something nice…" className="min-w-0 flex-1 rounded-full border border-gray-300 bg-white px-4 py-2" />
      <button type="submit" className="rounded-full bg-ink px-4 py-2 font-semibold text-white">
        Send
      </button>
      {state.message ? <p className="sr-only" role="status">{state.message}</p> : null}
    </form>
  );
}

function Dialog({ title, children, onClose }: { title: string; children: React.ReactNode; onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    ref.current?.showModal();
  }, []);
  return (
    <dialog ref={ref} onClose={onClose} aria-labelledby="dialog-title" className="m-auto w-[min(92vw,420px)] rounded-2xl p-5 shadow-2xl backdrop:bg-black/50">
      <h2 id="dialog-title" className="text-lg font-bold">
        {title}
      </h2>
      <div className="mt-2">{children}</div>
    </dialog>
  );
}
