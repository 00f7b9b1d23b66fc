"use client";

import { useEffect, useState, type FormEvent } from "react";
import { dropTreasureAction, joinTreasureAction, type TreasureActionState } from "@/app/actions/treasure";
import { reportGiftBalance } from "@/components/layout/balance-store";
import { describeSeconds, formatCoins, TREASURE_RULES, treasureCountdownChoices } from "@/lib/economy";
import { formatCountdown, secondsLeft } from "@/lib/economy/match";
import { mergeTreasureBoxes, shareOf, type TreasureInit, type TreasureView } from "@/lib/live/treasure-view";
import { BadgedName, FanBadge, GifterBadge } from "./Badges";
import { onTreasure } from "./treasure-events";
import { useSecondClock } from "./useSecondClock";

const FAILED = "Something went wrong on our side. Check your connection and try again.";

interface Props {
  streamId: string;
  /** The LIVE has ended: no more drops or joins (open boxes still open and pay). */
  ended: boolean;
  init: TreasureInit;
}

const coinsText = (coins: string) => formatCoins(BigInt(coins));

/** Treasure boxes in a LIVE: the drop form, each box with its countdown and Join button, and who won how much. */
export function TreasureBox({ streamId, ended, init }: Props) {
  const [boxes, setBoxes] = useState<readonly TreasureView[]>(init.boxes);
  const [joined, setJoined] = useState<ReadonlySet<string>>(() => new Set(init.joined));
  useEffect(() => onTreasure(streamId, (box) => setBoxes((current) => mergeTreasureBoxes(current, box))), [streamId]);
  const anyOpen = boxes.some((b) => b.status === "OPEN");
  const now = useSecondClock(anyOpen);
  const receive = (box: TreasureView) => setBoxes((current) => mergeTreasureBoxes(current, box));

  return (
    <section className="rounded-2xl bg-white p-4 shadow-sm" aria-labelledby="treasure-heading" data-testid="treasure-panel">
      <h2 id="treasure-heading" className="text-lg font-bold">
        <span aria-hidden="true">🎁 </span>Treasure boxes
      </h2>
      {boxes.length ? (
        <ul className="mt-3 flex flex-col gap-3">
          {boxes.map((box) => (
            <li key={box.id}>
              <BoxCard
                box={box}
                now={now}
                userId={init.userId}
                refusal={init.refusal}
                ended={ended}
                joined={joined.has(box.id)}
                onJoined={(next) => {
                  setJoined((set) => new Set([...set, box.id]));
                  receive(next);
                }}
              />
            </li>
          ))}
        </ul>
      ) : (
        <p className="mt-2 text-sm text-muted">No treasure box right now. Drop one and some of your fellow viewers will share its coins.</p>
      )}
      {ended ? null : <DropForm streamId={streamId} userId={init.userId} refusal={init.refusal} minSeconds={init.minSeconds} onDropped={receive} />}
    </section>
  );
}

