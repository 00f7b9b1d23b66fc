// Live events: what viewers of a stream see (gifts, chat, stream state). Each is
// a row of live_events whose id is allocated under a per-stream lock, so ids are
// in commit order per stream; NOTIFY (delivered on commit, in commit order)
// carries the whole event to every app instance.
import { createHash } from "node:crypto";
import type pg from "pg";

export const LIVE_CHANNEL = "live_events";

export interface LiveEvent {
  id: string;
  streamId: string;
  kind: "gift" | "chat" | "ended" | "match" | "treasure";
  /** The sender's user id; for a gifter who opted out of rankings, an anonymous key (see viewerKeySql). */
  userId: string | null;
  userName: string | null;
  giftId: string | null;
  coins: string | null;
  diamonds: string | null;
  body: string | null;
  at: string;
}

export interface NewLiveEvent {
  streamId: string;
  kind: LiveEvent["kind"];
  userId?: string | null;
  userName?: string | null;
  giftId?: string | null;
  coins?: bigint | null;
  diamonds?: bigint | null;
  transferId?: bigint | null;
  body?: string | null;
}

type Queryable = Pick<pg.PoolClient, "query">;

/**
 * The user key viewers see on an event. A gifter who opted out of rankings is
 * shown under a key made from a secret per-stream salt, so their gifts still
 * add up on the stream's leaderboard but cannot be linked to their user id
 * (chat messages carry it) or to their gifts on other streams. Matches
 * anonymousKey() below; `e`, `u`, `s` are the event, user and stream rows.
 */
export function viewerKeySql(e: string, u: string, salt: string): string {
  return `CASE WHEN ${e}.kind = 'gift' AND ${u}.hide_from_rankings THEN 'anon-' || left(md5(${salt} || ${e}.user_id::text), 16) ELSE ${e}.user_id::text END`;
}

/** The key of an opted-out gifter, as viewerKeySql() computes it in SQL. */
export function anonymousKey(salt: string, userId: string): string {
  return `anon-${createHash("md5").update(salt + userId).digest("hex").slice(0, 16)}`;
}

/**
 * Takes the live-event locks of streams (in a stable order) for the rest of
 * the caller's transaction. Whoever must be ordered against a stream's events
 * (a LIVE Match starting or ending) takes them before anything else of its
 * own; taking one again in the same transaction is free.
 */
export async function lockLiveStreams(client: Queryable, streamIds: readonly string[]): Promise<void> {
  for (const streamId of [...new Set(streamIds)].sort()) await client.query("SELECT pg_advisory_xact_lock(hashtext($1))", [`live:${streamId}`]);
}

/**
 * Writes events inside the caller's open transaction and announces them on
 * commit. Takes each stream's lock (in a stable order) before allocating ids.
 * Returns the new events' ids with their streams, in id order.
 */
export async function appendLiveEvents(client: Queryable, events: NewLiveEvent[]): Promise<Array<{ id: string; streamId: string }>> {
  if (!events.length) return [];
  await lockLiveStreams(
    client,
    events.map((e) => e.streamId),
  );
  const { rows } = await client.query(
    `WITH inserted AS (
       INSERT INTO live_events (stream_id, kind, user_id, gift_id, coins, diamonds, transfer_id, body)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::text[], $5::bigint[], $6::bigint[], $7::bigint[], $8::text[])
       RETURNING id, stream_id, kind, user_id, gift_id, coins, diamonds, body, created_at)
     SELECT i.id::text AS id, i.stream_id::text AS stream_id, pg_notify($9, json_build_object(
              'id', i.id::text, 'streamId', i.stream_id, 'kind', i.kind, 'userId', ${viewerKeySql("i", "u", "s.anon_salt::text")},
              'userName', CASE WHEN i.kind = 'gift' AND u.hide_from_rankings THEN NULL ELSE u.display_name END,
              'giftId', i.gift_id, 'coins', i.coins::text, 'diamonds', i.diamonds::text, 'body', i.body,
              'at', to_char(i.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))::text)
       FROM (SELECT * FROM inserted ORDER BY id) i LEFT JOIN users u ON u.id = i.user_id JOIN streams s ON s.id = i.stream_id
      ORDER BY i.id`,
    [
      events.map((e) => e.streamId),
      events.map((e) => e.kind),
      events.map((e) => e.userId ?? null),
      events.map((e) => e.giftId ?? null),
      events.map((e) => (e.coins == null ? null : String(e.coins))),
      events.map((e) => (e.diamonds == null ? null : String(e.diamonds))),
      events.map((e) => (e.transferId == null ? null : String(e.transferId))),
      events.map((e) => e.body ?? null),
      LIVE_CHANNEL,
    ],
  );
  return rows.map((r) => ({ id: r.id as string, streamId: r.stream_id as string }));
}

/** Events after `afterId` (for a reconnecting client), oldest first. */
export async function listLiveEvents(db: Queryable, streamId: string, afterId: string | null, limit = 500): Promise<LiveEvent[]> {
  const { rows } = await db.query(
    `SELECT e.id::text AS id, e.stream_id, e.kind, ${viewerKeySql("e", "u", "s.anon_salt::text")} AS user_id,
            CASE WHEN e.kind = 'gift' AND u.hide_from_rankings THEN NULL ELSE u.display_name END AS user_name,
            e.gift_id, e.coins::text AS coins, e.diamonds::text AS diamonds, e.body,
            to_char(e.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at
       FROM live_events e LEFT JOIN users u ON u.id = e.user_id JOIN streams s ON s.id = e.stream_id
      WHERE e.stream_id = $1 AND ($2::bigint IS NULL OR e.id > $2::bigint)
      ORDER BY e.id ${afterId === null ? "DESC" : "ASC"} LIMIT $3`,
    [streamId, afterId, limit],
  );
  const events = rows.map((r) => ({
    id: r.id,
    streamId: r.stream_id,
    kind: r.kind,
    userId: r.user_id,
    userName: r.user_name,
    giftId: r.gift_id,
    coins: r.coins,
    diamonds: r.diamonds,
    body: r.body,
    at: r.at,
  })) as LiveEvent[];
  return afterId === null ? events.reverse() : events;
}
