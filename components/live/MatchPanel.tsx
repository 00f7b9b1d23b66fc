"use client";

import { useCallback, useEffect, useState } from "react";
import {
  answerMatchAction,
  inviteRandomToMatchAction,
  inviteToMatchAction,
  listMatchOpponentsAction,
  setMatchOptInAction,
  withdrawMatchInvitationAction,
  type MatchActionState,
  type MatchOpponent,
} from "@/app/actions/match";
import { secondsLeft } from "@/lib/economy/match";
import type { MatchView } from "@/lib/live/match-view";
import { useSecondClock } from "./useSecondClock";

/** How often the list of creators to invite is refreshed while it is shown. */
const REFRESH_MS = 10_000;
const FAILED = "Something went wrong on our side. Check your connection and try again.";

interface Props {
  streamId: string;
  creatorId: string;
  /** The stream's match, as the page's live events keep it. */
  match: MatchView | null;
  initialOptIn: boolean;
  /** A match an action returned: the page shows it at once (its live event follows). */
  onMatch: (match: MatchView) => void;
}

const CLOSED_TEXT: Partial<Record<MatchView["status"], (other: string, mine: boolean) => string>> = {
  DECLINED: (other, mine) => (mine ? `${other} declined your invitation.` : `You declined ${other}'s invitation.`),
  EXPIRED: (other, mine) => (mine ? `${other} did not answer in time.` : `${other}'s invitation lapsed.`),
  CANCELLED: (other, mine) => (mine ? "Your invitation was withdrawn." : `${other} withdrew the invitation.`),
};

const stateKey = (match: MatchView) => `${match.id}:${match.rev}`;