function BoxCard(props: {
  box: TreasureView;
  now: number;
  userId: string | null;
  refusal: string | null;
  ended: boolean;
  joined: boolean;
  onJoined: (box: TreasureView) => void;
}) {
  const { box, now, userId } = props;
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const open = box.status === "OPEN";
  const left = now ? secondsLeft(now, Date.parse(box.opensAt)) : null;
  const mine = userId !== null && box.dropperId === userId;
  const reason =
    props.refusal ?? (mine ? "Your box: it is for your viewers." : props.ended ? "This LIVE has ended." : left === 0 ? "The countdown is over." : null);

  async function join() {
    setBusy(true);
    setMessage(null);
    try {
      const result = await joinTreasureAction(box.id);
      if (result.ok && result.box) props.onJoined(result.box);
      else setMessage(result.message ?? FAILED);
    } catch (cause) {
      console.error(`Treasure box: joining box ${box.id} failed:`, cause);
      setMessage(FAILED);
    } finally {
      setBusy(false);
    }
  }

  const won = shareOf(box, userId);
  return (
    <article
      className="rounded-xl border border-amber-300 bg-amber-50 p-3"
      aria-labelledby={`treasure-${box.id}-title`}
      data-testid="treasure-box"
      data-box-id={box.id}
      data-status={box.status}
    >
      <div className="flex flex-wrap items-center gap-1">
        <GifterBadge level={box.dropperBadges?.level} />
        <FanBadge fan={box.dropperBadges?.fan} />
        <h3 id={`treasure-${box.id}-title`} className="min-w-0 font-bold break-words">
          {box.dropperName}&rsquo;s treasure box
        </h3>
      </div>
      <p className="text-sm">
        <span data-testid="treasure-coins">{coinsText(box.coins)}</span> coins for up to {box.slots} {box.slots === 1 ? "winner" : "winners"} ·{" "}
        <span data-testid="treasure-entrants">{box.entrants}</span> joined
      </p>
      {open ? (
        <div className="mt-2 flex flex-col gap-2">
          <p className="text-sm font-semibold" role="timer" aria-live="off" data-testid="treasure-countdown">
            {left === null ? `Opens after ${describeSeconds(box.countdownSeconds)}` : left > 0 ? `Opens in ${formatCountdown(left)}` : "Opening…"}
          </p>
          {props.joined ? (
            <p className="rounded-lg bg-green-100 px-3 py-3 text-center font-bold text-green-900" data-testid="treasure-joined">
              You&rsquo;re in ✓ Good luck!
            </p>
          ) : (
            <>
              <button
                type="button"
                onClick={() => void join()}
                disabled={busy || reason !== null}
                aria-describedby={reason ? `treasure-${box.id}-reason` : undefined}
                className="w-full rounded-full bg-brand-dark px-4 py-3 text-lg font-bold text-white disabled:cursor-not-allowed disabled:bg-gray-500"
                data-testid="treasure-join"
              >
                {busy ? "Joining…" : "Join"}
              </button>
              {reason ? (
                <p id={`treasure-${box.id}-reason`} className="text-sm text-muted">
                  {reason}
                </p>
              ) : null}
            </>
          )}
          <div aria-live="polite" role="status">
            {message ? <p className="rounded-lg bg-red-50 px-3 py-2 text-sm font-medium text-brand-dark">{message}</p> : null}
          </div>
        </div>
      ) : null}
      <div aria-live="polite" role="status" data-testid="treasure-result">
        {box.status === "RETURNED" ? <p className="mt-2 text-sm font-semibold">Nobody joined — the coins went back to {box.dropperName}.</p> : null}
        {box.status === "OPENED" ? (
          <>
            {won ? (
              <p className="mt-2 rounded-lg bg-green-100 px-3 py-2 font-bold text-green-900" data-testid="treasure-my-win">
                You won {coinsText(won)} coins!
              </p>
            ) : null}
            <p className="mt-2 text-sm font-semibold">
              Opened: {box.winners.length} {box.winners.length === 1 ? "winner" : "winners"} shared {coinsText(box.coins)} coins
            </p>
            <ol className="mt-1 flex flex-col gap-1 text-sm">
              {[...box.winners]
                .sort((a, b) => (BigInt(b.coins) > BigInt(a.coins) ? 1 : BigInt(b.coins) < BigInt(a.coins) ? -1 : 0))
                .map((w) => (
                  <li
                    key={w.userId}
                    className={`flex justify-between gap-2 rounded px-2 py-1 ${w.userId === userId ? "bg-green-100 font-bold text-green-900" : "bg-white"}`}
                    data-testid="treasure-winner"
                    data-user-id={w.userId}
                    data-coins={w.coins}
                  >
                    <span className="flex min-w-0 items-center gap-1">
                      <BadgedName name={w.name} level={w.level} fan={w.fan} className="" />
                      {w.userId === userId ? <span className="shrink-0">(you)</span> : null}
                    </span>
                    <span className="shrink-0">{coinsText(w.coins)} coins</span>
                  </li>
                ))}
            </ol>
          </>
        ) : null}
      </div>
    </article>
  );
}

