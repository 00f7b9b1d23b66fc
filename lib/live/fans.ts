// Fan clubs as the app keeps them (the rules: lib/economy/fans.ts; decision 021).
//
// - Joining and gift points: foldFanClubs, a fold hook, sees every committed
//   gift exactly once (in the earnings fold's transaction). A Heart Me to a
//   creator in one of their streams joins the sender to the creator's club (or
//   renews a lapsed membership); every gift of a member to that creator adds
//   fan points.
// - Minutes watched: creditWatchMinutes, run every few seconds on every
//   instance, claims the current minute in fan_watch_minutes; only the
//   instance whose INSERT wins credits that minute, in the same transaction.
// - Chat points: addChatFanPoint, in postChat's transaction.
// - Lapse: computed from last_active_at where a membership is read.
//
// Lock order everywhere: membership rows (sorted by creator, user), then their
// daily rows, then the streams' live-event locks (appendLiveEvents). The fold
// runs this hook before the level-up hook, which takes live-event locks.
//
// No "server-only": the earnings folder (and so the benchmarks) run this.
import type pg from "pg";
import { z } from "zod";
import { AppError } from "../errors";
import { checkedText } from "../validation/input";
import {
  defaultFanClubName,
  FAN_CLUB_JOIN_GIFT,
  FAN_CLUB_RULES,
  fanGiftPoints,
  fanLevel,
  fanLevelReached,
  fanMembershipState,
  fanPointsToNextLevel,
  validateFanClubName,
  type FanMembershipState,
} from "../economy/fans";
import type { FoldedGifts } from "../earnings/fold-hooks";
import { inTransaction } from "../db/transaction";
import type { Queryable } from "../db/queryable";
import { column, queryRow, queryRows } from "../db/rows";
import { PRESENCE_HEARTBEAT_MS, PRESENCE_TTL_HEARTBEATS } from "./bus";
import { appendLiveEvents, type NewLiveEvent } from "./events";
import { fanNoticeBody } from "./fan-body";
import { activeFanSql, fanPointsSql } from "./fan-sql";
import { setting } from "../env";
import { displayNamesOf } from "./user-names";

const NO_STREAM = "00000000-0000-0000-0000-000000000000";
const WATCH_TTL_SECONDS = (PRESENCE_HEARTBEAT_MS * PRESENCE_TTL_HEARTBEATS) / 1000;
/** How often each instance tries to claim the current minute (a minute is credited by the first try in it). */
export const FAN_WATCH_TICK_MS = 10_000;
/** Claimed minutes older than this are forgotten (only the current minute is ever claimed). */
const KEEP_MINUTES_HOURS = 48;

/** A club's badge: its name and the member's fan level. */
export interface FanBadge {
  club: string;
  level: number;
}

/** A refusal of the naming form: its message is shown at the name field. */
export class FanClubError extends AppError<"INVALID" | "FORBIDDEN"> {
  static override readonly brand = "FanClubError";

  constructor(code: "INVALID" | "FORBIDDEN", message: string) {
    super(code, message, { name: message });
  }
}

const key = (creatorId: string, userId: string) => `${creatorId}:${userId}`;

interface LockedMember {
  points: bigint;
  active: boolean;
}

/** A membership row locked by lockMembers(), under its pair's key. */
const ZLockedMember = z
  .object({ creator_id: column.text, user_id: column.text, points: column.int8, active: column.bool })
  .transform((r): [string, LockedMember] => [key(r.creator_id, r.user_id), { points: r.points, active: r.active }]);

/** A club by its creator, and its name. */
const ZClubName = z.object({ creator_id: column.text, name: column.text }).transform((r) => [r.creator_id, r.name] as const);

const ZStreamCreator = z.object({ id: column.text, creator_id: column.text }).transform((r) => [r.id, r.creator_id] as const);

const ZClaimedMinute = z.object({ minute: column.time }).transform((r) => r.minute);

/** A member watching a LIVE of their club's creator. */
const ZWatchingMember = z
  .object({ creator_id: column.text, user_id: column.text, stream_id: column.text })
  .transform((r) => ({ creatorId: r.creator_id, userId: r.user_id, streamId: r.stream_id }));

const ZCreditedMember = z.object({ creator_id: column.text, user_id: column.text }).transform((r) => key(r.creator_id, r.user_id));