/** The creator's LIVE Match controls on their own stream page: invite, answer, withdraw, opt in to random matches. */
export function MatchPanel({ streamId, creatorId, match, initialOptIn, onMatch }: Props) {
  const [opponents, setOpponents] = useState<MatchOpponent[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  /** The last success said, with the match state it was about (it gives way once that match moves on). */
  const [note, setNote] = useState<{ text: string; about: string | null } | null>(null);
  const [pending, setPending] = useState(false);
  const [optIn, setOptIn] = useState(initialOptIn);
  const [loading, setLoading] = useState(false);

  const invitation = match?.status === "INVITED" ? match : null;
  const running = match?.status === "ACTIVE" ? match : null;
  const now = useSecondClock(invitation !== null);
  const showList = !invitation && !running;

  const refresh = useCallback(async () => {
    setLoading(true);
    try {
      const result = await listMatchOpponentsAction();
      if (result.ok) setOpponents(result.opponents ?? []);
      else setError(result.message ?? FAILED);
    } catch (cause) {
      console.error(`LIVE Match: the list of creators to invite could not be loaded (stream ${streamId}):`, cause);
      setError(FAILED);
    } finally {
      setLoading(false);
    }
  }, [streamId]);

  useEffect(() => {
    if (!showList) return;
    const first = setTimeout(() => void refresh(), 0);
    const timer = setInterval(() => void refresh(), REFRESH_MS);
    return () => {
      clearTimeout(first);
      clearInterval(timer);
    };
  }, [showList, refresh]);

  async function run(what: string, step: () => Promise<MatchActionState>) {
    setPending(true);
    setError(null);
    setNote(null);
    try {
      const result = await step();
      if (result.match) onMatch(result.match);
      if (result.ok && result.message) setNote({ text: result.message, about: result.match ? stateKey(result.match) : null });
      else if (!result.ok) setError(result.message ?? FAILED);
    } catch (cause) {
      console.error(`LIVE Match: ${what} failed (stream ${streamId}):`, cause);
      setError(FAILED);
    } finally {
      setPending(false);
    }
  }

  async function toggleOptIn(next: boolean) {
    setOptIn(next);
    setPending(true);
    setError(null);
    try {
      const result = await setMatchOptInAction(next);
      if (result.ok) setNote(result.message ? { text: result.message, about: null } : null);
      else {
        setOptIn(!next);
        setError(result.message ?? FAILED);
      }
    } catch (cause) {
      console.error(`LIVE Match: saving the random-match choice failed (stream ${streamId}):`, cause);
      setOptIn(!next);
      setError(FAILED);
    } finally {
      setPending(false);
    }
  }

  const other = match ? (match.a.creatorId === creatorId ? match.b : match.a) : null;
  const iInvited = match?.a.creatorId === creatorId;
  const closedText = match && other ? CLOSED_TEXT[match.status]?.(other.creatorName, iInvited) : undefined;
  const left = invitation && now ? secondsLeft(now, Date.parse(invitation.expiresAt)) : null;

  return (
    <section className="rounded-2xl bg-white p-4 shadow-sm" aria-labelledby="match-panel-heading" data-testid="match-panel">
      <h2 id="match-panel-heading" className="text-lg font-bold">
        LIVE Match
      </h2>

      <div role="alert" className="mt-2 rounded-xl bg-red-50 px-3 py-2 text-sm font-medium text-red-900 empty:hidden">
        {error}
      </div>
      <p role="status" className="mt-2 text-sm text-muted empty:hidden">
        {note && (note.about === null || (match && note.about === stateKey(match))) ? note.text : showList ? closedText : null}
      </p>

      {invitation && iInvited && other ? (
        <div className="mt-2 flex flex-wrap items-center gap-3" data-testid="match-waiting">
          <p className="flex-1 font-semibold">
            Waiting for {other.creatorName}… <span className="text-muted tabular-nums">{left === null ? "" : `${left} s`}</span>
          </p>
          <button
            type="button"
            disabled={pending}
            onClick={() => void run("withdrawing the invitation", () => withdrawMatchInvitationAction(invitation.id))}
            className="rounded-full border border-gray-400 px-4 py-2 text-sm font-semibold disabled:opacity-60"
          >
            Withdraw
          </button>
        </div>
      ) : null}

      {invitation && !iInvited && other ? (
        <div className="mt-2 rounded-xl bg-amber-50 p-3" data-testid="match-invitation">
          <p className="font-semibold">
            {other.creatorName} invites you to a LIVE Match <span className="text-muted tabular-nums">{left === null ? "" : `· ${left} s to answer`}</span>
          </p>
          <div className="mt-2 flex gap-2">
            <button
              type="button"
              disabled={pending}
              onClick={() => void run("accepting the invitation", () => answerMatchAction(invitation.id, true))}
              className="rounded-full bg-brand-dark px-5 py-2 text-sm font-bold text-white disabled:opacity-60"
            >
              Accept
            </button>
            <button
              type="button"
              disabled={pending}
              onClick={() => void run("declining the invitation", () => answerMatchAction(invitation.id, false))}
              className="rounded-full border border-gray-400 px-5 py-2 text-sm font-semibold disabled:opacity-60"
            >
              Decline
            </button>
          </div>
        </div>
      ) : null}

      {running && other ? (
        <p className="mt-2 text-sm font-semibold">You are in a LIVE Match with {other.creatorName}. Gifts to you score for your side.</p>
      ) : null}

      {showList ? (
        <div className="mt-2 flex flex-col gap-3">
          <div className="flex flex-wrap items-center gap-2">
            <button
              type="button"
              disabled={pending}
              onClick={() => void run("inviting a random opponent", () => inviteRandomToMatchAction())}
              className="rounded-full bg-brand-dark px-4 py-2 text-sm font-bold text-white disabled:opacity-60"
            >
              Random opponent
            </button>
            <button
              type="button"
              disabled={loading}
              onClick={() => void refresh()}
              className="rounded-full border border-gray-400 px-4 py-2 text-sm font-semibold disabled:opacity-60"
            >
              {loading ? "Refreshing…" : "Refresh"}
            </button>
          </div>
          <label className="flex items-center gap-2 text-sm">
            <input type="checkbox" checked={optIn} disabled={pending} onChange={(e) => void toggleOptIn(e.target.checked)} className="size-4" />
            Accept random matches
          </label>
          {opponents === null ? (
            <p className="text-sm text-muted">Looking for live creators…</p>
          ) : opponents.length === 0 ? (
            <p className="text-sm text-muted">No other creator is live right now.</p>
          ) : (
            <ul className="flex flex-col divide-y divide-gray-100" aria-label="Live creators you can invite">
              {opponents.map((o) => (
                <li key={o.creatorId} className="flex items-center gap-2 py-2">
                  <div className="min-w-0 flex-1">
                    <p className="truncate font-semibold">{o.name}</p>
                    <p className="truncate text-xs text-muted">{o.busy ? "in a match" : o.title}</p>
                  </div>
                  <button
                    type="button"
                    disabled={pending || o.busy}
                    onClick={() => void run(`inviting ${o.name}`, () => inviteToMatchAction(o.creatorId))}
                    className="rounded-full bg-ink px-4 py-1.5 text-sm font-bold text-white disabled:bg-gray-300 disabled:text-gray-700"
                    aria-label={o.busy ? `Invite ${o.name} (in a match)` : `Invite ${o.name}`}
                  >
                    Invite
                  </button>
                </li>
              ))}
            </ul>
          )}
        </div>
      ) : null}
    </section>
  );
}