function DropForm(props: { streamId: string; userId: string | null; refusal: string | null; minSeconds: number; onDropped: (box: TreasureView) => void }) {
  const [shown, setShown] = useState(false);
  const [state, setState] = useState<TreasureActionState>({});
  const [pending, setPending] = useState(false);
  const [clientKey, setClientKey] = useState<string | null>(null);
  const choices = treasureCountdownChoices(props.minSeconds);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    // One key per drop: a retry after a lost answer finds the same box.
    const key = clientKey ?? crypto.randomUUID();
    setClientKey(key);
    setPending(true);
    try {
      const result = await dropTreasureAction(props.streamId, {
        coins: String(form.get("coins") ?? ""),
        slots: String(form.get("slots") ?? ""),
        seconds: String(form.get("seconds") ?? ""),
        clientKey: key,
      });
      setState(result);
      if (result.ok) {
        setClientKey(null);
        if (result.box) props.onDropped(result.box);
        if (props.userId && result.balance !== undefined) reportGiftBalance(props.userId, BigInt(result.balance));
        setShown(false);
      } else if (result.code !== undefined) {
        // Refused for good: the next attempt is a new drop.
        setClientKey(null);
      }
    } catch (cause) {
      // No answer (offline, the server down): the same key is kept, so trying again cannot drop twice.
      console.error(`Treasure box: dropping a box in stream ${props.streamId} failed:`, cause);
      setState({ ok: false, message: FAILED });
    } finally {
      setPending(false);
    }
  }

  if (props.refusal) {
    return <p className="mt-3 text-sm text-muted">{props.refusal}</p>;
  }
  return (
    <div className="mt-3">
      {shown ? null : (
        <button
          type="button"
          onClick={() => setShown(true)}
          aria-expanded={false}
          aria-controls="treasure-drop-form"
          className="w-full rounded-full border-2 border-brand-dark px-4 py-2 font-bold text-brand-dark"
        >
          Drop a treasure box
        </button>
      )}
      {shown ? (
        <form id="treasure-drop-form" onSubmit={(e) => void submit(e)} className="flex flex-col gap-3" noValidate>
          <NumberField
            name="coins"
            label="Coins in the box"
            hint={`${formatCoins(TREASURE_RULES.minCoins)} to ${formatCoins(TREASURE_RULES.maxCoins)}; they leave your wallet now.`}
            defaultValue="1000"
            errors={state.errors?.coins}
          />
          <NumberField
            name="slots"
            label="Winners"
            hint={`Up to ${TREASURE_RULES.maxSlots}; each gets at least 1 coin.`}
            defaultValue="3"
            errors={state.errors?.slots}
          />
          <div className="flex flex-col gap-1">
            <label htmlFor="treasure-seconds" className="text-sm font-semibold">
              Countdown
            </label>
            <select
              id="treasure-seconds"
              name="seconds"
              defaultValue={String(choices[0])}
              className="rounded-lg border border-gray-300 bg-white px-3 py-2.5 text-base"
            >
              {choices.map((s) => (
                <option key={s} value={s}>
                  {describeSeconds(s)}
                </option>
              ))}
            </select>
          </div>
          <div aria-live="polite" role="status" className="min-h-6">
            {state.message ? (
              <p className={`rounded-lg px-3 py-2 text-sm font-medium ${state.ok ? "bg-green-50 text-green-800" : "bg-red-50 text-brand-dark"}`}>
                {state.message}
              </p>
            ) : null}
          </div>
          <div className="flex gap-2">
            <button type="submit" disabled={pending} className="flex-1 rounded-full bg-brand-dark px-4 py-3 font-bold text-white disabled:bg-gray-500">
              {pending ? "Dropping…" : "Drop the box"}
            </button>
            <button type="button" onClick={() => setShown(false)} className="rounded-full border border-gray-300 px-4 py-3 font-semibold">
              Cancel
            </button>
          </div>
        </form>
      ) : state.ok && state.message ? (
        <p role="status" className="mt-2 rounded-lg bg-green-50 px-3 py-2 text-sm font-medium text-green-800">
          {state.message}
        </p>
      ) : null}
    </div>
  );
}

function NumberField({ name, label, hint, defaultValue, errors }: { name: string; label: string; hint: string; defaultValue: string; errors?: string[] }) {
  const id = `treasure-${name}`;
  const invalid = Boolean(errors?.length);
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="text-sm font-semibold">
        {label}
      </label>
      <p id={`${id}-hint`} className="text-xs text-muted">
        {hint}
      </p>
      <input
        id={id}
        name={name}
        inputMode="numeric"
        autoComplete="off"
        defaultValue={defaultValue}
        aria-invalid={invalid || undefined}
        aria-describedby={`${id}-hint${invalid ? ` ${id}-error` : ""}`}
        className={`rounded-lg border bg-white px-3 py-2.5 text-base shadow-sm ${invalid ? "border-brand-dark" : "border-gray-300"}`}
      />
      {invalid ? (
        <p id={`${id}-error`} className="text-sm font-medium text-brand-dark">
          {errors!.join(" ")}
        </p>
      ) : null}
    </div>
  );
}