/** Locks the membership rows of these pairs (sorted, so concurrent writers never deadlock) and reads them. */
async function lockMembers(
  client: Queryable,
  pairs: ReadonlyArray<{ creatorId: string; userId: string }>,
  at = "now()",
  atParams: unknown[] = [],
): Promise<Map<string, LockedMember>> {
  if (!pairs.length) return new Map();
  const n = atParams.length;
  const rows = await queryRows(
    client,
    ZLockedMember,
    `SELECT m.creator_id::text AS creator_id, m.user_id::text AS user_id, ${fanPointsSql("m")}::bigint AS points, ${activeFanSql("m", `$${n + 3}`, at)} AS active
       FROM fan_club_members m JOIN unnest($${n + 1}::uuid[], $${n + 2}::uuid[]) AS p(creator_id, user_id) ON p.creator_id = m.creator_id AND p.user_id = m.user_id
      ORDER BY m.creator_id, m.user_id FOR UPDATE OF m`,
    [...atParams, pairs.map((p) => p.creatorId), pairs.map((p) => p.userId), setting("FAN_CLUB_LAPSE_DAYS")],
  );
  return new Map(rows);
}

/** The clubs' names (made with the default name where a creator has none yet). */
async function ensureClubs(client: Queryable, creatorIds: readonly string[]): Promise<Map<string, string>> {
  if (!creatorIds.length) return new Map();
  const users = [...(await displayNamesOf(client, creatorIds))];
  await client.query(`INSERT INTO fan_clubs (creator_id, name) SELECT * FROM unnest($1::uuid[], $2::text[]) ORDER BY 1 ON CONFLICT (creator_id) DO NOTHING`, [
    users.map(([id]) => id),
    users.map(([, name]) => defaultFanClubName(name)),
  ]);
  return clubNames(client, creatorIds);
}

async function clubNames(client: Queryable, creatorIds: readonly string[]): Promise<Map<string, string>> {
  if (!creatorIds.length) return new Map();
  return new Map(
    await queryRows(client, ZClubName, "SELECT creator_id::text AS creator_id, name FROM fan_clubs WHERE creator_id = ANY($1::uuid[])", [[...creatorIds]]),
  );
}

interface FoldedPair {
  creatorId: string;
  userId: string;
  coins: bigint;
  /** The stream of the pair's Heart Me in this fold (null when none). */
  heartMeStream: string | null;
  /** The stream the pair's gifts in this fold gave the most coins to. */
  topStream: string;
  topCoins: bigint;
}

/**
 * The fold hook: joins (a Heart Me), renewals (a Heart Me from a lapsed
 * member) and gift points (every gift of a member), for gifts sent in a
 * stream of the creator they were sent to. Gifts that earn no points (before
 * the first join, while lapsed) are counted as uncounted coins, so the gift
 * points reconcile with the ledger (findFanPointsDrift).
 */
