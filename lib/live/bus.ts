// One LISTEN connection per process fans committed live events out to the
// Server-Sent-Event connections of this instance. Every instance on the same
// database hears every event, so viewers on any instance see every gift.
//
// The same connection carries this instance's presence heartbeat: every few
// seconds it writes how many viewers it holds per stream into live_presence and
// reads what the other instances reported, so the viewer count a stream shows
// is the sum over all live instances (rows whose heartbeat stopped expire), and
// which signed-in viewers it holds per stream into live_watchers (who may join
// a treasure box, whose minutes count for a fan club; lib/live/presence.ts).
import { randomBytes } from "node:crypto";
import pg from "pg";
import { z } from "zod";
import { connectionConfig } from "../db/pool";
import { column, queryRows } from "../db/rows";
import { setting, SETTING_DEFAULTS } from "../env";
import { backoffDelay, type Backoff } from "./backoff";
import { LIVE_CHANNEL, type LiveEvent } from "./events";
import { parseMatchScore, type MatchScore } from "./match-view";

/** Score updates of LIVE Matches (live_match_score() in the database announces them). */
export const MATCH_SCORE_CHANNEL = "live_match";

type Listener = (event: LiveEvent) => void;
type ScoreListener = (score: MatchScore) => void;
/** Receives a stream's events in commit order, several at once when they arrive together. */
type BatchListener = (events: readonly LiveEvent[]) => void;

/** How often an instance reports its viewers (ms; LIVE_PRESENCE_HEARTBEAT_MS, 2,000 by default). */
export const PRESENCE_HEARTBEAT_MS = SETTING_DEFAULTS.LIVE_PRESENCE_HEARTBEAT_MS;
/** A report older than this many heartbeats is from an instance that is gone. */
export const PRESENCE_TTL_HEARTBEATS = 3;

/** At most one delivery per this many ms while events keep coming (see deliver(); LIVE_COALESCE_MS, 20 by default). */
export const LIVE_COALESCE_MS = SETTING_DEFAULTS.LIVE_COALESCE_MS;
/**
 * Connection writes per second an instance aims to stay under while events keep
 * coming: with many connections the deliveries are spaced further apart (at most
 * LIVE_COALESCE_MAX_MS), so the cost of fanning gifts out stays bounded however
 * large the audience. 1,000 connections → one delivery every 100 ms. 10,000
 * since the live events left Next's pipeline (decision 015) and a LIVE Match put
 * two audiences on one instance: measured in docs/BENCHMARKS.md ("LIVE Match"),
 * it keeps the gift tap's open-loop p99 under 100 ms and the score bar's p95 too.
 * The default of the LIVE_WRITES_PER_SECOND setting.
 */
export const LIVE_WRITES_PER_SECOND = SETTING_DEFAULTS.LIVE_WRITES_PER_SECOND;
export const LIVE_COALESCE_MAX_MS = 250;

export interface LiveBusOptions {
  /** Names this instance's rows in live_presence (random by default). */
  instanceId?: string;
  heartbeatMs?: number;
  coalesceMs?: number;
  /** Connection writes per second to stay under while events keep coming (default LIVE_WRITES_PER_SECOND). */
  writesPerSecond?: number;
  /** Delays between attempts to listen again after the connection is lost. */
  reconnectDelayMs?: Backoff;
}

export const BUS_RECONNECT: Backoff = { baseMs: 500, capMs: 10_000 };

/** The heartbeat's answer: viewers of a stream on the other instances. */
const ZOthersViewers = z.object({ stream_id: column.text, viewers: column.int4 }).transform((r) => [r.stream_id, r.viewers] as const);

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as { code?: unknown }).code;
  return `${error.message}${typeof code === "string" ? ` (${code})` : ""}`;
}

