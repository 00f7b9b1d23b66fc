"use client";

import Image from "next/image";
import { formatCoins } from "@/lib/economy";
import type { ChatLine, Combo, LevelUp, Spotlight } from "@/lib/live/room-state";
import { BadgedName, GifterBadge } from "./Badges";
import type { LiveConnection } from "./useLiveEvents";

interface Props {
  creatorName: string;
  title: string;
  ended: boolean;
  viewers: number;
  received: bigint;
  goal: bigint | null;
  goalPercent: number | null;
  combos: readonly Combo[];
  spotlight: Spotlight | null;
  /** Someone just reached a new gifter level in this LIVE. */
  levelUp: LevelUp | null;
  chat: readonly ChatLine[];
  connection: LiveConnection;
  /** The last gift failure, shown over the stage so it is seen whatever is open. */
  notice: string | null;
  onDismissNotice: () => void;
  /** On a phone the gift sheet covers the lower stage: combos move up above it. */
  sheetOpen: boolean;
  /** During a LIVE Match on a phone: the other creator's half of the stage. */
  split?: React.ReactNode;
  /** The bar at the bottom of the stage (chat box, gift button). */
  children?: React.ReactNode;
}

const CONNECTION_TEXT: Record<LiveConnection, string | null> = {
  connecting: null,
  open: null,
  reconnecting: "Reconnecting…",
  gone: "This stream is no longer available.",
};