export async function foldFanClubs(client: pg.PoolClient, folded: readonly FoldedGifts[]): Promise<void> {
  const candidates = folded.filter((f) => f.supporterId && f.creatorId && f.supporterId !== f.creatorId && f.streamId !== NO_STREAM && f.coins > 0n);
  if (!candidates.length) return;
  // Only gifts sent in a stream that exists, of the creator they went to.
  const creatorOf = new Map(
    await queryRows(client, ZStreamCreator, "SELECT id::text AS id, creator_id::text AS creator_id FROM streams WHERE id = ANY($1::uuid[])", [
      [...new Set(candidates.map((f) => f.streamId))],
    ]),
  );
  const pairs = new Map<string, FoldedPair>();
  for (const f of candidates) {
    if (creatorOf.get(f.streamId) !== f.creatorId) continue;
    const k = key(f.creatorId!, f.supporterId!);
    let pair = pairs.get(k);
    if (!pair) {
      pair = { creatorId: f.creatorId!, userId: f.supporterId!, coins: 0n, heartMeStream: null, topStream: f.streamId, topCoins: 0n };
      pairs.set(k, pair);
    }
    pair.coins += f.coins;
    if (f.giftId === FAN_CLUB_JOIN_GIFT) pair.heartMeStream ??= f.streamId;
    if (f.coins > pair.topCoins) Object.assign(pair, { topStream: f.streamId, topCoins: f.coins });
  }
  if (!pairs.size) return;

  const sorted = [...pairs.values()].sort((a, b) => (a.creatorId === b.creatorId ? (a.userId < b.userId ? -1 : 1) : a.creatorId < b.creatorId ? -1 : 1));
  const members = await lockMembers(client, sorted);
  const joins: FoldedPair[] = [];
  const counted: Array<FoldedPair & { before: bigint; rejoin: boolean }> = [];
  const uncounted: FoldedPair[] = [];
  for (const pair of sorted) {
    const member = members.get(key(pair.creatorId, pair.userId));
    if (!member) {
      if (pair.heartMeStream) joins.push(pair);
    } else if (member.active || pair.heartMeStream) counted.push({ ...pair, before: member.points, rejoin: !member.active });
    else uncounted.push(pair);
  }

  const names = await ensureClubs(client, [...new Set(joins.map((j) => j.creatorId))]);
  if (joins.length) {
    // Coins this viewer gave the creator in earlier folds earned no points: the baseline.
    await client.query(
      `INSERT INTO fan_club_members (creator_id, user_id, gift_points, uncounted_coins)
       SELECT j.creator_id, j.user_id, j.points,
              (SELECT COALESCE(sum(es.coins), 0) FROM ledger_accounts da
                 JOIN earnings_supporters es ON es.account_id = da.id
                 JOIN ledger_accounts va ON va.id = es.supporter_account_id AND va.user_id = j.user_id
                 JOIN streams s ON s.id = es.stream_id AND s.creator_id = j.creator_id
                WHERE da.user_id = j.creator_id AND da.kind = 'CREATOR_DIAMONDS') - j.coins
         FROM unnest($1::uuid[], $2::uuid[], $3::bigint[], $4::bigint[]) AS j(creator_id, user_id, points, coins)
        ORDER BY 1, 2`,
      [joins.map((j) => j.creatorId), joins.map((j) => j.userId), joins.map((j) => String(fanGiftPoints(j.coins))), joins.map((j) => String(j.coins))],
    );
  }
  if (counted.length) {
    await client.query(
      `UPDATE fan_club_members m SET gift_points = m.gift_points + v.points, last_active_at = now(),
              joined_at = CASE WHEN v.rejoin THEN now() ELSE m.joined_at END
         FROM unnest($1::uuid[], $2::uuid[], $3::bigint[], $4::boolean[]) AS v(creator_id, user_id, points, rejoin)
        WHERE m.creator_id = v.creator_id AND m.user_id = v.user_id`,
      [counted.map((c) => c.creatorId), counted.map((c) => c.userId), counted.map((c) => String(fanGiftPoints(c.coins))), counted.map((c) => c.rejoin)],
    );
  }
  if (uncounted.length) {
    await client.query(
      `UPDATE fan_club_members m SET uncounted_coins = m.uncounted_coins + v.coins
         FROM unnest($1::uuid[], $2::uuid[], $3::bigint[]) AS v(creator_id, user_id, coins)
        WHERE m.creator_id = v.creator_id AND m.user_id = v.user_id`,
      [uncounted.map((c) => c.creatorId), uncounted.map((c) => c.userId), uncounted.map((c) => String(c.coins))],
    );
  }
  const earned = [...joins, ...counted];
  if (earned.length) {
    await client.query(
      `INSERT INTO fan_points_daily AS d (creator_id, user_id, day, gift_points)
       SELECT v.creator_id, v.user_id, (now() AT TIME ZONE 'UTC')::date, v.points FROM unnest($1::uuid[], $2::uuid[], $3::bigint[]) AS v(creator_id, user_id, points) ORDER BY 1, 2
       ON CONFLICT (creator_id, user_id, day) DO UPDATE SET gift_points = d.gift_points + excluded.gift_points`,
      [earned.map((c) => c.creatorId), earned.map((c) => c.userId), earned.map((c) => String(fanGiftPoints(c.coins)))],
    );
  }

  // Notices: a join (or renewal) in the stream of the Heart Me; a level-up in the stream given the most.
  const allNames = new Map([...names, ...(await clubNames(client, [...new Set(counted.map((c) => c.creatorId))]))]);
  const events: NewLiveEvent[] = [];
  for (const j of joins) {
    events.push(fanEvent(j.heartMeStream!, j.userId, { type: "join", club: allNames.get(j.creatorId)!, level: fanLevel(fanGiftPoints(j.coins)) }));
  }
  for (const c of counted) {
    const after = c.before + fanGiftPoints(c.coins);
    if (c.rejoin) events.push(fanEvent(c.heartMeStream!, c.userId, { type: "join", club: allNames.get(c.creatorId)!, level: fanLevel(after) }));
    else {
      const level = fanLevelReached(c.before, after);
      if (level !== null) events.push(fanEvent(c.topStream, c.userId, { type: "level", club: allNames.get(c.creatorId)!, level }));
    }
  }
  await appendLiveEvents(client, events);
}

