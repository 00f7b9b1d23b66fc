// Live events: what viewers of a stream see (gifts, chat, stream state). Each is
// a row of live_events whose id is allocated under a per-stream lock, so ids are
// in commit order per stream; NOTIFY (delivered on commit, in commit order)
// carries the whole event to every app instance.
import { createHash } from "node:crypto";
import { z } from "zod";
import type { Queryable } from "../db/queryable";
import { column, queryRows } from "../db/rows";
import { GIFTER_LEVEL_THRESHOLDS } from "../economy/levels";
import { activeFanSql, FAN_THRESHOLDS_PARAM, fanLevelSql, ZFanBadge } from "./fan-sql";
import { setting } from "../env";

export const LIVE_CHANNEL = "live_events";

export interface LiveEvent {
  id: string;
  streamId: string;
  kind: "gift" | "chat" | "ended" | "match" | "level" | "fan" | "treasure";
  /** The sender's user id; for a gifter who opted out of rankings, an anonymous key (see viewerKeySql). */
  userId: string | null;
  userName: string | null;
  /** The sender's gifter level as of when the event was sent (live) or read (replay); null when anonymous or nobody. */
  level: number | null;
  /** The sender's badge in the stream's creator's fan club (null when not an active member, anonymous or nobody). */
  fan: { club: string; level: number } | null;
  giftId: string | null;
  coins: string | null;
  diamonds: string | null;
  body: string | null;
  at: string;
}

/** The kinds of live event (live_events.kind). */
const ZLiveEventKind = z.enum(["gift", "chat", "ended", "match", "level", "fan", "treasure"]);

/** A row of listLiveEvents(): an event as viewers see it, columns already named and shaped as LiveEvent's. */
const ZLiveEventRow = z
  .object({
    id: column.text,
    stream_id: column.text,
    kind: ZLiveEventKind,
    user_id: column.text.nullable(),
    user_name: column.text.nullable(),
    level: column.int4.nullable(),
    fan: ZFanBadge.nullable(),
    gift_id: column.text.nullable(),
    coins: column.text.nullable(),
    diamonds: column.text.nullable(),
    body: column.text.nullable(),
    at: column.text,
  })
  .transform((r): LiveEvent => ({
    id: r.id,
    streamId: r.stream_id,
    kind: r.kind,
    userId: r.user_id,
    userName: r.user_name,
    level: r.level,
    fan: r.fan,
    giftId: r.gift_id,
    coins: r.coins,
    diamonds: r.diamonds,
    body: r.body,
    at: r.at,
  }));

/** The id and stream of an event appendLiveEvents() wrote. */
const ZWrittenEvent = z.object({ id: column.text, stream_id: column.text }).transform((r) => ({ id: r.id, streamId: r.stream_id }));

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

/**
 * The user key viewers see on an event. A gifter who opted out of rankings is
 * shown under a key made from a secret per-stream salt, so their gifts still
 * add up on the stream's leaderboard but cannot be linked to their user id
 * (chat messages carry it) or to their gifts on other streams. Matches
 * anonymousKey() below; `e`, `u`, `s` are the event, user and stream rows.
 */
export function viewerKeySql(e: string, u: string, salt: string): string {
  return `CASE WHEN ${hiddenSql(e, u)} THEN 'anon-' || left(md5(${salt} || ${e}.user_id::text), 16) ELSE ${e}.user_id::text END`;
}

/**
 * Whether an event's sender is shown anonymously: gifts, level-ups and fan
 * club notices (what someone spends, and what it earns them) of a viewer who
 * opted out of rankings. Chat is signed.
 */
function hiddenSql(e: string, u: string): string {
  return `(${e}.kind IN ('gift', 'level', 'fan') AND ${u}.hide_from_rankings)`;
}

/** The name viewers see on an event (null when the sender is anonymous). */
function viewerNameSql(e: string, u: string): string {
  return `CASE WHEN ${hiddenSql(e, u)} THEN NULL ELSE ${u}.display_name END`;
}

/**
 * The gifter level of the user whose coins spent on gifts are `coins` (a
 * gifter_totals column; null counts as none), with the thresholds as the
 * bigint[] parameter `param`: the number of thresholds reached (width_bucket on
 * the sorted thresholds), as gifterLevel() in lib/economy/levels.ts.
 */
export function gifterLevelSql(coins: string, param: string): string {
  return `width_bucket(COALESCE(${coins}, 0), ${param}::bigint[])`;
}

/** The thresholds as gifterLevelSql() takes them. */
export const LEVEL_THRESHOLDS_PARAM: readonly string[] = GIFTER_LEVEL_THRESHOLDS.map(String);

/** The level viewers see beside an event's sender (none when anonymous or nobody). */
function viewerLevelSql(e: string, u: string, totals: string, param: string): string {
  return `CASE WHEN ${e}.user_id IS NULL OR ${hiddenSql(e, u)} THEN NULL ELSE ${gifterLevelSql(`${totals}.coins`, param)} END`;
}