/** The stream itself: video, creator, viewers, goal, gift combos and spotlight, chat over the video. */
export function Stage(props: Props) {
  const connectionText = CONNECTION_TEXT[props.connection];
  return (
    <section
      aria-label="Live stream"
      className="relative mx-auto aspect-[9/16] max-h-[calc(100dvh-6rem)] w-full max-w-[420px] overflow-hidden rounded-3xl bg-ink text-white shadow-xl"
    >
      <Image src="/stage/stream-loop.svg" alt="" fill priority unoptimized className="object-cover" />
      {props.split}
      <div className="absolute inset-x-0 top-0 flex items-center gap-2 bg-gradient-to-b from-black/70 to-transparent p-3">
        <span className="rounded bg-brand-dark px-2 py-0.5 text-xs font-bold">{props.ended ? "ENDED" : "LIVE"}</span>
        <div className="min-w-0">
          <h1 className="truncate text-base font-bold">{props.creatorName}</h1>
          <p className="truncate text-xs text-white/85">{props.title}</p>
        </div>
        <span className="ml-auto rounded-full bg-black/60 px-2 py-0.5 text-xs" data-testid="viewer-count" aria-label={`${props.viewers} watching`}>
          👁 {props.viewers}
        </span>
      </div>

      <div className="absolute inset-x-3 top-16 flex flex-col gap-2">
        {props.goal !== null ? (
          <div className="rounded-full bg-black/60 p-1 text-xs" aria-label={`LIVE goal: ${formatCoins(props.received)} of ${formatCoins(props.goal)} coins`}>
            <div className="h-2 rounded-full bg-white/25">
              <div className="h-2 rounded-full bg-accent transition-all" style={{ width: `${props.goalPercent ?? 0}%` }} />
            </div>
            <p className="mt-0.5 text-center" data-testid="goal-progress">
              Goal {formatCoins(props.received)} / {formatCoins(props.goal)}
            </p>
          </div>
        ) : null}
        <div role="status" className="self-center">
          {connectionText ? (
            <p className="flex items-center gap-2 rounded-full bg-black/75 px-3 py-1 text-xs font-semibold" data-testid="live-connection">
              {props.connection === "reconnecting" ? <span aria-hidden="true" className="size-2 animate-pulse rounded-full bg-amber-300" /> : null}
              {connectionText}
            </p>
          ) : null}
        </div>
        <div aria-live="assertive" className="self-stretch">
          {props.notice ? (
            <div className="flex items-start gap-2 rounded-xl bg-white px-3 py-2 text-sm font-medium text-brand-dark shadow-lg" data-testid="gift-notice">
              <p className="flex-1">{props.notice}</p>
              <button type="button" onClick={props.onDismissNotice} className="rounded-full px-2 font-bold text-ink" aria-label="Dismiss message">
                ×
              </button>
            </div>
          ) : null}
        </div>
      </div>

      <ol
        className={`absolute left-2 flex flex-col gap-1.5 ${props.sheetOpen ? "top-40 lg:top-auto lg:bottom-44" : "bottom-44"}`}
        aria-live="polite"
        aria-label="Gifts"
      >
        {props.combos.map((combo) => (
          <li key={combo.id} className="gift-pop flex items-center gap-2 rounded-full bg-black/65 py-1 pr-3 pl-1" data-testid="gift-combo">
            <Image src={combo.gift.art} alt="" width={32} height={32} unoptimized />
            <span className="text-xs">
              <BadgedName name={combo.userName} level={combo.level} fan={combo.fan} /> sent {combo.gift.name}
            </span>
            <span key={combo.count} className="combo-bump text-lg font-extrabold text-amber-300" data-testid="combo-count">
              ×{combo.count}
            </span>
          </li>
        ))}
      </ol>

      {props.levelUp ? (
        <p
          key={props.levelUp.id}
          className="gift-pop absolute inset-x-6 top-28 flex items-center justify-center gap-1.5 rounded-full bg-black/75 px-3 py-1.5 text-center text-sm font-bold"
          data-testid="level-up"
        >
          <span aria-hidden="true">🎉</span>
          <span className="min-w-0 truncate">{props.levelUp.name}</span> reached <GifterBadge level={props.levelUp.level} />
          <span className="sr-only">(gifter level {props.levelUp.level})</span>
        </p>
      ) : null}

      {props.spotlight ? (
        <div
          key={props.spotlight.id}
          className={`pointer-events-none absolute inset-0 grid place-items-center ${props.spotlight.gift.tier === "fullscreen" ? "bg-black/45" : ""}`}
          data-testid="gift-spotlight"
        >
          <div className="flex flex-col items-center text-center">
            <div className={props.spotlight.gift.tier === "fullscreen" ? "gift-fullscreen" : "gift-medium"}>
              <Image
                src={props.spotlight.gift.art}
                alt=""
                width={props.spotlight.gift.tier === "fullscreen" ? 220 : 120}
                height={props.spotlight.gift.tier === "fullscreen" ? 220 : 120}
                unoptimized
              />
            </div>
            <p className="gift-caption mt-2 rounded-full bg-black/75 px-3 py-1 text-lg font-extrabold">
              {props.spotlight.userName} sent {props.spotlight.gift.name}!
            </p>
          </div>
        </div>
      ) : null}

      <div className="absolute inset-x-0 bottom-0 bg-gradient-to-t from-black/85 via-black/60 to-transparent px-3 pt-8 pb-3">
        <div className="max-h-32 overflow-y-auto text-sm" aria-label="Chat" role="log" tabIndex={0}>
          {props.chat.map((m) =>
            m.notice === "level" ? (
              <p key={m.id} className="font-semibold text-amber-200 drop-shadow" data-testid="chat-level-up">
                <span aria-hidden="true">🎉 </span>
                <BadgedName name={m.name} level={m.level} fan={m.fan} className="font-bold" /> {m.body}
              </p>
            ) : m.notice === "fan" ? (
              <p key={m.id} className="font-semibold text-pink-200 drop-shadow" data-testid="chat-fan-notice">
                <span aria-hidden="true">♥ </span>
                <BadgedName name={m.name} level={m.level} fan={m.fan} className="font-bold" /> {m.body}
              </p>
            ) : (
              <p key={m.id} className="drop-shadow" data-testid="chat-line">
                <BadgedName name={m.name} level={m.level} fan={m.fan} className="font-bold text-accent" /> {m.body}
              </p>
            ),
          )}
        </div>
        {props.children ? <div className="mt-2 flex items-start gap-2">{props.children}</div> : null}
      </div>
    </section>
  );
}