function fanEvent(streamId: string, userId: string, body: Parameters<typeof fanNoticeBody>[0]): NewLiveEvent {
  return { streamId, kind: "fan", userId, body: fanNoticeBody(body) };
}

/**
 * A chat message by `userId` in a stream of `creatorId`, inside postChat's
 * transaction (before its event is written): an active member's last activity
 * moves to now and, within the daily cap, they earn a chat point. Returns the
 * level-up notice to write with the message, if the point made one.
 */
export async function addChatFanPoint(
  client: pg.PoolClient,
  { creatorId, userId, streamId }: { creatorId: string; userId: string; streamId: string },
): Promise<NewLiveEvent[]> {
  if (creatorId === userId) return [];
  const member = (await lockMembers(client, [{ creatorId, userId }])).get(key(creatorId, userId));
  if (!member?.active) return [];
  const { rows } = await client.query(
    `INSERT INTO fan_points_daily AS d (creator_id, user_id, day, chat_points) VALUES ($1, $2, (now() AT TIME ZONE 'UTC')::date, 1)
     ON CONFLICT (creator_id, user_id, day) DO UPDATE SET chat_points = d.chat_points + 1 WHERE d.chat_points < $3
     RETURNING 1`,
    [creatorId, userId, FAN_CLUB_RULES.chatPointsPerDay],
  );
  const point = rows.length ? 1n : 0n;
  await client.query("UPDATE fan_club_members SET last_active_at = now(), chat_points = chat_points + $3 WHERE creator_id = $1 AND user_id = $2", [
    creatorId,
    userId,
    String(point),
  ]);
  const level = fanLevelReached(member.points, member.points + point);
  if (level === null) return [];
  const club = (await clubNames(client, [creatorId])).get(creatorId)!;
  return [fanEvent(streamId, userId, { type: "level", club, level })];
}

/**
 * Credits one minute watched to every active member watching a LIVE of their
 * club's creator now, if this call is the first to claim the minute (on any
 * instance): the claim and the credits are one transaction. Within the daily
 * cap a minute earns a point; past it, it still counts as activity. Returns
 * the members credited (0 when another instance had the minute).
 */
