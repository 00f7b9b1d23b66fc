"use client";

import Image from "next/image";
import Link from "next/link";
import { formatCoins } from "@/lib/economy";
import { formatCountdown, matchPhase, scoreShareBasisPoints, secondsLeft, type MatchSide } from "@/lib/economy/match";
import type { MatchSideView, MatchView } from "@/lib/live/match-view";
import { BadgedName } from "./Badges";

/** How long the result of a match stays on the page after its end, unless dismissed. */
export const MATCH_RESULT_MS = 120_000;

const points = (text: string): bigint => (/^\d{1,19}$/.test(text) ? BigInt(text) : 0n);

/** True while the page shows a match: running, or ended less than MATCH_RESULT_MS ago (browser clock) and not dismissed. */
export function matchShown(match: MatchView | null, now: number, dismissedId: string | null): match is MatchView {
  if (!match) return false;
  if (match.status === "ACTIVE") return true;
  if (match.status !== "ENDED" || match.id === dismissedId) return false;
  const endedAt = Date.parse(match.endedAt ?? "");
  return now === 0 || !Number.isFinite(endedAt) || now < endedAt + MATCH_RESULT_MS;
}

/** The result as one sentence, from nobody's side: who won, by forfeit, or a tie. */
export function resultText(match: MatchView): string {
  const winner = match.outcome === "A" ? match.a : match.outcome === "B" ? match.b : null;
  if (!winner) return "It's a tie!";
  const loser = winner === match.a ? match.b : match.a;
  return match.forfeitedBy ? `${winner.creatorName} wins by forfeit: ${loser.creatorName} ended their LIVE.` : `${winner.creatorName} wins!`;
}

interface Props {
  match: MatchView;
  /** The stream this page shows: its side is drawn on the left. */
  streamId: string;
  /** Browser clock (ms, whole seconds); 0 before the page runs in the browser. */
  now: number;
  onDismiss: () => void;
}

/** A LIVE Match over the stage(s): both creators, the countdown, the score bar, and at the end the result with each side's top gifters. */
export function MatchBoard({ match, streamId, now, onDismiss }: Props) {
  const mine: MatchSide = match.b.streamId === streamId ? "B" : "A";
  const left = mine === "A" ? match.a : match.b;
  const right = mine === "A" ? match.b : match.a;
  const leftSide: MatchSide = mine;
  const rightSide: MatchSide = mine === "A" ? "B" : "A";
  const scoreLeft = points(left.score);
  const scoreRight = points(right.score);
  const shareLeft = scoreShareBasisPoints(scoreLeft, scoreRight) / 100;
  const ended = match.status === "ENDED";
  const endsAt = Date.parse(match.endsAt ?? "");
  const phase = ended ? "over" : now === 0 ? "running" : matchPhase(now, endsAt);
  const final = !ended && phase !== "running";
  const countdown = now === 0 ? "–:––" : formatCountdown(secondsLeft(now, endsAt));
  const barLabel = `${left.creatorName} ${formatCoins(scoreLeft)} points, ${right.creatorName} ${formatCoins(scoreRight)} points`;
  const announcement = ended ? `LIVE Match over. ${resultText(match)} ${barLabel}.` : final ? "Last 30 seconds of the LIVE Match!" : "";

  return (
    <section aria-label="LIVE Match" data-testid="match-board" className={`rounded-2xl bg-ink p-3 text-white shadow ${final ? "ring-4 ring-amber-300" : ""}`}>
      <div className="flex items-center gap-2 text-sm">
        <span className="rounded bg-brand-dark px-2 py-0.5 text-xs font-extrabold tracking-wide">LIVE Match</span>
        <span className="min-w-0 flex-1 truncate font-semibold">
          {left.creatorName} <span className="text-white/85">vs</span> {right.creatorName}
        </span>
        {ended ? (
          <button type="button" onClick={onDismiss} className="rounded-full bg-white/15 px-3 py-1 text-xs font-bold" aria-label="Dismiss the match result">
            Close
          </button>
        ) : (
          <span
            className={`rounded-full px-2.5 py-0.5 font-mono text-base font-extrabold tabular-nums ${final ? "bg-amber-300 text-ink" : "bg-white/15"}`}
            data-testid="match-countdown"
            aria-label={`Time left ${countdown}`}
          >
            {countdown}
          </span>
        )}
      </div>

      <div className="mt-2 flex items-center gap-2 text-sm font-extrabold tabular-nums">
        <span data-testid={`match-score-${leftSide.toLowerCase()}`} className="min-w-12">
          {formatCoins(scoreLeft)}
        </span>
        <div role="img" aria-label={barLabel} className="flex h-3 flex-1 overflow-hidden rounded-full bg-white/20">
          <div className="h-full bg-brand transition-[width] duration-500" style={{ width: `${shareLeft}%` }} />
          <div className="h-full flex-1 bg-accent" />
        </div>
        <span data-testid={`match-score-${rightSide.toLowerCase()}`} className="min-w-12 text-right">
          {formatCoins(scoreRight)}
        </span>
      </div>
      {final ? <p className="mt-1 text-center text-xs font-bold text-amber-300">Final 30 seconds: every gift counts!</p> : null}
      <p className="sr-only" aria-live="polite">
        {announcement}
      </p>

      {ended ? (
        <div className="mt-3" data-testid="match-result-panel">
          <p className="text-center text-lg font-extrabold" data-testid="match-result">
            {resultText(match)}
          </p>
          <div className="mt-2 grid grid-cols-2 gap-3">
            <SideResult side={left} sideKey={leftSide} match={match} />
            <SideResult side={right} sideKey={rightSide} match={match} />
          </div>
        </div>
      ) : null}
    </section>
  );
}

