import "server-only";
import { frozenRefusal } from "../fraud/freezes";
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { getLedger } from "../ledger";
import type { UserProfile } from "../auth/users";
import { anonymousKey, appendLiveEvents, gifterLevelSql, LEVEL_THRESHOLDS_PARAM } from "./events";
import { ANONYMOUS_NAME } from "./periods";
import { inTransaction } from "../db/transaction";
import { forgetStreamStatus, ZStreamStatus } from "./stream-status";
import { isUuid, unsafeCharacterMessage } from "../validation/input";
import { getRateLimiter, RATE_LIMITS } from "../limits";
import { closeMatchesOfEndingStream, lockCreatorOfStream } from "./match";
import { addChatFanPoint, type FanBadge } from "./fans";
import { activeFanSql, FAN_THRESHOLDS_PARAM, fanLevelSql, ZFanBadge } from "./fan-sql";
import { setting } from "../env";
import { AppError } from "../errors";
import { getPrisma } from "../db/prisma";
import type { Prisma } from "../db/generated/prisma/client";
import { column, queryRow, queryRows } from "../db/rows";

export interface StreamView {
  id: string;
  creatorId: string;
  creatorName: string;
  title: string;
  status: "LIVE" | "ENDED";
  goalCoins: bigint | null;
  startedAt: Date;
  endedAt: Date | null;
  coinsReceived: bigint;
  gifts: number;
  /** Most viewers at once, summed over app instances (kept by the presence heartbeat). */
  peakViewers: number;
}

export type LiveErrorCode =
  | "NOT_FOUND"
  | "FORBIDDEN"
  | "ENDED"
  | "INVALID"
  | "UNDER_AGE"
  | "OWN_STREAM"
  | "RATE_LIMITED"
  | "INSUFFICIENT_COINS"
  | "COIN_DEBT"
  | "KEY_REUSED"
  | "FROZEN"
  | "CONFLICT"
  | "LIMIT";

/** The HTTP status a route handler answers with for each refusal. */
export const LIVE_ERROR_STATUS: Record<LiveErrorCode, number> = {
  NOT_FOUND: 404,
  FORBIDDEN: 403,
  ENDED: 409,
  INVALID: 400,
  UNDER_AGE: 403,
  OWN_STREAM: 403,
  RATE_LIMITED: 429,
  INSUFFICIENT_COINS: 402,
  /** The viewer owes coins from a refunded purchase (decision 016). */
  COIN_DEBT: 403,
  KEY_REUSED: 409,
  FROZEN: 403,
  /** A LIVE Match that cannot be made or answered now (someone is in another match, the invitation lapsed…). */
  CONFLICT: 409,
  /** A treasure box past the dropper's daily limits or monthly budget (decision 020). */
  LIMIT: 403,
};

export class LiveError extends AppError<LiveErrorCode> {
  static override readonly brand = "LiveError";
}

export const ZGoLive = z.object({
  title: z
    .string()
    .trim()
    .min(3, "A title has at least 3 characters.")
    .max(80, "A title has at most 80 characters.")
    .superRefine((title, ctx) => {
      const message = unsafeCharacterMessage(title, "A title");
      if (message) ctx.addIssue({ code: "custom", message });
    }),
  goalCoins: z
    .string()
    .trim()
    .regex(/^\d*$/, "The goal is a whole number of coins.")
    .transform((v) => (v === "" ? null : BigInt(v)))
    .refine((v) => v === null || (v >= 10n && v <= 100_000_000n), "Set a goal between 10 and 100,000,000 coins, or leave it empty."),
});

/** What a StreamView is made of: the stream with its creator's name, as Prisma reads it. */
const STREAM_READ = { include: { creator: { select: { displayName: true } } } } as const;

type StreamRecord = Prisma.StreamGetPayload<typeof STREAM_READ>;

/** The coins and the number of the gifts each of these streams received (none: absent). */
async function giftTotals(streamIds: readonly string[]): Promise<Map<string, { coins: bigint; gifts: number }>> {
  if (!streamIds.length) return new Map();
  const groups = await getPrisma().liveEvent.groupBy({
    by: ["streamId"],
    where: { streamId: { in: [...streamIds] }, kind: "gift" },
    _sum: { coins: true },
    _count: { _all: true },
  });
  return new Map(groups.map((g) => [g.streamId, { coins: g._sum.coins ?? 0n, gifts: g._count._all }]));
}

function toView(stream: StreamRecord, totals: Map<string, { coins: bigint; gifts: number }>): StreamView {
  const received = totals.get(stream.id);
  return {
    id: stream.id,
    creatorId: stream.creatorId,
    creatorName: stream.creator.displayName,
    title: stream.title,
    status: stream.status,
    goalCoins: stream.goalCoins,
    startedAt: stream.startedAt,
    endedAt: stream.endedAt,
    coinsReceived: received?.coins ?? 0n,
    gifts: received?.gifts ?? 0,
    peakViewers: stream.peakViewers,
  };
}