export class LiveBus {
  readonly instanceId: string;
  private readonly heartbeatMs: number;
  private readonly coalesceMs: number;
  private readonly writesPerSecond: number;
  private lastDelivery = 0;
  private deliveryScheduled = false;
  private client: pg.Client | null = null;
  private connecting: Promise<void> | null = null;
  private readonly listeners = new Map<string, Set<BatchListener>>();
  /** Called when the LISTEN connection is lost (see connect()). */
  private readonly lostHandlers = new Set<() => void>();
  /** Events heard but not yet handed to subscribers, per stream (see deliver()). */
  private pending = new Map<string, LiveEvent[]>();
  private readonly scoreListeners = new Map<string, Set<ScoreListener>>();
  /** The newest score heard per stream, not yet handed on (older ones are superseded). */
  private pendingScores = new Map<string, MatchScore>();
  /** Viewers connected to this instance, per stream. */
  private readonly local = new Map<string, number>();
  /** Signed-in viewers connected to this instance, per stream: connections per user (live_watchers). */
  private readonly localUsers = new Map<string, Map<string, number>>();
  /** Viewers on the other instances, per stream, as of the last heartbeat. */
  private readonly others = new Map<string, number>();
  /** Streams this instance has a live_presence row for. */
  private readonly reported = new Set<string>();
  private timer: NodeJS.Timeout | null = null;
  private soon: NodeJS.Timeout | null = null;
  private beating: Promise<void> | null = null;
  private closed = false;
  private readonly reconnectDelay: Backoff;
  /** The LISTEN connection was lost and is not back yet (said once each way). */
  private down = false;
  private reconnectTimer: NodeJS.Timeout | null = null;
  /** The heartbeat is failing (said once, and once when it works again). */
  private heartbeatFailing = false;

  constructor(
    private readonly connectionString: string,
    options: LiveBusOptions = {},
  ) {
    this.instanceId = options.instanceId ?? `i_${randomBytes(8).toString("hex")}`;
    this.heartbeatMs = options.heartbeatMs ?? PRESENCE_HEARTBEAT_MS;
    this.coalesceMs = options.coalesceMs ?? LIVE_COALESCE_MS;
    this.writesPerSecond = options.writesPerSecond ?? LIVE_WRITES_PER_SECOND;
    this.reconnectDelay = options.reconnectDelayMs ?? BUS_RECONNECT;
  }

  private async connect(): Promise<pg.Client> {
    if (this.client) return this.client;
    this.connecting ??= (async () => {
      const client = new pg.Client({ ...connectionConfig(this.connectionString), application_name: `live-bus ${this.instanceId}` });
      client.on("notification", (message) => {
        if (message.channel === MATCH_SCORE_CHANNEL && message.payload) return this.heardScore(message.payload);
        if (message.channel !== LIVE_CHANNEL || !message.payload) return;
        // Parsed once; every subscriber of the stream gets the same object.
        const event = JSON.parse(message.payload) as LiveEvent;
        if (!this.listeners.has(event.streamId)) return;
        this.scheduleDelivery();
        const list = this.pending.get(event.streamId);
        if (list) list.push(event);
        else this.pending.set(event.streamId, [event]);
      });
      // Until it is listening, a failure is the caller's (the connect() below rejects).
      let listening = false;
      let gone = false;
      const lost = (cause: unknown) => {
        if (!listening || gone || this.closed) return;
        gone = true;
        this.lost(client, cause);
      };
      client.on("error", lost);
      client.on("end", () => lost(new Error("the connection ended")));
      try {
        await client.connect();
        await client.query(`LISTEN ${LIVE_CHANNEL}; LISTEN ${MATCH_SCORE_CHANNEL}`);
      } catch (error) {
        await client.end().catch((endError: unknown) => console.warn(`live bus: could not close a failed connection: ${describe(endError)}`));
        throw error;
      }
      listening = true;
      this.client = client;
      if (this.down) {
        this.down = false;
        console.warn("live bus: listening again; subscribers catch up from the table.");
      }
    })();
    try {
      await this.connecting;
    } catch (error) {
      this.connecting = null;
      throw error;
    }
    return this.client!;
  }

  /**
   * The LISTEN connection was lost (not closed by us): events committed from
   * now until a new LISTEN would never reach this instance's subscribers. Hand
   * on what did arrive, then tell subscribers, so SSE connections close and
   * browsers reconnect with Last-Event-ID and get the gap from the table; and
   * listen again, with growing delays, for as long as it takes.
   */
  private lost(client: pg.Client, cause: unknown): void {
    if (this.client === client) this.client = null;
    this.connecting = null;
    if (!this.down) {
      this.down = true;
      console.warn(`live bus: LISTEN connection lost, reconnecting: ${describe(cause)}`);
    }
    this.deliver();
    for (const handler of [...this.lostHandlers]) handler();
    this.reconnect(0);
  }