function SideResult({ side, sideKey, match }: { side: MatchSideView; sideKey: MatchSide; match: MatchView }) {
  const verdict = match.outcome === "TIE" ? "Tie" : match.outcome === sideKey ? "Win" : "Loss";
  const tone = verdict === "Win" ? "bg-amber-300 text-ink" : verdict === "Loss" ? "bg-white/15 text-white" : "bg-accent text-ink";
  return (
    <div className="rounded-xl bg-white/10 p-2 text-sm">
      <p className="flex items-center gap-1.5">
        <span className={`rounded px-1.5 py-0.5 text-xs font-extrabold ${tone}`}>{verdict}</span>
        <span className="truncate font-bold">{side.creatorName}</span>
      </p>
      <p className="mt-0.5 text-xs text-white/85">
        {formatCoins(points(side.score))} points{match.forfeitedBy === sideKey ? " · forfeit" : ""}
      </p>
      {side.top.length ? (
        <ol className="mt-1.5 flex flex-col gap-1" aria-label={`Top gifters for ${side.creatorName}`}>
          {side.top.map((g, i) => (
            <li key={`${i}:${g.name}`} className="flex items-center gap-1.5 text-xs" data-testid={i === 0 ? `match-mvp-${sideKey.toLowerCase()}` : undefined}>
              {i === 0 ? (
                <span className="rounded bg-brand-dark px-1 font-extrabold">MVP</span>
              ) : (
                <span className="w-6 text-center text-white/85">{i + 1}</span>
              )}
              <span className="flex min-w-0 flex-1">
                <BadgedName name={g.name} level={g.level} className="font-semibold" />
              </span>
              <span className="text-white/85 tabular-nums">🪙 {formatCoins(points(g.coins))}</span>
            </li>
          ))}
        </ol>
      ) : (
        <p className="mt-1.5 text-xs text-white/85">No gifts in this match.</p>
      )}
    </div>
  );
}

/** The other creator in the match, as the second stage on a wide screen: a link to their LIVE. */
export function OpponentStage({ side, className = "" }: { side: MatchSideView; className?: string }) {
  return (
    <section
      aria-label={`${side.creatorName}, the other side of the LIVE Match`}
      className={`relative aspect-[9/16] w-full overflow-hidden rounded-3xl bg-ink text-white shadow-xl ${className}`}
    >
      <Image src="/stage/stream-loop.svg" alt="" fill unoptimized className="object-cover hue-rotate-180" />
      <div className="absolute inset-x-0 top-0 flex items-center gap-2 bg-gradient-to-b from-black/70 to-transparent p-3">
        <span className="rounded bg-accent px-2 py-0.5 text-xs font-bold text-ink">LIVE</span>
        <p className="min-w-0 truncate text-base font-bold" data-testid="match-opponent-name">
          {side.creatorName}
        </p>
      </div>
      <div className="absolute inset-x-0 bottom-0 bg-gradient-to-t from-black/85 to-transparent p-4">
        <Link href={`/live/${side.streamId}`} className="block rounded-full bg-white px-4 py-2 text-center text-sm font-bold text-ink">
          Watch {side.creatorName}&rsquo;s LIVE
        </Link>
      </div>
    </section>
  );
}

/** On a phone the stage is split in two: the other creator's half, a link to their LIVE. */
export function OpponentHalf({ side }: { side: MatchSideView }) {
  return (
    <Link
      href={`/live/${side.streamId}`}
      className="absolute inset-y-0 right-0 w-1/2 overflow-hidden border-l-2 border-white/80 lg:hidden"
      aria-label={`Watch ${side.creatorName}’s LIVE`}
    >
      <Image src="/stage/stream-loop.svg" alt="" fill unoptimized className="object-cover object-right hue-rotate-180" />
      <span className="absolute inset-x-2 top-1/3 truncate rounded-full bg-black/65 px-2 py-1 text-center text-xs font-bold">{side.creatorName} ›</span>
    </Link>
  );
}
