// The Server-Sent-Events protocol of a stream's live events, apart from the
// route handler (app/api/streams/[id]/events/route.ts) so it can be tested on
// its own:
//
// - Subscribe first, then replay from the table what the client missed
//   (Last-Event-ID / ?after=) while live events are buffered, then flush the
//   buffer: every event exactly once, in id (= commit) order.
// - Every connection counts as a viewer (bus presence) while it is open.
// - Whatever way a connection ends — the client leaves (abort), the body is
//   cancelled, the bus loses its LISTEN connection, set-up fails — everything
//   it took is given back exactly once: bus subscription, presence, viewer
//   timer, and the caller's own resources (onClose, e.g. a connection slot).
//   A client that leaves while set-up is still waiting on the database is
//   noticed at once, and what set-up obtains afterwards is released as soon as
//   it arrives.
// - A client that stops reading is not buffered for without bound: past
//   SSE_MAX_QUEUED_BYTES its connection ends (it reconnects and replays).
// - Nor are live events held for a replay that takes long: past
//   SSE_MAX_BUFFERED_EVENTS the connection ends the same way. A replay longer
//   than REPLAY_LIMIT is read page by page, so a client far behind gets every
//   event it missed, without a gap before the live ones.
import { setting, SETTING_DEFAULTS } from "../env";
import type { LiveBus } from "./bus";
import type { LiveEvent } from "./events";
import type { MatchScore, MatchView } from "./match-view";

const encoder = new TextEncoder();

/** How often a connection is told the viewer count (ms). */
export const VIEWER_TICK_MS = 2_000;
/** Missed events are read from the table this many at a time. */
export const REPLAY_LIMIT = 5_000;
/**
 * Live events one connection holds while its replay reads the table. Past this
 * the connection ends; the browser reconnects with Last-Event-ID and replays
 * from further on, instead of the server holding a growing list.
 */
export const SSE_MAX_BUFFERED_EVENTS = 10_000;
/** Concurrent SSE connections one client address may hold on one instance (LIVE_SSE_CONNECTIONS_PER_CLIENT, 8 by default). */
export const SSE_CONNECTIONS_PER_CLIENT = SETTING_DEFAULTS.LIVE_SSE_CONNECTIONS_PER_CLIENT;
/** Concurrent SSE connections one instance holds at most, bounding its memory whatever addresses claim (LIVE_SSE_CONNECTIONS_PER_INSTANCE, 20,000 by default). */
export const SSE_CONNECTIONS_PER_INSTANCE = SETTING_DEFAULTS.LIVE_SSE_CONNECTIONS_PER_INSTANCE;
/**
 * Bytes a connection may have waiting for a client that does not read. Past
 * this the connection ends after what is queued; the browser reconnects with
 * Last-Event-ID and replays from the table instead of the server holding an
 * ever-growing queue.
 */
export const SSE_MAX_QUEUED_BYTES = 1024 * 1024;

// The bus hands every connection the same event objects, in the same batch
// arrays: encode each once, not once per viewer (a stream with thousands of
// viewers would otherwise serialise every gift thousands of times).
const frames = new WeakMap<LiveEvent, Uint8Array>();
const batchFrames = new WeakMap<readonly LiveEvent[], Uint8Array>();

export function encodeEvent(event: LiveEvent): Uint8Array {
  let bytes = frames.get(event);
  if (!bytes) {
    bytes = encoder.encode(`id: ${event.id}\nevent: ${event.kind}\ndata: ${wireJson(event)}\n\n`);
    frames.set(event, bytes);
  }
  return bytes;
}

/**
 * An event as it goes on the wire: without its stream id (a connection is for
 * one stream) and without empty fields, so every watcher receives and parses a
 * third less per gift. Readers treat a missing field as null.
 */
export function wireJson(event: LiveEvent): string {
  return JSON.stringify(event, (key, value: unknown) => (key === "streamId" || value === null ? undefined : value));
}

/** A batch's frames as one chunk: one socket write per connection per batch. */
export function encodeBatch(events: readonly LiveEvent[]): Uint8Array {
  let bytes = batchFrames.get(events);
  if (!bytes) {
    const parts = events.map(encodeEvent);
    bytes = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let offset = 0;
    for (const part of parts) {
      bytes.set(part, offset);
      offset += part.length;
    }
    batchFrames.set(events, bytes);
  }
  return bytes;
}

