"use client";

import { useEffect, useRef, useState } from "react";
import { backoffDelay } from "@/lib/live/backoff";
import type { LiveEvent } from "@/lib/live/events";
import { parseMatchScore, parseMatchView, type MatchScore, type MatchView } from "@/lib/live/match-view";
import { parseTreasureView, type TreasureView } from "@/lib/live/treasure-view";
import { publishTreasure } from "./treasure-events";

/** connecting: first connection; open: events flow; reconnecting: cut off, trying again; gone: the stream no longer exists. */
export type LiveConnection = "connecting" | "open" | "reconnecting" | "gone";

export type LiveMessage =
  | { type: "gift" | "chat" | "ended" | "level" | "fan"; event: LiveEvent }
  | { type: "viewers"; viewers: number }
  /** A stored change of a LIVE Match (id-tracked like the other events); `match` is its body, read. */
  | { type: "match"; event: LiveEvent; match: MatchView }
  /** The stream's match as it stands, after each (re)connect. */
  | { type: "match-state"; match: MatchView | null }
  /** Both scores of a match after a scoring batch. */
  | { type: "score"; score: MatchScore };

interface Options {
  /** Resume after this event id (the page's figures include everything up to it). */
  after: string;
  /** False closes the connection (for example once the LIVE has ended). */
  enabled: boolean;
  onMessage: (message: LiveMessage) => void;
}

/**
 * The stream's Server-Sent Events. EventSource gives up for good after a
 * non-200 answer (and reconnects at its own pace otherwise), so every error
 * closes it and this hook reconnects itself with backoff, resuming after the
 * last event id it received. A stream that answers 404 is gone: no more tries.
 */
export function useLiveEvents(streamId: string, { after, enabled, onMessage }: Options): LiveConnection {
  const [status, setStatus] = useState<LiveConnection>("connecting");
  const lastId = useRef(BigInt(/^\d{1,19}$/.test(after) ? after : "0"));
  const handler = useRef(onMessage);
  useEffect(() => {
    handler.current = onMessage;
  }, [onMessage]);

  useEffect(() => {
    if (!enabled) return;
    let source: EventSource | null = null;
    let timer: ReturnType<typeof setTimeout> | null = null;
    let probe: AbortController | null = null;
    let attempt = 0;
    let stopped = false;
    let outageLogged = false;
    const url = () => `/api/streams/${encodeURIComponent(streamId)}/events?after=${lastId.current}`;

    const schedule = () => {
      timer = setTimeout(connect, backoffDelay(attempt++, Math.random()));
    };

    // Treasure boxes go to the stream's treasure panels (components/live/treasure-events.ts), not to the room.
    const deliver = (parsed: LiveMessage | TreasureMessage) => (parsed.type === "treasure" ? publishTreasure(streamId, parsed.box) : handler.current(parsed));

    const receive = (message: MessageEvent<string>, read: (data: unknown) => LiveMessage | TreasureMessage) => {
      attempt = 0;
      outageLogged = false;
      let parsed: LiveMessage | TreasureMessage;
      try {
        parsed = read(JSON.parse(message.data));
      } catch (error) {
        console.error("Live events: a message could not be read", message.data, error);
        return;
      }
      if ("event" in parsed && /^\d{1,19}$/.test(parsed.event.id)) {
        const id = BigInt(parsed.event.id);
        if (id > lastId.current) lastId.current = id;
      }
      deliver(parsed);
    };

    function connect() {
      timer = null;
      const current = new EventSource(url());
      source = current;
      let opened = false;
      current.onopen = () => {
        opened = true;
        setStatus("open");
      };
      for (const kind of ["gift", "chat", "ended", "level", "fan"] as const) {
        current.addEventListener(kind, (m) => receive(m, (data) => ({ type: kind, event: fromWire(data, streamId) })));
      }
      current.addEventListener("viewers", (m) => receive(m, (data) => ({ type: "viewers", viewers: Number((data as { viewers: unknown }).viewers) })));
      current.addEventListener("match", (m) => receive(m, (data) => readMatchEvent(fromWire(data, streamId))));
      current.addEventListener("match-state", (m) => receive(m, (data) => readMatchState(data)));
      current.addEventListener("treasure", (m) => receive(m, (data) => readTreasureEvent(fromWire(data, streamId))));
      current.addEventListener("score", (m) =>
        receive(m, (data) => {
          const score = parseMatchScore(data);
          if (!score) throw new Error("not a match score");
          return { type: "score", score };
        }),
      );
      current.onerror = () => {
        current.close();
        if (stopped || source !== current) return;
        source = null;
        setStatus("reconnecting");
        if (opened) {
          if (!outageLogged) console.error(`Live events: the connection to stream ${streamId} dropped; reconnecting after event ${lastId.current}`);
          outageLogged = true;
          schedule();
          return;
        }
        // Refused before it opened: EventSource hides the answer, so ask once
        // to tell a stream that is gone from a server in trouble.
        void probeStatus().then((answer) => {
          if (stopped) return;
          if (answer === 404) {
            console.error(`Live events: stream ${streamId} is gone (404); not reconnecting`);
            setStatus("gone");
            return;
          }
          if (!outageLogged) console.error(`Live events: stream ${streamId} could not connect (${answer === null ? "no answer" : `HTTP ${answer}`}); retrying`);
          outageLogged = true;
          schedule();
        });
      };
    }

    /** The HTTP status the events URL answers now, or null when nothing answers. */
    async function probeStatus(): Promise<number | null> {
      probe = new AbortController();
      try {
        const response = await fetch(url(), { cache: "no-store", signal: probe.signal });
        probe.abort(); // a 200 is the event stream itself: only its status is wanted
        return response.status;
      } catch {
        // No answer at all (offline, server down): reported by the caller as "no answer".
        return null;
      } finally {
        probe = null;
      }
    }

    connect();
    return () => {
      stopped = true;
      source?.close();
      probe?.abort();
      if (timer) clearTimeout(timer);
    };
  }, [streamId, enabled]);

  return status;
}