export async function creditWatchMinutes(pool: pg.Pool, { minute }: { minute?: Date } = {}): Promise<number> {
  return inTransaction(pool, async (client) => {
    const at = await queryRow(
      client,
      ZClaimedMinute,
      `INSERT INTO fan_watch_minutes (minute) VALUES (date_trunc('minute', COALESCE($1::timestamptz, now()), 'UTC')) ON CONFLICT (minute) DO NOTHING RETURNING minute`,
      [minute ?? null],
    );
    if (!at) return 0; // another instance (or an earlier run) had this minute
    const pairs = await queryRows(
      client,
      ZWatchingMember,
      `SELECT DISTINCT ON (m.creator_id, m.user_id) m.creator_id::text AS creator_id, m.user_id::text AS user_id, s.id::text AS stream_id
         FROM live_watchers w JOIN streams s ON s.id = w.stream_id AND s.status = 'LIVE'
         JOIN fan_club_members m ON m.creator_id = s.creator_id AND m.user_id = w.user_id
        WHERE w.seen_at > now() - make_interval(secs => $1::float8) AND ${activeFanSql("m", "$2", "$3::timestamptz")}
        ORDER BY m.creator_id, m.user_id, s.id`,
      [WATCH_TTL_SECONDS, setting("FAN_CLUB_LAPSE_DAYS"), at],
    );
    // Locked, then checked again: a fold or a chat may have changed them since the read above.
    const members = await lockMembers(client, pairs, "$1::timestamptz", [at]);
    const active = pairs.filter((p) => members.get(key(p.creatorId, p.userId))?.active);
    let credited = new Set<string>();
    if (active.length) {
      const rows = await queryRows(
        client,
        ZCreditedMember,
        `INSERT INTO fan_points_daily AS d (creator_id, user_id, day, watch_minutes)
         SELECT v.creator_id, v.user_id, ($3::timestamptz AT TIME ZONE 'UTC')::date, 1 FROM unnest($1::uuid[], $2::uuid[]) AS v(creator_id, user_id) ORDER BY 1, 2
         ON CONFLICT (creator_id, user_id, day) DO UPDATE SET watch_minutes = d.watch_minutes + 1 WHERE d.watch_minutes < $4
         RETURNING creator_id::text AS creator_id, user_id::text AS user_id`,
        [active.map((p) => p.creatorId), active.map((p) => p.userId), at, FAN_CLUB_RULES.watchMinutesPerDay],
      );
      credited = new Set(rows);
      // Every minute watched is activity; within the cap it is also a point.
      await client.query(
        `UPDATE fan_club_members m SET last_active_at = GREATEST(m.last_active_at, $4::timestamptz), watch_points = m.watch_points + v.points
           FROM unnest($1::uuid[], $2::uuid[], $3::bigint[]) AS v(creator_id, user_id, points)
          WHERE m.creator_id = v.creator_id AND m.user_id = v.user_id`,
        [active.map((p) => p.creatorId), active.map((p) => p.userId), active.map((p) => (credited.has(key(p.creatorId, p.userId)) ? "1" : "0")), at],
      );
      const pointsBefore = (p: { creatorId: string; userId: string }) => members.get(key(p.creatorId, p.userId))!.points;
      const levelUps = active.filter((p) => credited.has(key(p.creatorId, p.userId)) && fanLevelReached(pointsBefore(p), pointsBefore(p) + 1n) !== null);
      const names = await clubNames(client, [...new Set(levelUps.map((p) => p.creatorId))]);
      await appendLiveEvents(
        client,
        levelUps.map((p) => fanEvent(p.streamId, p.userId, { type: "level", club: names.get(p.creatorId)!, level: fanLevel(pointsBefore(p) + 1n) })),
      );
    }
    await client.query("UPDATE fan_watch_minutes SET members = $2 WHERE minute = $1", [at, credited.size]);
    await client.query(`DELETE FROM fan_watch_minutes WHERE minute < $1::timestamptz - make_interval(hours => $2)`, [at, KEEP_MINUTES_HOURS]);
    return credited.size;
  });
}

// ---------------------------------------------------------------------------
// The creator's side

export interface FanClubView {
  name: string;
  /** False while the club has the name made from the creator's (they have not named it). */
  named: boolean;
  members: number;
  activeMembers: number;
}

/** The creator's club (null before anyone joined and before they named it). */
const ZFanClubView = z
  .object({ name: column.text, named: column.bool, members: column.int4, active: column.int4 })
  .transform((r): FanClubView => ({ name: r.name, named: r.named, members: r.members, activeMembers: r.active }));

export async function getFanClub(db: Queryable, creatorId: string): Promise<FanClubView | null> {
  return queryRow(
    db,
    ZFanClubView,
    `SELECT c.name, c.named_at IS NOT NULL AS named,
            (SELECT count(*)::int FROM fan_club_members m WHERE m.creator_id = c.creator_id) AS members,
            (SELECT count(*)::int FROM fan_club_members m WHERE m.creator_id = c.creator_id AND ${activeFanSql("m", "$2")}) AS active
       FROM fan_clubs c WHERE c.creator_id = $1`,
    [creatorId, setting("FAN_CLUB_LAPSE_DAYS")],
  );
}

/** The naming form: one field, the club's name, checked by the rule in lib/economy/fans.ts. */
export const ZFanClubForm = z.object({ name: checkedText(validateFanClubName, "Name your fan club first.") });

/** Names (or renames) the creator's club; returns the name as stored. */
export async function nameFanClub(db: Queryable, creator: { id: string; role: string }, raw: string): Promise<string> {
  if (creator.role !== "CREATOR") throw new FanClubError("FORBIDDEN", "Only creators have a fan club.");
  const checked = validateFanClubName(raw);
  if (!checked.ok) throw new FanClubError("INVALID", checked.message);
  await db.query(
    `INSERT INTO fan_clubs (creator_id, name, named_at) VALUES ($1, $2, now())
     ON CONFLICT (creator_id) DO UPDATE SET name = excluded.name, named_at = now(), updated_at = now()`,
    [creator.id, checked.value],
  );
  return checked.value;
}

export interface FanClubMemberRow {
  userId: string;
  name: string;
  level: number;
  points: bigint;
  watchPoints: bigint;
  chatPoints: bigint;
  giftPoints: bigint;
  /** Today's (UTC) minutes watched, chat points and gift points. */
  today: { watchMinutes: number; chatPoints: number; giftPoints: bigint };
  joinedAt: Date;
  lastActiveAt: Date;
  status: FanMembershipState;
}