  private reconnect(attempt: number): void {
    if (this.closed || this.reconnectTimer) return;
    this.reconnectTimer = setTimeout(
      () => {
        this.reconnectTimer = null;
        if (this.closed || this.client) return;
        // A failed attempt was said when the connection was lost: try again later.
        this.connect().catch(() => this.reconnect(attempt + 1));
      },
      backoffDelay(attempt, Math.random(), this.reconnectDelay),
    );
    this.reconnectTimer.unref?.();
  }

  /**
   * Events are handed to subscribers in batches, one per stream, so each SSE
   * connection writes a batch with one socket write. A group commit announces
   * many events at once and the driver emits them in one synchronous run: they
   * go out together right after it. While events keep coming, deliveries are at
   * least `coalesceMs` apart, which bounds the writes per connection per second
   * (a thousand viewers × hundreds of gifts/s would otherwise be hundreds of
   * thousands of writes) for at most that much added latency; with more than
   * LIVE_WRITES_PER_SECOND × coalesceMs connections the spacing grows with them
   * (see coalesceWindow()), so the writes per second stay bounded too.
   */
  private scheduleDelivery(): void {
    if (this.deliveryScheduled) return;
    this.deliveryScheduled = true;
    const wait = this.lastDelivery + this.coalesceWindow() - performance.now();
    if (wait <= 0) queueMicrotask(() => this.deliver());
    else setTimeout(() => this.deliver(), wait);
  }

  /** How far apart deliveries are while events keep coming, for the connections this instance holds now. */
  coalesceWindow(): number {
    const byAudience = (this.subscriberCount() * 1000) / this.writesPerSecond;
    return Math.max(this.coalesceMs, Math.min(LIVE_COALESCE_MAX_MS, byAudience));
  }

  private deliver(): void {
    this.deliveryScheduled = false;
    if (!this.pending.size && !this.pendingScores.size) return;
    this.lastDelivery = performance.now();
    const pending = this.pending;
    this.pending = new Map();
    for (const [streamId, events] of pending) {
      Object.freeze(events);
      for (const listener of this.listeners.get(streamId) ?? []) listener(events);
    }
    // After the events of the same delivery: a page learns of a match before its scores.
    const scores = this.pendingScores;
    this.pendingScores = new Map();
    for (const [streamId, score] of scores) for (const listener of this.scoreListeners.get(streamId) ?? []) listener(score);
  }

  /** A match's new scores, for the subscribers of both its streams; within one delivery only the newest counts. */
  private heardScore(payload: string): void {
    let data: { streams?: unknown } | null;
    try {
      data = JSON.parse(payload) as { streams?: unknown };
    } catch {
      data = null;
    }
    const score = data ? parseMatchScore(data) : null;
    const streams = data?.streams;
    if (!score || !Array.isArray(streams)) {
      console.error(`live bus: a match score notification could not be read: ${payload.slice(0, 200)}`);
      return;
    }
    for (const streamId of streams) {
      if (typeof streamId !== "string" || !this.scoreListeners.has(streamId)) continue;
      const held = this.pendingScores.get(streamId);
      if (held && held.match === score.match && BigInt(held.v) >= BigInt(score.v)) continue;
      this.pendingScores.set(streamId, score);
      this.scheduleDelivery();
    }
  }

  /** Subscribes to a stream's events one by one; returns the unsubscribe function. */
  subscribe(streamId: string, listener: Listener): Promise<() => void> {
    return this.subscribeBatches(streamId, (events) => events.forEach((event) => listener(event)));
  }

  /**
   * Subscribes to a stream's events in batches (same array for every
   * subscriber); `onLost` hears that the LISTEN connection dropped, after which
   * events may be missing until the subscriber catches up from the table.
   * Returns the unsubscribe function.
   */
  async subscribeBatches(streamId: string, listener: BatchListener, onLost?: () => void, onScore?: ScoreListener): Promise<() => void> {
    await this.connect();
    const set = this.listeners.get(streamId) ?? new Set<BatchListener>();
    set.add(listener);
    this.listeners.set(streamId, set);
    if (onLost) this.lostHandlers.add(onLost);
    const scores = onScore ? (this.scoreListeners.get(streamId) ?? new Set<ScoreListener>()) : null;
    if (scores && onScore) {
      scores.add(onScore);
      this.scoreListeners.set(streamId, scores);
    }
    return () => {
      if (onLost) this.lostHandlers.delete(onLost);
      set.delete(listener);
      if (!set.size && this.listeners.get(streamId) === set) this.listeners.delete(streamId);
      if (scores && onScore) {
        scores.delete(onScore);
        if (!scores.size && this.scoreListeners.get(streamId) === scores) this.scoreListeners.delete(streamId);
      }
    };
  }