async function toViews(streams: readonly StreamRecord[]): Promise<StreamView[]> {
  const totals = await giftTotals(streams.map((s) => s.id));
  return streams.map((stream) => toView(stream, totals));
}

export async function getStream(id: string): Promise<StreamView | null> {
  if (!isUuid(id)) return null;
  const [stream, totals] = await Promise.all([getPrisma().stream.findUnique({ where: { id }, ...STREAM_READ }), giftTotals([id])]);
  return stream ? toView(stream, totals) : null;
}

export async function listLiveStreams(): Promise<StreamView[]> {
  return toViews(await getPrisma().stream.findMany({ where: { status: "LIVE" }, orderBy: { startedAt: "desc" }, take: 50, ...STREAM_READ }));
}

/** The id of the LIVE the creator with this email runs now (the latest, if several), or null: how the simulated audience finds its stream. */
export async function liveStreamIdOf(creatorEmail: string): Promise<string | null> {
  const stream = await getPrisma().stream.findFirst({
    where: { status: "LIVE", creator: { email: creatorEmail } },
    orderBy: { startedAt: "desc" },
    select: { id: true },
  });
  return stream?.id ?? null;
}

export async function getCurrentStream(creatorId: string): Promise<StreamView | null> {
  const stream = await getPrisma().stream.findFirst({ where: { creatorId, status: "LIVE" }, ...STREAM_READ });
  return stream ? (await toViews([stream]))[0]! : null;
}

/** Starts a LIVE for a creator (or returns the one already running). */
export async function goLive(creator: UserProfile, input: { title: string; goalCoins: bigint | null }): Promise<StreamView> {
  if (creator.role !== "CREATOR") throw new LiveError("FORBIDDEN", "Only creator accounts can go live.");
  const unsafe = unsafeCharacterMessage(input.title, "A title");
  if (unsafe) throw new LiveError("INVALID", unsafe);
  await inTransaction(getLedger().pool, async (client) => {
    await client.query("SELECT pg_advisory_xact_lock(hashtext($1))", [`golive:${creator.id}`]);
    const { rows } = await client.query("SELECT id FROM streams WHERE creator_id = $1 AND status = 'LIVE'", [creator.id]);
    if (!rows[0]) {
      await getLedger().userAccount(creator.id, "CREATOR_DIAMONDS", client);
      await client.query("INSERT INTO streams (id, creator_id, title, goal_coins) VALUES (gen_random_uuid(), $1, $2, $3)", [
        creator.id,
        input.title,
        input.goalCoins,
      ]);
    }
  });
  return (await getCurrentStream(creator.id))!;
}

/** Ends the creator's stream; viewers are told at once. */
export async function endStream(creator: UserProfile, streamId: string): Promise<void> {
  if (!isUuid(streamId)) throw new LiveError("NOT_FOUND", "This stream does not exist.");
  await inTransaction(getLedger().pool, async (client) => {
    // The creator's match lock comes before the stream's row (lib/live/match.ts, lock order).
    await lockCreatorOfStream(client, streamId);
    const stream = await queryRow(client, ZStreamStatus, "SELECT creator_id, status FROM streams WHERE id = $1 FOR UPDATE", [streamId]);
    if (!stream) throw new LiveError("NOT_FOUND", "This stream does not exist.");
    if (stream.creatorId !== creator.id && creator.role !== "OPERATOR") throw new LiveError("FORBIDDEN", "Only the creator can end this stream.");
    if (stream.status === "LIVE") {
      // A creator who ends their LIVE during a match forfeits it.
      await closeMatchesOfEndingStream(client, streamId);
      await client.query("UPDATE streams SET status = 'ENDED', ended_at = now() WHERE id = $1", [streamId]);
      await appendLiveEvents(client, [{ streamId, kind: "ended" }]);
    }
  });
  forgetStreamStatus(streamId);
}

/** Chat messages a viewer may post per second (on all app instances together). */
export const CHAT_RATE_PER_SECOND = RATE_LIMITS.chat.limit;

/** Checks a chat message as postChat() would store it; returns the trimmed text. */
export function validateChatMessage(text: string): string {
  const body = text.trim();
  if (!body) throw new LiveError("INVALID", "Write a message first.");
  if (body.length > 200) throw new LiveError("INVALID", "A message has at most 200 characters.");
  const unsafe = unsafeCharacterMessage(body, "A message");
  if (unsafe) throw new LiveError("INVALID", unsafe);
  return body;
}