/** A member's row of listFanClubMembers(), before the level and status that follow from it. */
const ZFanClubMember = z
  .object({
    user_id: column.text,
    name: column.text,
    watch_points: column.int8,
    chat_points: column.int8,
    gift_points: column.int8,
    joined_at: column.time,
    last_active_at: column.time,
    today_watch: column.int4,
    today_chat: column.int4,
    today_gift: column.int8,
  })
  .transform((r) => ({
    userId: r.user_id,
    name: r.name,
    watchPoints: r.watch_points,
    chatPoints: r.chat_points,
    giftPoints: r.gift_points,
    today: { watchMinutes: r.today_watch, chatPoints: r.today_chat, giftPoints: r.today_gift },
    joinedAt: r.joined_at,
    lastActiveAt: r.last_active_at,
  }));

/** The club's members, most recently active first (lapsed ones last, by the same order). */
export async function listFanClubMembers(
  db: Queryable,
  creatorId: string,
  { limit = 100, now = new Date() }: { limit?: number; now?: Date } = {},
): Promise<FanClubMemberRow[]> {
  const rows = await queryRows(
    db,
    ZFanClubMember,
    `SELECT m.user_id::text AS user_id, u.display_name AS name, m.watch_points, m.chat_points, m.gift_points, m.joined_at, m.last_active_at,
            COALESCE(d.watch_minutes, 0)::int AS today_watch, COALESCE(d.chat_points, 0)::int AS today_chat, COALESCE(d.gift_points, 0)::bigint AS today_gift
       FROM fan_club_members m JOIN users u ON u.id = m.user_id
       LEFT JOIN fan_points_daily d ON d.creator_id = m.creator_id AND d.user_id = m.user_id AND d.day = (now() AT TIME ZONE 'UTC')::date
      WHERE m.creator_id = $1
      ORDER BY m.last_active_at DESC, m.user_id LIMIT $2`,
    [creatorId, Math.max(1, Math.min(500, Math.trunc(limit)))],
  );
  const lapseDays = setting("FAN_CLUB_LAPSE_DAYS");
  return rows.map((member) => {
    const points = member.watchPoints + member.chatPoints + member.giftPoints;
    return {
      userId: member.userId,
      name: member.name,
      level: fanLevel(points),
      points,
      watchPoints: member.watchPoints,
      chatPoints: member.chatPoints,
      giftPoints: member.giftPoints,
      today: member.today,
      joinedAt: member.joinedAt,
      lastActiveAt: member.lastActiveAt,
      status: fanMembershipState(member.lastActiveAt.getTime(), now.getTime(), lapseDays),
    };
  });
}

// ---------------------------------------------------------------------------
// The member's side

export interface MyFanClub {
  creatorId: string;
  creatorName: string;
  club: string;
  level: number;
  points: bigint;
  next: { level: number; pointsToGo: bigint } | null;
  joinedAt: Date;
  lastActiveAt: Date;
  status: FanMembershipState;
  /** The creator's LIVE now, if any (where a Heart Me renews a lapsed membership). */
  liveStreamId: string | null;
}

/** A club's row of listMyFanClubs(), before the level and status that follow from it. */
const ZMyFanClub = z
  .object({
    creator_id: column.text,
    creator_name: column.text,
    club: column.text,
    points: column.int8,
    joined_at: column.time,
    last_active_at: column.time,
    live_stream_id: column.text.nullable(),
  })
  .transform((r) => ({
    creatorId: r.creator_id,
    creatorName: r.creator_name,
    club: r.club,
    points: r.points,
    joinedAt: r.joined_at,
    lastActiveAt: r.last_active_at,
    liveStreamId: r.live_stream_id,
  }));