  /**
   * Counts one viewer on this instance until the returned function is called;
   * a signed-in viewer (`userId`) is also listed as watching the stream
   * (live_watchers) while at least one of their connections is open.
   */
  join(streamId: string, userId: string | null = null): () => void {
    this.local.set(streamId, (this.local.get(streamId) ?? 0) + 1);
    if (userId) {
      const users = this.localUsers.get(streamId) ?? new Map<string, number>();
      users.set(userId, (users.get(userId) ?? 0) + 1);
      this.localUsers.set(streamId, users);
    }
    this.reportSoon();
    let left = false;
    return () => {
      if (left) return;
      left = true;
      const n = (this.local.get(streamId) ?? 1) - 1;
      if (n <= 0) this.local.delete(streamId);
      else this.local.set(streamId, n);
      const users = userId ? this.localUsers.get(streamId) : undefined;
      if (users && userId) {
        const k = (users.get(userId) ?? 1) - 1;
        if (k <= 0) users.delete(userId);
        else users.set(userId, k);
        if (!users.size) this.localUsers.delete(streamId);
      }
      this.reportSoon();
    };
  }

  /** Whether a signed-in user has a connection to the stream open on this instance. */
  watchingHere(streamId: string, userId: string): boolean {
    return (this.localUsers.get(streamId)?.get(userId) ?? 0) > 0;
  }

  /** Viewers of a stream across all instances: ours now, the others' as last reported. */
  viewers(streamId: string): number {
    return (this.local.get(streamId) ?? 0) + (this.others.get(streamId) ?? 0);
  }

  /** Live subscriptions on this instance: of one stream, or of all streams. */
  subscriberCount(streamId?: string): number {
    if (streamId !== undefined) return this.listeners.get(streamId)?.size ?? 0;
    let n = 0;
    for (const set of this.listeners.values()) n += set.size;
    return n;
  }

  /** Viewers connected to this instance only. */
  localViewers(streamId: string): number {
    return this.local.get(streamId) ?? 0;
  }

  /** Joins and leaves come in bursts: report once shortly after, not per change. */
  private reportSoon(): void {
    if (this.closed) return;
    if (!this.timer) {
      this.timer = setInterval(() => void this.heartbeat(), this.heartbeatMs);
      this.timer.unref?.();
    }
    if (this.soon) return;
    this.soon = setTimeout(
      () => {
        this.soon = null;
        void this.heartbeat();
      },
      Math.min(250, this.heartbeatMs),
    );
    this.soon.unref?.();
  }

  /**
   * Writes this instance's counts, drops its rows for streams it no longer
   * serves, sweeps rows of dead instances, reads the other instances' counts
   * and raises each stream's peak — one statement, one round trip.
   */
  heartbeat(): Promise<void> {
    this.beating ??= this.beat().finally(() => {
      this.beating = null;
    });
    return this.beating;
  }