/** A stored match event: its body is the JSON of the match's new state. */
function readMatchEvent(event: LiveEvent): LiveMessage {
  const match = parseMatchView(JSON.parse(event.body ?? "null"));
  if (!match) throw new Error("a match event without a match");
  return { type: "match", event, match };
}

/** A stored treasure box event: its body is the JSON of the box's new state. */
type TreasureMessage = { type: "treasure"; event: LiveEvent; box: TreasureView };

function readTreasureEvent(event: LiveEvent): TreasureMessage {
  const box = parseTreasureView(JSON.parse(event.body ?? "null"));
  if (!box) throw new Error("a treasure event without a box");
  return { type: "treasure", event, box };
}

function readMatchState(data: unknown): LiveMessage {
  const raw = (data as { match?: unknown } | null)?.match;
  if (raw === null) return { type: "match-state", match: null };
  const match = parseMatchView(raw);
  if (!match) throw new Error("a match state without a match");
  return { type: "match-state", match };
}

/** An event as sent on the wire (lib/live/sse.ts wireJson: no stream id, no empty fields) made whole again. */
function fromWire(data: unknown, streamId: string): LiveEvent {
  const wire = data as Partial<LiveEvent>;
  if (typeof wire?.id !== "string" || typeof wire.kind !== "string") throw new Error("not a live event");
  return {
    id: wire.id,
    streamId,
    kind: wire.kind,
    userId: wire.userId ?? null,
    userName: wire.userName ?? null,
    level: typeof wire.level === "number" ? wire.level : null,
    fan: readFan(wire.fan),
    giftId: wire.giftId ?? null,
    coins: wire.coins ?? null,
    diamonds: wire.diamonds ?? null,
    body: wire.body ?? null,
    at: wire.at ?? "",
  };
}

/** A fan club badge as sent (null when missing or not one). */
function readFan(value: unknown): LiveEvent["fan"] {
  const fan = value as { club?: unknown; level?: unknown } | null | undefined;
  return fan && typeof fan.club === "string" && typeof fan.level === "number" && Number.isInteger(fan.level) ? { club: fan.club, level: fan.level } : null;
}