/** The viewer's fan clubs (for the wallet and the stream page), active ones first. */
export async function listMyFanClubs(
  db: Queryable,
  userId: string,
  { creatorId, now = new Date() }: { creatorId?: string; now?: Date } = {},
): Promise<MyFanClub[]> {
  const rows = await queryRows(
    db,
    ZMyFanClub,
    `SELECT m.creator_id::text AS creator_id, u.display_name AS creator_name, c.name AS club, ${fanPointsSql("m")}::bigint AS points, m.joined_at, m.last_active_at,
            (SELECT s.id::text FROM streams s WHERE s.creator_id = m.creator_id AND s.status = 'LIVE' ORDER BY s.started_at DESC LIMIT 1) AS live_stream_id
       FROM fan_club_members m JOIN fan_clubs c ON c.creator_id = m.creator_id JOIN users u ON u.id = m.creator_id
      WHERE m.user_id = $1 AND ($2::uuid IS NULL OR m.creator_id = $2::uuid)
      ORDER BY m.last_active_at DESC LIMIT 100`,
    [userId, creatorId ?? null],
  );
  const lapseDays = setting("FAN_CLUB_LAPSE_DAYS");
  return rows.map((club) => ({
    creatorId: club.creatorId,
    creatorName: club.creatorName,
    club: club.club,
    level: fanLevel(club.points),
    points: club.points,
    next: fanPointsToNextLevel(club.points),
    joinedAt: club.joinedAt,
    lastActiveAt: club.lastActiveAt,
    status: fanMembershipState(club.lastActiveAt.getTime(), now.getTime(), lapseDays),
    liveStreamId: club.liveStreamId,
  }));
}

// ---------------------------------------------------------------------------
// Reconciliation

export interface FanPointsDrift {
  creatorId: string;
  userId: string;
  giftPoints: bigint;
  uncountedCoins: bigint;
  /** Coins of the folded GIFT transfers from the member to the creator, in the creator's streams. */
  postedCoins: bigint;
}

/**
 * Memberships whose gift points disagree with the ledger: gift_points must be
 * what the rule gives (fanGiftPoints) for the coins counted, and the coins
 * counted plus the uncounted ones must equal the coins of the ledger's GIFT
 * transfers from the member's coin wallet to the creator's diamonds, sent in
 * the creator's streams and already folded (gifts still pending a fold are
 * left out on both sides: the fold adds them to the membership when it
 * removes them from earnings_pending, in one transaction). Must be none.
 */
const ZFanPointsDrift = z
  .object({ creator_id: column.text, user_id: column.text, gift_points: column.int8, uncounted_coins: column.int8, posted: column.int8 })
  .transform((r): FanPointsDrift => ({
    creatorId: r.creator_id,
    userId: r.user_id,
    giftPoints: r.gift_points,
    uncountedCoins: r.uncounted_coins,
    postedCoins: r.posted,
  }));

export async function findFanPointsDrift(db: Queryable): Promise<FanPointsDrift[]> {
  return queryRows(
    db,
    ZFanPointsDrift,
    `WITH pending AS (SELECT DISTINCT unnest(transfer_ids) AS id FROM earnings_pending),
     members AS (
       SELECT m.creator_id, m.user_id, m.gift_points, m.uncounted_coins, va.id AS coin_account, da.id AS diamond_account
         FROM fan_club_members m
         LEFT JOIN ledger_accounts va ON va.user_id = m.user_id AND va.kind = 'VIEWER_COINS'
         LEFT JOIN ledger_accounts da ON da.user_id = m.creator_id AND da.kind = 'CREATOR_DIAMONDS'),
     posted AS (
       SELECT m.creator_id, m.user_id, -sum(pc.amount) AS coins
         FROM members m
         JOIN ledger_postings pc ON pc.account_id = m.coin_account AND pc.asset = 'COIN' AND pc.amount < 0
         JOIN ledger_transfers t ON t.id = pc.transfer_id AND t.kind = 'GIFT'
         JOIN streams s ON s.creator_id = m.creator_id
              AND s.id = CASE WHEN t.metadata->>'streamId' ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' THEN (t.metadata->>'streamId')::uuid END
        WHERE EXISTS (SELECT 1 FROM ledger_postings pd WHERE pd.transfer_id = t.id AND pd.account_id = m.diamond_account AND pd.amount > 0)
          AND NOT EXISTS (SELECT 1 FROM pending WHERE pending.id = t.id)
        GROUP BY m.creator_id, m.user_id)
     SELECT m.creator_id::text AS creator_id, m.user_id::text AS user_id, m.gift_points, m.uncounted_coins,
            COALESCE(p.coins, 0)::bigint AS posted
       FROM members m LEFT JOIN posted p ON p.creator_id = m.creator_id AND p.user_id = m.user_id
      WHERE m.gift_points <> (COALESCE(p.coins, 0) - m.uncounted_coins) * $1::bigint`,
    [String(fanGiftPoints(1n))],
  );
}