/**
 * The badge viewers see beside an event's sender: their membership `fm` of the
 * stream's creator's club `fc` (LEFT JOINed on active memberships only, see
 * fanJoinSql), null when anonymous, nobody or not an active member.
 */
function viewerFanSql(e: string, u: string, fm: string, fc: string, thresholds: string): string {
  return `CASE WHEN ${e}.user_id IS NULL OR ${hiddenSql(e, u)} THEN NULL ELSE ${fanBadgeSql(fm, fc, thresholds)} END`;
}

/** The LEFT JOINs of the sender's active membership of stream `s`'s creator's club, as `fm` and `fc`. */
export function fanJoinSql(e: string, s: string, lapseDays: string): string {
  return `LEFT JOIN fan_club_members fm ON fm.creator_id = ${s}.creator_id AND fm.user_id = ${e}.user_id AND ${activeFanSql("fm", lapseDays)}
            LEFT JOIN fan_clubs fc ON fc.creator_id = fm.creator_id`;
}

/** The badge of a member row `fm` of club `fc` as JSON (null when there is no row). */
export function fanBadgeSql(fm: string, fc: string, thresholds: string): string {
  return `CASE WHEN ${fm}.user_id IS NULL THEN NULL ELSE json_build_object('club', ${fc}.name, 'level', ${fanLevelSql(fm, thresholds)}) END`;
}

/** The key of an opted-out gifter, as viewerKeySql() computes it in SQL. */
export function anonymousKey(salt: string, userId: string): string {
  return `anon-${createHash("md5")
    .update(salt + userId)
    .digest("hex")
    .slice(0, 16)}`;
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
  return queryRows(
    client,
    ZWrittenEvent,
    `WITH inserted AS (
       INSERT INTO live_events (stream_id, kind, user_id, gift_id, coins, diamonds, transfer_id, body)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::text[], $5::bigint[], $6::bigint[], $7::bigint[], $8::text[])
       RETURNING id, stream_id, kind, user_id, gift_id, coins, diamonds, body, created_at)
     SELECT i.id::text AS id, i.stream_id::text AS stream_id, pg_notify($9, json_build_object(
              'id', i.id::text, 'streamId', i.stream_id, 'kind', i.kind, 'userId', ${viewerKeySql("i", "u", "s.anon_salt::text")},
              'userName', ${viewerNameSql("i", "u")}, 'level', ${viewerLevelSql("i", "u", "gt", "$10")},
              'fan', ${viewerFanSql("i", "u", "fm", "fc", "$12")},
              'giftId', i.gift_id, 'coins', i.coins::text, 'diamonds', i.diamonds::text, 'body', i.body,
              'at', to_char(i.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))::text)
       FROM (SELECT * FROM inserted ORDER BY id) i LEFT JOIN users u ON u.id = i.user_id JOIN streams s ON s.id = i.stream_id
            LEFT JOIN gifter_totals gt ON gt.user_id = i.user_id
            ${fanJoinSql("i", "s", "$11")}
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
      LEVEL_THRESHOLDS_PARAM,
      setting("FAN_CLUB_LAPSE_DAYS"),
      FAN_THRESHOLDS_PARAM,
    ],
  );
}

/** Events after `afterId` (for a reconnecting client), oldest first. */
export async function listLiveEvents(db: Queryable, streamId: string, afterId: string | null, limit = 500): Promise<LiveEvent[]> {
  const events = await queryRows(
    db,
    ZLiveEventRow,
    `SELECT e.id::text AS id, e.stream_id::text AS stream_id, e.kind, ${viewerKeySql("e", "u", "s.anon_salt::text")} AS user_id,
            ${viewerNameSql("e", "u")} AS user_name, ${viewerLevelSql("e", "u", "gt", "$4")} AS level,
            ${viewerFanSql("e", "u", "fm", "fc", "$6")} AS fan,
            e.gift_id, e.coins::text AS coins, e.diamonds::text AS diamonds, e.body,
            to_char(e.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at
       FROM live_events e LEFT JOIN users u ON u.id = e.user_id JOIN streams s ON s.id = e.stream_id
            LEFT JOIN gifter_totals gt ON gt.user_id = e.user_id
            ${fanJoinSql("e", "s", "$5")}
      WHERE e.stream_id = $1 AND ($2::bigint IS NULL OR e.id > $2::bigint)
      ORDER BY e.id ${afterId === null ? "DESC" : "ASC"} LIMIT $3`,
    [streamId, afterId, limit, LEVEL_THRESHOLDS_PARAM, setting("FAN_CLUB_LAPSE_DAYS"), FAN_THRESHOLDS_PARAM],
  );
  return afterId === null ? events.reverse() : events;
}