/** A chat message: checked, rate-limited per viewer, stored and announced like a gift. */
export async function postChat(user: UserProfile, streamId: string, text: string, now = Date.now()): Promise<void> {
  const body = validateChatMessage(text);
  if (!isUuid(streamId)) throw new LiveError("NOT_FOUND", "This stream does not exist.");
  const frozen = await frozenRefusal(user.id, now);
  if (frozen) throw new LiveError("FROZEN", frozen);
  if (!getRateLimiter("chat").check(user.id, now)) throw new LiveError("RATE_LIMITED", "You are sending messages too fast. Wait a moment and try again.");
  await inTransaction(getLedger().pool, async (client) => {
    const stream = await queryRow(client, ZStreamStatus, "SELECT creator_id, status FROM streams WHERE id = $1", [streamId]);
    if (!stream) throw new LiveError("NOT_FOUND", "This stream does not exist.");
    if (stream.status !== "LIVE") throw new LiveError("ENDED", "This LIVE has ended.");
    // A member's chat point (within the daily cap) before the event: membership rows come before live-event locks.
    const fanNotices = await addChatFanPoint(client, { creatorId: stream.creatorId, userId: user.id, streamId });
    await appendLiveEvents(client, [{ streamId, kind: "chat", userId: user.id, body }, ...fanNotices]);
  });
}

/** A gifter's row of topGifters(): their coins in the stream (or the creator's streams), level and badge. */
const ZRankedGifterRow = z
  .object({ user_id: column.text, hidden: column.bool, name: column.text, coins: column.int8, level: column.int4, fan: ZFanBadge.nullable() })
  .transform((r) => ({ userId: r.user_id, hidden: r.hidden, name: r.name, coins: r.coins, level: r.level, fan: r.fan }));

export interface RankedGifter {
  /** The user id, or an anonymous key for a viewer who opted out (see viewerKeySql). */
  key: string;
  name: string;
  coins: bigint;
  anonymous: boolean;
  /** Their gifter level now (null when anonymous). */
  level: number | null;
  /** Their badge in the creator's fan club (the stream's creator, or the creator ranked for), null when anonymous or not an active member. */
  fan: FanBadge | null;
}

/**
 * Top gifters by coins of a stream, or of a creator since `since` (all time
 * when null). Viewers who opted out are listed as ANONYMOUS_NAME under a key
 * made with the salt of `saltStreamId` (default: the stream itself), so the
 * stream page can add live gifts to any of its lists; with no stream the salt
 * is random and the keys mean nothing outside this answer.
 */
export async function topGifters(
  filter: { streamId: string } | { creatorId: string; since: Date | null },
  options: { limit?: number; saltStreamId?: string } = {},
): Promise<RankedGifter[]> {
  const pool = getLedger().pool;
  const where =
    "streamId" in filter
      ? { sql: "e.stream_id = $1", params: [filter.streamId] }
      : { sql: "s.creator_id = $1 AND ($2::timestamptz IS NULL OR e.created_at >= $2)", params: [filter.creatorId, filter.since] };
  const saltStream = options.saltStreamId ?? ("streamId" in filter ? filter.streamId : null);
  const p = where.params.length;
  const [rows, salt] = await Promise.all([
    queryRows(
      pool,
      ZRankedGifterRow,
      `SELECT r.user_id, r.hidden, r.name, r.coins, r.level, CASE WHEN fm.user_id IS NULL THEN NULL ELSE json_build_object('club', fc.name, 'level', ${fanLevelSql("fm", `$${p + 3}`)}) END AS fan
         FROM (SELECT e.user_id, s.creator_id, u.hide_from_rankings AS hidden, u.display_name AS name, SUM(e.coins)::bigint AS coins,
                      ${gifterLevelSql("gt.coins", `$${p + 1}`)} AS level
                 FROM live_events e JOIN streams s ON s.id = e.stream_id JOIN users u ON u.id = e.user_id
                 LEFT JOIN gifter_totals gt ON gt.user_id = e.user_id
                WHERE e.kind = 'gift' AND ${where.sql}
                GROUP BY e.user_id, s.creator_id, u.hide_from_rankings, u.display_name, gt.coins) r
         LEFT JOIN fan_club_members fm ON fm.creator_id = r.creator_id AND fm.user_id = r.user_id AND ${activeFanSql("fm", `$${p + 2}`)}
         LEFT JOIN fan_clubs fc ON fc.creator_id = fm.creator_id
        ORDER BY r.coins DESC, r.user_id LIMIT ${Math.max(1, Math.min(100, Math.trunc(options.limit ?? 10)))}`,
      [...where.params, LEVEL_THRESHOLDS_PARAM, setting("FAN_CLUB_LAPSE_DAYS"), FAN_THRESHOLDS_PARAM],
    ),
    saltStream
      ? getPrisma()
          .stream.findUnique({ where: { id: saltStream }, select: { anonSalt: true } })
          .then((s) => s?.anonSalt ?? randomUUID())
      : Promise.resolve(randomUUID()),
  ]);
  return rows.map((r) =>
    r.hidden
      ? { key: anonymousKey(salt, r.userId), name: ANONYMOUS_NAME, coins: r.coins, anonymous: true, level: null, fan: null }
      : { key: r.userId, name: r.name, coins: r.coins, anonymous: false, level: r.level, fan: r.fan },
  );
}