const scoreFrames = new WeakMap<MatchScore, Uint8Array>();

/** A LIVE Match score update: not stored, so no id (the browser's Last-Event-ID stays that of the last event). */
export function encodeScore(score: MatchScore): Uint8Array {
  let bytes = scoreFrames.get(score);
  if (!bytes) {
    bytes = encoder.encode(`event: score\ndata: ${JSON.stringify(score)}\n\n`);
    scoreFrames.set(score, bytes);
  }
  return bytes;
}

/** What a connection needs of the bus (a LiveBus; a fake in tests). */
export type LiveEventSource = Pick<LiveBus, "subscribeBatches" | "join" | "viewers">;

export interface LiveEventStreamOptions {
  streamId: string;
  /** The signed-in viewer on this connection (listed as watching while it is open), or null. */
  userId?: string | null;
  /** The last event id the client has (null: a first connection, live events only). */
  resumeFrom: bigint | null;
  bus: LiveEventSource;
  /** Events of the stream after an id, oldest first, at most `limit`. */
  replay: (afterId: string, limit: number) => Promise<LiveEvent[]>;
  /** The stream's LIVE Match as it stands (sent once the replay is done, as `match-state`), or null. */
  matchSnapshot?: () => Promise<MatchView | null>;
  /** Aborted when the client goes away. */
  signal: AbortSignal;
  viewerTickMs?: number;
  /** Runs once when the connection ends, however it ends. */
  onClose?: () => void;
  /** Hears a set-up failure (the stream then ends; the browser reconnects). */
  onError?: (error: unknown) => void;
  /** See SSE_MAX_QUEUED_BYTES. */
  maxQueuedBytes?: number;
  /** See SSE_MAX_BUFFERED_EVENTS. */
  maxBufferedEvents?: number;
  /** See REPLAY_LIMIT. */
  replayPageSize?: number;
}

/** The body of one SSE connection to a stream's live events (see the module comment). */
export function openLiveEventStream(options: LiveEventStreamOptions): ReadableStream<Uint8Array> {
  const { streamId, bus, signal } = options;
  const maxQueuedBytes = options.maxQueuedBytes ?? SSE_MAX_QUEUED_BYTES;
  const maxBufferedEvents = options.maxBufferedEvents ?? SSE_MAX_BUFFERED_EVENTS;
  const replayPageSize = options.replayPageSize ?? REPLAY_LIMIT;
  const releases: Array<() => void> = [];
  let closed = false;
  let controller: ReadableStreamDefaultController<Uint8Array> | null = null;

  /** Ends the connection and gives back everything taken so far; later calls do nothing. */
  const close = () => {
    if (closed) return;
    closed = true;
    signal.removeEventListener("abort", close);
    for (const release of releases.splice(0).reverse()) release();
    options.onClose?.();
    try {
      controller?.close();
    } catch {
      // already closed or errored: nothing left to end
    }
  };
  /** Keeps a release for close(); if the connection already ended, releases it now. */
  const hold = (release: () => void) => {
    if (closed) release();
    else releases.push(release);
  };

  const enqueue = (chunk: Uint8Array) => {
    if (closed || !controller) return;
    try {
      controller.enqueue(chunk);
    } catch {
      close(); // the body was cancelled under us
      return;
    }
    // desiredSize is minus the bytes queued (high-water mark 0, sized in bytes).
    if ((controller.desiredSize ?? 0) < -maxQueuedBytes) close();
  };

  let lastSent = options.resumeFrom;
  let replaying = true;
  const buffered: LiveEvent[] = [];
  const send = (event: LiveEvent) => {
    const id = BigInt(event.id);
    if (lastSent !== null && id <= lastSent) return;
    lastSent = id;
    enqueue(encodeEvent(event));
  };
  // A batch holds one stream's events in commit (= id) order: when it is all
  // new to this connection it goes out as one shared chunk.
  const sendBatch = (events: readonly LiveEvent[]) => {
    const first = events[0];
    const last = events.at(-1);
    if (!first || !last) return;
    if (lastSent !== null && BigInt(first.id) <= lastSent) return events.forEach(send);
    lastSent = BigInt(last.id);
    enqueue(encodeBatch(events));
  };

  // Scores heard during the replay: only the newest matters (the page keeps the highest version).
  let heldScore: MatchScore | null = null;
  const setUp = async () => {
    // If this instance loses its LISTEN connection, events could be missed
    // silently: end the stream instead; the browser reconnects with
    // Last-Event-ID and gets the gap from the table.
    const unsubscribe = await bus.subscribeBatches(
      streamId,
      (events) => {
        if (closed) return;
        if (!replaying) return sendBatch(events);
        buffered.push(...events);
        if (buffered.length > maxBufferedEvents) {
          buffered.length = 0;
          close();
        }
      },
      close,
      (score) => {
        if (closed) return;
        if (replaying) heldScore = score;
        else enqueue(encodeScore(score));
      },
    );
    hold(unsubscribe);
    if (closed) return;
    hold(bus.join(streamId, options.userId ?? null));
    enqueue(encoder.encode("retry: 1500\n\n"));
    while (lastSent !== null) {
      const missed = await options.replay(String(lastSent), replayPageSize);
      if (closed) return;
      missed.forEach(send);
      if (missed.length < replayPageSize) break;
    }
    replaying = false;
    buffered.splice(0).forEach(send);
    if (options.matchSnapshot) {
      // Read after subscribing: what changes later arrives as events and scores, and the page keeps the newest.
      const match = await options.matchSnapshot();
      if (closed) return;
      enqueue(encoder.encode(`event: match-state\ndata: ${JSON.stringify({ match })}\n\n`));
    }
    if (heldScore) enqueue(encodeScore(heldScore));
    heldScore = null;

    // Viewers across all instances (the bus's presence heartbeat also
    // records the stream's peak).
    const tick = () => enqueue(encoder.encode(`event: viewers\ndata: {"viewers":${bus.viewers(streamId)}}\n\n`));
    tick();
    const timer = setInterval(tick, options.viewerTickMs ?? VIEWER_TICK_MS);
    hold(() => clearInterval(timer));
  };

  return new ReadableStream<Uint8Array>(
    {
      start(c) {
        controller = c;
        // Listen before the first await: an abort during set-up must not be missed.
        if (signal.aborted) close();
        else signal.addEventListener("abort", close);
        if (closed) return;
        setUp().then(undefined, (error: unknown) => {
          if (!closed) options.onError?.(error);
          close();
        });
      },
      cancel() {
        close();
      },
    },
    { highWaterMark: 0, size: (chunk) => chunk.byteLength },
  );
}