  private async beat(): Promise<void> {
    if (this.closed) return;
    const streams = [...new Set([...this.local.keys(), ...this.reported])];
    if (!streams.length) {
      if (this.timer) clearInterval(this.timer);
      this.timer = null;
      return;
    }
    const counts = streams.map((s) => this.local.get(s) ?? 0);
    const watchers = [...this.localUsers].flatMap(([streamId, users]) => [...users.keys()].map((userId) => [streamId, userId] as const));
    try {
      const client = await this.connect();
      const others = await queryRows(
        client,
        ZOthersViewers,
        `WITH mine AS (
           SELECT * FROM unnest($2::uuid[], $3::int[]) AS m(stream_id, viewers)
         ), upserted AS (
           INSERT INTO live_presence (instance_id, stream_id, viewers, seen_at)
           SELECT $1, m.stream_id, m.viewers, now() FROM mine m
            WHERE m.viewers > 0 AND EXISTS (SELECT 1 FROM streams s WHERE s.id = m.stream_id)
           ON CONFLICT (instance_id, stream_id) DO UPDATE SET viewers = EXCLUDED.viewers, seen_at = EXCLUDED.seen_at
         ), removed AS (
           DELETE FROM live_presence p
            WHERE (p.instance_id = $1 AND p.stream_id IN (SELECT stream_id FROM mine WHERE viewers = 0))
               OR (p.instance_id <> $1 AND p.seen_at < now() - make_interval(secs => $4::float8))
         ), watching AS (
           SELECT * FROM unnest($5::uuid[], $6::uuid[]) AS w(stream_id, user_id)
         ), watched AS (
           INSERT INTO live_watchers (stream_id, user_id, instance_id, since, seen_at)
           SELECT w.stream_id, w.user_id, $1, now(), now() FROM watching w
            WHERE EXISTS (SELECT 1 FROM streams s WHERE s.id = w.stream_id) AND EXISTS (SELECT 1 FROM users u WHERE u.id = w.user_id)
           ON CONFLICT (stream_id, user_id, instance_id) DO UPDATE SET seen_at = EXCLUDED.seen_at
         ), unwatched AS (
           DELETE FROM live_watchers lw
            WHERE (lw.instance_id = $1 AND NOT EXISTS (SELECT 1 FROM watching w WHERE w.stream_id = lw.stream_id AND w.user_id = lw.user_id))
               OR (lw.instance_id <> $1 AND lw.seen_at < now() - make_interval(secs => $4::float8))
         ), others AS (
           SELECT p.stream_id, SUM(p.viewers)::int AS viewers FROM live_presence p
            WHERE p.stream_id IN (SELECT stream_id FROM mine) AND p.instance_id <> $1
              AND p.seen_at > now() - make_interval(secs => $4::float8)
            GROUP BY p.stream_id
         ), peak AS (
           UPDATE streams s SET peak_viewers = m.viewers + COALESCE(o.viewers, 0)
             FROM mine m LEFT JOIN others o ON o.stream_id = m.stream_id
            WHERE s.id = m.stream_id AND s.peak_viewers < m.viewers + COALESCE(o.viewers, 0)
         )
         SELECT stream_id::text AS stream_id, viewers FROM others`,
        [
          this.instanceId,
          streams,
          counts,
          (this.heartbeatMs * PRESENCE_TTL_HEARTBEATS) / 1000,
          watchers.map(([streamId]) => streamId),
          watchers.map(([, userId]) => userId),
        ],
      );
      const seen = new Map(others);
      for (const streamId of this.others.keys()) if (!streams.includes(streamId)) this.others.delete(streamId);
      for (const [i, streamId] of streams.entries()) {
        const other = seen.get(streamId) ?? 0;
        if (other > 0) this.others.set(streamId, other);
        else this.others.delete(streamId);
        if (counts[i]! > 0) this.reported.add(streamId);
        else this.reported.delete(streamId);
      }
      if (this.heartbeatFailing) {
        this.heartbeatFailing = false;
        console.warn("live bus: presence heartbeat working again.");
      }
    } catch (error) {
      // The database is unreachable for now: keep the last known counts and
      // try again on the next beat (our rows expire meanwhile, as they should).
      if (!this.heartbeatFailing) console.warn(`live bus: presence heartbeat failed, will retry: ${describe(error)}`);
      this.heartbeatFailing = true;
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    if (this.soon) clearTimeout(this.soon);
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.timer = this.soon = this.reconnectTimer = null;
    await this.beating; // never rejects: a failed beat is said and kept
    const client = this.client;
    this.client = null;
    this.connecting = null;
    if (!client) return;
    try {
      await client.query("WITH w AS (DELETE FROM live_watchers WHERE instance_id = $1) DELETE FROM live_presence WHERE instance_id = $1", [this.instanceId]);
    } catch (error) {
      // Our rows expire after a few missed heartbeats anyway.
      console.warn(`live bus: could not remove this instance's presence rows on close: ${describe(error)}`);
    }
    await client.end().catch((error: unknown) => console.warn(`live bus: could not close the LISTEN connection: ${describe(error)}`));
  }
}

const globalForBus = globalThis as unknown as { liveBus?: LiveBus };

/** The process-wide bus (one LISTEN connection per app instance). */
export function getLiveBus(): LiveBus {
  const url = setting("DATABASE_URL");
  if (!url) throw new Error("DATABASE_URL is not set.");
  globalForBus.liveBus ??= new LiveBus(url, {
    // LIVE_INSTANCE_ID names this instance (its presence rows, its LISTEN connection's application_name).
    instanceId: setting("LIVE_INSTANCE_ID"),
    heartbeatMs: setting("LIVE_PRESENCE_HEARTBEAT_MS"),
    coalesceMs: setting("LIVE_COALESCE_MS"),
    writesPerSecond: setting("LIVE_WRITES_PER_SECOND"),
  });
  return globalForBus.liveBus;
}