export interface ConnectionLimiterOptions {
  perClient: number;
  total: number;
}

export type ConnectionSlot = { ok: true; release: () => void } | { ok: false; reason: "CLIENT" | "INSTANCE" };

export interface ConnectionLimiter {
  /** Takes a slot for a client (release it exactly when the connection ends; a second release does nothing). */
  acquire(client: string): ConnectionSlot;
  /** Open connections of one client, or of everyone. */
  count(client?: string): number;
}

/** Counts open connections per client and in all; clients with none are forgotten, so memory follows open connections. */
export function createConnectionLimiter({ perClient, total }: ConnectionLimiterOptions): ConnectionLimiter {
  const open = new Map<string, number>();
  let all = 0;
  return {
    acquire(client) {
      const mine = open.get(client) ?? 0;
      if (mine >= perClient) return { ok: false, reason: "CLIENT" };
      if (all >= total) return { ok: false, reason: "INSTANCE" };
      open.set(client, mine + 1);
      all++;
      let released = false;
      return {
        ok: true,
        release: () => {
          if (released) return;
          released = true;
          all--;
          const left = (open.get(client) ?? 1) - 1;
          if (left > 0) open.set(client, left);
          else open.delete(client);
        },
      };
    },
    count: (client) => (client === undefined ? all : (open.get(client) ?? 0)),
  };
}

const globalForSse = globalThis as unknown as { sseConnections?: ConnectionLimiter };

/** This process's SSE connection limiter (LIVE_SSE_CONNECTIONS_PER_CLIENT, LIVE_SSE_CONNECTIONS_PER_INSTANCE). */
export function getSseConnectionLimiter(): ConnectionLimiter {
  globalForSse.sseConnections ??= createConnectionLimiter({
    perClient: setting("LIVE_SSE_CONNECTIONS_PER_CLIENT"),
    total: setting("LIVE_SSE_CONNECTIONS_PER_INSTANCE"),
  });
  return globalForSse.sseConnections;
}
