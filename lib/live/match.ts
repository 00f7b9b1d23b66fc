import "server-only";
// LIVE Match: two live creators battle for a few minutes; every gift either
// side receives during the match scores its coins for that side (decision 019).
//
// Lifecycle: INVITED (30 s to answer) → ACTIVE (duration by the database
// clock) → ENDED; or INVITED → DECLINED / EXPIRED / CANCELLED. Every change is
// a `match` live event in both streams, so pages replay it with the gifts.
// Scores are added by the ledger batch hook "live-match" (scoreMatchGifts, in
// each gift batch's transaction, one call per batch) and announced on commit.
//
// Lock order, the same everywhere, so nothing here can deadlock with gifts:
//   1. the creators' match locks (sorted), for who is in which match;
//   2. the streams' rows (endStream, accept), sorted;
//   3. the streams' live-event locks (sorted; gift batches hold these);
//   4. the match row.
import type pg from "pg";
import { z } from "zod";
import type { Queryable } from "../db/queryable";
import { getPrisma } from "../db/prisma";
import { column, queryOne, queryRow, queryRows, ZTextId } from "../db/rows";
import { MATCH_RULES, matchOutcome, type MatchOutcome, type MatchSide } from "../economy/match";
import { setting } from "../env";
import { getLedger } from "../ledger";
import type { BatchHook } from "../ledger/ledger";
import { inTransaction } from "../db/transaction";
import type { UserProfile } from "../auth/users";
import { isUuid } from "../validation/input";
import { appendLiveEvents, gifterLevelSql, LEVEL_THRESHOLDS_PARAM, lockLiveStreams, type NewLiveEvent } from "./events";
import type { MatchGifter, MatchSideView, MatchStatus, MatchView } from "./match-view";
import { ANONYMOUS_NAME } from "./periods";
import { LiveError } from "./streams";

const MATCH_SELECT = `
  SELECT m.id, m.no, m.rev, m.status, m.random, m.duration_seconds, m.expires_at, m.started_at, m.ends_at, m.ended_at,
         m.score_a, m.score_b, m.score_version, m.outcome, m.forfeited_by,
         m.top_a, m.top_b, m.stream_a, m.stream_b, m.creator_a, m.creator_b,
         m.start_event_a, m.start_event_b, m.cutoff_a, m.cutoff_b,
         ua.display_name AS name_a, ub.display_name AS name_b
    FROM live_matches m JOIN users ua ON ua.id = m.creator_a JOIN users ub ON ub.id = m.creator_b`;

/** A match with its creators' names, as Prisma reads it (MATCH_READ) and MATCH_SELECT's rows are parsed into: what toView() shows. */
interface MatchRecord {
  id: string;
  no: bigint;
  rev: number;
  status: string;
  random: boolean;
  durationSeconds: number;
  expiresAt: Date;
  startedAt: Date | null;
  endsAt: Date | null;
  endedAt: Date | null;
  scoreA: bigint;
  scoreB: bigint;
  scoreVersion: bigint;
  outcome: string | null;
  forfeitedBy: string | null;
  topA: unknown;
  topB: unknown;
  streamA: string;
  streamB: string;
  creatorA: string;
  creatorB: string;
  startEventA: bigint | null;
  startEventB: bigint | null;
  cutoffA: bigint | null;
  cutoffB: bigint | null;
  userA: { displayName: string };
  userB: { displayName: string };
}

const MATCH_READ = { include: { userA: { select: { displayName: true } }, userB: { select: { displayName: true } } } } as const;

const ZMatchRow = z
  .object({
    id: column.text,
    no: column.int8,
    rev: column.int4,
    status: column.text,
    random: column.bool,
    duration_seconds: column.int4,
    expires_at: column.time,
    started_at: column.time.nullable(),
    ends_at: column.time.nullable(),
    ended_at: column.time.nullable(),
    score_a: column.int8,
    score_b: column.int8,
    score_version: column.int8,
    outcome: column.text.nullable(),
    forfeited_by: column.text.nullable(),
    top_a: column.json,
    top_b: column.json,
    stream_a: column.text,
    stream_b: column.text,
    creator_a: column.text,
    creator_b: column.text,
    start_event_a: column.int8.nullable(),
    start_event_b: column.int8.nullable(),
    cutoff_a: column.int8.nullable(),
    cutoff_b: column.int8.nullable(),
    name_a: column.text,
    name_b: column.text,
  })
  .transform((r): MatchRecord => ({
    id: r.id,
    no: r.no,
    rev: r.rev,
    status: r.status,
    random: r.random,
    durationSeconds: r.duration_seconds,
    expiresAt: r.expires_at,
    startedAt: r.started_at,
    endsAt: r.ends_at,
    endedAt: r.ended_at,
    scoreA: r.score_a,
    scoreB: r.score_b,
    scoreVersion: r.score_version,
    outcome: r.outcome,
    forfeitedBy: r.forfeited_by,
    topA: r.top_a,
    topB: r.top_b,
    streamA: r.stream_a,
    streamB: r.stream_b,
    creatorA: r.creator_a,
    creatorB: r.creator_b,
    startEventA: r.start_event_a,
    startEventB: r.start_event_b,
    cutoffA: r.cutoff_a,
    cutoffB: r.cutoff_b,
    userA: { displayName: r.name_a },
    userB: { displayName: r.name_b },
  }));

const ZMatchStatus = z.enum(["INVITED", "ACTIVE", "ENDED", "DECLINED", "EXPIRED", "CANCELLED"]) satisfies z.ZodType<MatchStatus>;
const ZMatchSide = z.enum(["A", "B"]) satisfies z.ZodType<MatchSide>;
const ZMatchOutcome = z.enum(["A", "B", "TIE"]) satisfies z.ZodType<MatchOutcome>;

/** A side's stored top gifters (live_matches.top_a, top_b): null until the match ends. */
const ZMatchTop = z
  .array(z.object({ name: z.string(), coins: z.string(), level: z.number().int().nullable().optional() }) satisfies z.ZodType<MatchGifter>)
  .nullable();

/** One side of a match: its fields end in A or B. */
function sideOf(match: MatchRecord, side: MatchSide): MatchSideView {
  return {
    streamId: match[`stream${side}`],
    creatorId: match[`creator${side}`],
    creatorName: match[`user${side}`].displayName,
    score: String(match[`score${side}`]),
    top: ZMatchTop.parse(match[`top${side}`]) ?? [],
  };
}

function toView(match: MatchRecord): MatchView {
  return {
    id: match.id,
    no: String(match.no),
    rev: match.rev,
    status: ZMatchStatus.parse(match.status),
    random: match.random,
    durationSeconds: match.durationSeconds,
    expiresAt: match.expiresAt.toISOString(),
    startedAt: match.startedAt?.toISOString() ?? null,
    endsAt: match.endsAt?.toISOString() ?? null,
    endedAt: match.endedAt?.toISOString() ?? null,
    scoreVersion: String(match.scoreVersion),
    outcome: ZMatchOutcome.nullable().parse(match.outcome),
    forfeitedBy: ZMatchSide.nullable().parse(match.forfeitedBy),
    a: sideOf(match, "A"),
    b: sideOf(match, "B"),
  };
}

async function loadMatchRow(db: Queryable, id: string, lock = false): Promise<MatchRecord | null> {
  return queryRow(db, ZMatchRow, `${MATCH_SELECT} WHERE m.id = $1${lock ? " FOR UPDATE OF m" : ""}`, [id]);
}

/** A match as pages show it, or null: on the caller's connection when one is given (its transaction), else read with Prisma. */
export async function getMatch(id: string, db?: Queryable): Promise<MatchView | null> {
  if (!isUuid(id)) return null;
  const match = db ? await loadMatchRow(db, id) : await getPrisma().liveMatch.findUnique({ where: { id }, ...MATCH_READ });
  return match ? toView(match) : null;
}

/** How long after its end a match still shows on a page that (re)connects. */
export const MATCH_RESULT_SHOWN_MS = 120_000;

/**
 * What a stream's page shows of matches when it (re)connects: its newest
 * match if it is open, or ended in the last MATCH_RESULT_SHOWN_MS; else null.
 */
export async function currentMatchOf(streamId: string, db: Queryable = getLedger().pool): Promise<MatchView | null> {
  if (!isUuid(streamId)) return null;
  const match = await queryRow(
    db,
    ZMatchRow,
    `${MATCH_SELECT}
      WHERE (m.stream_a = $1 OR m.stream_b = $1)
        AND (m.status IN ('INVITED', 'ACTIVE') OR (m.status = 'ENDED' AND m.ended_at > clock_timestamp() - make_interval(secs => $2::float8)))
      ORDER BY m.no DESC LIMIT 1`,
    [streamId, MATCH_RESULT_SHOWN_MS / 1000],
  );
  return match ? toView(match) : null;
}

const matchEvents = (view: MatchView): NewLiveEvent[] => {
  const body = JSON.stringify(view);
  return [
    { streamId: view.a.streamId, kind: "match", body },
    { streamId: view.b.streamId, kind: "match", body },
  ];
};

/** Writes a match's new state as an event in both streams (their locks are already held); returns each stream's event id. */
async function announce(client: Queryable, view: MatchView): Promise<{ a: string; b: string }> {
  const written = await appendLiveEvents(client, matchEvents(view));
  const id = (streamId: string) => written.find((w) => w.streamId === streamId)!.id;
  return { a: id(view.a.streamId), b: id(view.b.streamId) };
}

async function lockCreators(client: Queryable, creatorIds: readonly string[]): Promise<void> {
  for (const id of [...new Set(creatorIds)].sort()) await client.query("SELECT pg_advisory_xact_lock(hashtext($1))", [`match-creator:${id}`]);
}

async function liveStreamOf(db: Queryable, creatorId: string): Promise<string | null> {
  return queryRow(db, ZTextId, "SELECT id FROM streams WHERE creator_id = $1 AND status = 'LIVE' ORDER BY started_at DESC LIMIT 1", [creatorId]);
}

const ZMemberMatch = z.object({ match_id: column.text }).transform((r) => r.match_id);

/** The open match a creator is in (their creator lock held), after lapsing an invitation past its time. */
async function openMatchOf(client: Queryable, creatorId: string): Promise<MatchRecord | null> {
  const matchId = await queryRow(client, ZMemberMatch, "SELECT match_id FROM live_match_members WHERE creator_id = $1", [creatorId]);
  if (!matchId) return null;
  const row = await loadMatchRow(client, matchId);
  if (!row) return null;
  if (row.status === "INVITED" && row.expiresAt.getTime() <= (await dbNow(client))) {
    await closeInvitation(client, matchId, "EXPIRED");
    return null;
  }
  return row;
}

const ZClock = z.object({ now: column.time }).transform((r) => r.now);

/** The database clock now (clock_timestamp(), which moves within a transaction). */
async function dbClock(db: Queryable): Promise<Date> {
  return queryOne(db, ZClock, "SELECT clock_timestamp() AS now");
}

async function dbNow(db: Queryable): Promise<number> {
  return (await dbClock(db)).getTime();
}

/** Ends an invitation that was never accepted (declined, lapsed, or withdrawn); no-op if it is no longer an invitation. */
async function closeInvitation(client: Queryable, matchId: string, status: "DECLINED" | "EXPIRED" | "CANCELLED"): Promise<MatchView | null> {
  const peek = await loadMatchRow(client, matchId);
  if (!peek || peek.status !== "INVITED") return null;
  await lockLiveStreams(client, [peek.streamA, peek.streamB]);
  const row = await loadMatchRow(client, matchId, true);
  if (!row || row.status !== "INVITED") return null;
  const view: MatchView = { ...toView(row), status, rev: row.rev + 1 };
  await announce(client, view);
  await client.query("UPDATE live_matches SET status = $2, rev = rev + 1 WHERE id = $1", [matchId, status]);
  await client.query("DELETE FROM live_match_members WHERE match_id = $1", [matchId]);
  return view;
}

/**
 * A creator who is LIVE invites another live creator (or, with `random`, one
 * picked among live creators who opted in). If that creator has already
 * invited this one, the answer is their match, accepted: two creators
 * inviting each other at once make one match.
 */
const ZDisplayName = z.object({ display_name: column.text }).transform((r) => r.display_name);

export async function inviteToMatch(creator: UserProfile, target: { opponentId: string } | { random: true }): Promise<MatchView> {
  if (creator.role !== "CREATOR") throw new LiveError("FORBIDDEN", "Only creators can start a LIVE Match.");
  const pool = getLedger().pool;
  let opponentId: string;
  if ("random" in target) {
    const picked = await pickRandomOpponent(pool, creator.id);
    if (!picked) throw new LiveError("CONFLICT", "No creator who accepts random matches is free right now. Try again in a minute, or invite someone.");
    opponentId = picked;
  } else {
    if (!isUuid(target.opponentId)) throw new LiveError("NOT_FOUND", "That creator is not live.");
    opponentId = target.opponentId;
  }
  if (opponentId === creator.id) throw new LiveError("INVALID", "You cannot invite yourself to a match.");
  const duration = setting("LIVE_MATCH_SECONDS");
  const outcome = await inTransaction(pool, async (client): Promise<{ accept: string } | { view: MatchView }> => {
    await lockCreators(client, [creator.id, opponentId]);
    const myStream = await liveStreamOf(client, creator.id);
    if (!myStream) throw new LiveError("ENDED", "Go LIVE first: matches are between two creators who are live.");
    const opponentName = await queryRow(client, ZDisplayName, "SELECT display_name FROM users WHERE id = $1 AND role = 'CREATOR'", [opponentId]);
    const theirStream = opponentName !== null ? await liveStreamOf(client, opponentId) : null;
    if (!theirStream) throw new LiveError("NOT_FOUND", "That creator is not live right now.");
    const mine = await openMatchOf(client, creator.id);
    const theirs = await openMatchOf(client, opponentId);
    if (theirs && mine && theirs.id === mine.id && mine.status === "INVITED" && mine.creatorA === opponentId) return { accept: mine.id };
    if (mine)
      throw new LiveError(
        "CONFLICT",
        mine.status === "ACTIVE" ? "You are in a match already." : "You already have an invitation open: wait for the answer or withdraw it.",
      );
    if (theirs) throw new LiveError("CONFLICT", `${opponentName} is in another match right now.`);
    await lockLiveStreams(client, [myStream, theirStream]);
    const id = await queryOne(
      client,
      ZTextId,
      `INSERT INTO live_matches (stream_a, stream_b, creator_a, creator_b, random, duration_seconds, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, clock_timestamp() + make_interval(secs => $7::float8)) RETURNING id`,
      [myStream, theirStream, creator.id, opponentId, "random" in target, duration, MATCH_RULES.inviteSeconds],
    );
    await client.query("INSERT INTO live_match_members (creator_id, match_id) VALUES ($1, $3), ($2, $3)", [creator.id, opponentId, id]);
    const view = toView((await loadMatchRow(client, id))!);
    await announce(client, view);
    return { view };
  });
  if ("accept" in outcome) return answerMatch(creator, outcome.accept, true);
  return outcome.view;
}

/**
 * True in SQL while a creator is in a match or has an invitation that has not
 * lapsed (a lapsed one still holds its member row until it is closed): the one
 * rule for whom the lists offer and the random pick may choose.
 */
function creatorBusySql(creatorColumn: string): string {
  return `EXISTS (SELECT 1 FROM live_match_members mm JOIN live_matches m ON m.id = mm.match_id
                   WHERE mm.creator_id = ${creatorColumn} AND (m.status = 'ACTIVE' OR m.expires_at > clock_timestamp()))`;
}

/** A stream's creator. */
const ZCreatorId = z.object({ creator_id: column.text }).transform((r) => r.creator_id);

async function pickRandomOpponent(db: Queryable, creatorId: string): Promise<string | null> {
  return queryRow(
    db,
    ZCreatorId,
    `SELECT s.creator_id FROM streams s JOIN users u ON u.id = s.creator_id
      WHERE s.status = 'LIVE' AND u.match_opt_in AND s.creator_id <> $1
        AND NOT ${creatorBusySql("s.creator_id")}
      ORDER BY random() LIMIT 1`,
    [creatorId],
  );
}

/** When a match starts and ends, by the database clock. */
const ZStartClock = z.object({ started: column.time, ends: column.time });

/** The invited creator accepts (the match starts now, by the database clock) or declines. */
export async function answerMatch(creator: UserProfile, matchId: string, accept: boolean): Promise<MatchView> {
  if (!isUuid(matchId)) throw new LiveError("NOT_FOUND", "This invitation does not exist.");
  const pool = getLedger().pool;
  // A refusal that closes the invitation (it lapsed, a LIVE ended) is committed, then said.
  const outcome = await inTransaction(pool, async (client): Promise<MatchView | LiveError> => {
    const peek = await loadMatchRow(client, matchId);
    if (!peek || peek.creatorB !== creator.id) throw new LiveError("NOT_FOUND", "This invitation does not exist.");
    await lockCreators(client, [peek.creatorA, peek.creatorB]);
    const row = await loadMatchRow(client, matchId);
    if (!row || row.status !== "INVITED")
      throw new LiveError("CONFLICT", row?.status === "ACTIVE" ? "This match has already started." : "This invitation is no longer open.");
    const now = await dbNow(client);
    if (row.expiresAt.getTime() <= now) {
      await closeInvitation(client, matchId, "EXPIRED");
      return new LiveError("CONFLICT", "This invitation expired. Invite them back if you want to play.");
    }
    if (!accept) return (await closeInvitation(client, matchId, "DECLINED"))!;
    const streams = [row.streamA, row.streamB].sort();
    const { rows: live } = await client.query("SELECT id FROM streams WHERE id = ANY($1::uuid[]) AND status = 'LIVE' ORDER BY id FOR SHARE", [streams]);
    if (live.length !== 2) {
      await closeInvitation(client, matchId, "CANCELLED");
      return new LiveError("ENDED", "One of the LIVEs has ended, so the match cannot start.");
    }
    await lockLiveStreams(client, streams);
    const locked = (await loadMatchRow(client, matchId, true))!;
    const clock = await queryOne(client, ZStartClock, "SELECT clock_timestamp() AS started, clock_timestamp() + make_interval(secs => $1::float8) AS ends", [
      locked.durationSeconds,
    ]);
    const view: MatchView = {
      ...toView(locked),
      status: "ACTIVE",
      rev: locked.rev + 1,
      startedAt: clock.started.toISOString(),
      endsAt: clock.ends.toISOString(),
    };
    const events = await announce(client, view);
    await client.query(
      `UPDATE live_matches SET status = 'ACTIVE', rev = rev + 1, started_at = $2, ends_at = $3, start_event_a = $4, start_event_b = $5 WHERE id = $1`,
      [matchId, clock.started, clock.ends, events.a, events.b],
    );
    return view;
  });
  if (outcome instanceof LiveError) throw outcome;
  return outcome;
}

/** The inviting creator withdraws an invitation not yet answered. */
export async function withdrawInvitation(creator: UserProfile, matchId: string): Promise<MatchView> {
  if (!isUuid(matchId)) throw new LiveError("NOT_FOUND", "This invitation does not exist.");
  return inTransaction(getLedger().pool, async (client) => {
    const peek = await loadMatchRow(client, matchId);
    if (!peek || peek.creatorA !== creator.id) throw new LiveError("NOT_FOUND", "This invitation does not exist.");
    await lockCreators(client, [peek.creatorA, peek.creatorB]);
    const closed = await closeInvitation(client, matchId, "CANCELLED");
    if (!closed) throw new LiveError("CONFLICT", "This invitation is no longer open.");
    return closed;
  });
}

/** Top gifters of one side inside its window, the MVP first; viewers who opted out are named as anonymous. */
const ZSideGifter = z
  .object({ hidden: column.bool, name: column.text, coins: column.int8, level: column.int4 })
  .transform((r): MatchGifter =>
    r.hidden ? { name: ANONYMOUS_NAME, coins: String(r.coins), level: null } : { name: r.name, coins: String(r.coins), level: r.level },
  );

async function topOfSide(client: Queryable, streamId: string, startEvent: bigint | null, cutoff: bigint | null): Promise<MatchGifter[]> {
  return queryRows(
    client,
    ZSideGifter,
    `SELECT e.user_id, bool_or(u.hide_from_rankings) AS hidden, max(u.display_name) AS name, SUM(e.coins)::bigint AS coins, MIN(e.id) AS first,
            max(${gifterLevelSql("gt.coins", "$5")}) AS level
       FROM live_events e JOIN users u ON u.id = e.user_id LEFT JOIN gifter_totals gt ON gt.user_id = e.user_id
      WHERE e.stream_id = $1 AND e.kind = 'gift' AND e.id > $2 AND ($3::bigint IS NULL OR e.id < $3)
      GROUP BY e.user_id ORDER BY coins DESC, first LIMIT $4`,
    [streamId, startEvent, cutoff, MATCH_RULES.topGifters, LEVEL_THRESHOLDS_PARAM],
  );
}

/**
 * Ends an active match whose time is up, or that a side forfeits (its LIVE
 * ended). Whoever calls first ends it; a second call finds it ended and does
 * nothing (returns null). The caller's transaction must not hold a stream's
 * live-event lock it took after another (see the lock order at the top).
 */
async function finishMatch(client: Queryable, matchId: string, forfeitedBy: MatchSide | null): Promise<MatchView | null> {
  const peek = await loadMatchRow(client, matchId);
  if (!peek || peek.status !== "ACTIVE") return null;
  await lockLiveStreams(client, [peek.streamA, peek.streamB]);
  const row = await loadMatchRow(client, matchId, true);
  if (!row || row.status !== "ACTIVE") return null;
  if (!forfeitedBy && row.endsAt !== null && row.endsAt.getTime() > (await dbNow(client))) return null;
  // Both streams' locks are held: no gift batch of either side is in flight, so the scores are final.
  const [topA, topB] = [await topOfSide(client, row.streamA, row.startEventA, row.cutoffA), await topOfSide(client, row.streamB, row.startEventB, row.cutoffB)];
  const outcome = matchOutcome(row.scoreA, row.scoreB, forfeitedBy);
  const endedAt = await dbClock(client);
  const base = toView(row);
  const view: MatchView = {
    ...base,
    status: "ENDED",
    rev: row.rev + 1,
    endedAt: endedAt.toISOString(),
    outcome,
    forfeitedBy,
    a: { ...base.a, top: topA },
    b: { ...base.b, top: topB },
  };
  const events = await announce(client, view);
  await client.query(
    `UPDATE live_matches SET status = 'ENDED', rev = rev + 1, ended_at = $2, outcome = $3, forfeited_by = $4, end_event_a = $5, end_event_b = $6,
            top_a = $7::jsonb, top_b = $8::jsonb WHERE id = $1`,
    [matchId, endedAt, outcome, forfeitedBy, events.a, events.b, JSON.stringify(topA), JSON.stringify(topB)],
  );
  await client.query("DELETE FROM live_match_members WHERE match_id = $1", [matchId]);
  return view;
}

/**
 * In endStream's transaction, after the creator's match lock: a stream that
 * ends forfeits its active match, and withdraws or declines its invitation.
 */
const ZOpenMatchOfStream = z
  .object({ id: column.text, status: column.text, stream_a: column.text })
  .transform((r) => ({ id: r.id, status: r.status, streamA: r.stream_a }));

export async function closeMatchesOfEndingStream(client: Queryable, streamId: string): Promise<void> {
  const open = await queryRows(
    client,
    ZOpenMatchOfStream,
    "SELECT id, status, stream_a FROM live_matches WHERE (stream_a = $1 OR stream_b = $1) AND status IN ('INVITED', 'ACTIVE')",
    [streamId],
  );
  for (const match of open) {
    if (match.status === "ACTIVE") await finishMatch(client, match.id, match.streamA === streamId ? "A" : "B");
    else await closeInvitation(client, match.id, "CANCELLED");
  }
}

/** Takes the match lock of a stream's creator (endStream calls it before locking the stream's row). */
export async function lockCreatorOfStream(client: Queryable, streamId: string): Promise<void> {
  const creatorId = await queryRow(client, ZCreatorId, "SELECT creator_id FROM streams WHERE id = $1", [streamId]);
  if (creatorId !== null) await lockCreators(client, [creatorId]);
}

/**
 * The match timer, run every MATCH_TIMER_MS on every instance: ends matches
 * whose time is up and lapses unanswered invitations. Each is decided in its
 * own transaction under its locks, so with several instances each match ends
 * once. Returns how many it closed.
 */
/** A match whose time is up (an active one) or whose invitation lapsed. */
const ZDueMatch = z
  .object({ id: column.text, status: column.text, creator_a: column.text, creator_b: column.text })
  .transform((r) => ({ id: r.id, status: r.status, creatorA: r.creator_a, creatorB: r.creator_b }));

export async function runMatchTimers(pool: pg.Pool = getLedger().pool): Promise<number> {
  const due = await queryRows(
    pool,
    ZDueMatch,
    `SELECT id, status, creator_a, creator_b FROM live_matches
      WHERE (status = 'ACTIVE' AND ends_at <= clock_timestamp()) OR (status = 'INVITED' AND expires_at <= clock_timestamp())
      ORDER BY no LIMIT 100`,
  );
  let closed = 0;
  for (const match of due) {
    const done = await inTransaction(pool, async (client) => {
      if (match.status === "ACTIVE") return finishMatch(client, match.id, null);
      await lockCreators(client, [match.creatorA, match.creatorB]);
      return closeInvitation(client, match.id, "EXPIRED");
    });
    if (done) closed++;
  }
  return closed;
}

export const MATCH_TIMER_MS = 250;

/**
 * The "live-match" batch hook: scores a gift batch's gifts for any active
 * match of their streams, in the batch's transaction, after its live events
 * (one database call per batch; nothing when no stream of it is in a match).
 */
export const scoreMatchGifts: BatchHook = async (client, written) => {
  const streams = new Set<string>();
  const transfers: string[] = [];
  for (const { transferId, input } of written) {
    const live = input.tag as NewLiveEvent | undefined;
    if (live?.kind !== "gift" || !live.streamId) continue;
    streams.add(live.streamId);
    transfers.push(String(transferId));
  }
  if (!transfers.length) return;
  await client.query("SELECT live_match_score($1::uuid[], $2::bigint[])", [[...streams], transfers]);
};

const ZMatchOpponent = z
  .object({ creator_id: column.text, display_name: column.text, stream_id: column.text, title: column.text, busy: column.bool, match_opt_in: column.bool })
  .transform((r) => ({ creatorId: r.creator_id, name: r.display_name, streamId: r.stream_id, title: r.title, busy: r.busy, optIn: r.match_opt_in }));

/** Live creators a creator could invite now (not themselves), with whether each is free. */
export async function listMatchOpponents(
  creatorId: string,
): Promise<Array<{ creatorId: string; name: string; streamId: string; title: string; busy: boolean; optIn: boolean }>> {
  return queryRows(
    getLedger().pool,
    ZMatchOpponent,
    `SELECT s.creator_id, u.display_name, s.id AS stream_id, s.title, u.match_opt_in,
            ${creatorBusySql("s.creator_id")} AS busy
       FROM streams s JOIN users u ON u.id = s.creator_id
      WHERE s.status = 'LIVE' AND s.creator_id <> $1
      ORDER BY u.display_name, s.id LIMIT 50`,
    [creatorId],
  );
}

/** The creator's choice to accept invitations from random opponents. */
export async function setMatchOptIn(creator: UserProfile, optIn: boolean): Promise<void> {
  if (creator.role !== "CREATOR") throw new LiveError("FORBIDDEN", "Only creators can take part in LIVE Matches.");
  await getLedger().pool.query("UPDATE users SET match_opt_in = $2 WHERE id = $1", [creator.id, optIn]);
}

export async function getMatchOptIn(creatorId: string): Promise<boolean> {
  const user = await getPrisma().user.findUnique({ where: { id: creatorId }, select: { matchOptIn: true } });
  return user?.matchOptIn ?? false;
}

export interface MatchHistoryRow {
  id: string;
  endedAt: Date;
  opponentName: string;
  /** From this creator's side. */
  result: "WON" | "LOST" | "TIE";
  forfeit: "BY_ME" | "BY_OPPONENT" | null;
  myScore: bigint;
  theirScore: bigint;
  /** Diamonds (minor units) this creator earned from the gifts that scored. */
  diamondsMinor: bigint;
}

/** An ended match from one creator's side, before its result is said from that side. */
const ZMatchHistoryRow = z
  .object({
    id: column.text,
    ended_at: column.time,
    outcome: ZMatchOutcome,
    forfeited_by: ZMatchSide.nullable(),
    mine_a: column.bool,
    opponent: column.text,
    my_score: column.int8,
    their_score: column.int8,
    diamonds: column.int8,
  })
  .transform((r) => ({
    id: r.id,
    endedAt: r.ended_at,
    outcome: r.outcome,
    forfeitedBy: r.forfeited_by,
    mineA: r.mine_a,
    opponent: r.opponent,
    myScore: r.my_score,
    theirScore: r.their_score,
    diamonds: r.diamonds,
  }));

/** A creator's ended matches, newest first. */
export async function matchHistory(creatorId: string, limit = 20): Promise<MatchHistoryRow[]> {
  const rows = await queryRows(
    getLedger().pool,
    ZMatchHistoryRow,
    `SELECT m.id, m.ended_at, m.outcome, m.forfeited_by, m.creator_a = $1 AS mine_a,
            CASE WHEN m.creator_a = $1 THEN ub.display_name ELSE ua.display_name END AS opponent,
            CASE WHEN m.creator_a = $1 THEN m.score_a ELSE m.score_b END AS my_score,
            CASE WHEN m.creator_a = $1 THEN m.score_b ELSE m.score_a END AS their_score,
            (SELECT COALESCE(SUM(e.diamonds), 0)::bigint FROM live_events e
              WHERE e.kind = 'gift'
                AND e.stream_id = CASE WHEN m.creator_a = $1 THEN m.stream_a ELSE m.stream_b END
                AND e.id > CASE WHEN m.creator_a = $1 THEN m.start_event_a ELSE m.start_event_b END
                AND e.id < CASE WHEN m.creator_a = $1 THEN COALESCE(m.cutoff_a, m.end_event_a) ELSE COALESCE(m.cutoff_b, m.end_event_b) END) AS diamonds
       FROM live_matches m JOIN users ua ON ua.id = m.creator_a JOIN users ub ON ub.id = m.creator_b
      WHERE (m.creator_a = $1 OR m.creator_b = $1) AND m.status = 'ENDED'
      ORDER BY m.no DESC LIMIT $2`,
    [creatorId, Math.max(1, Math.min(100, Math.trunc(limit)))],
  );
  return rows.map((r) => {
    const mySide: MatchSide = r.mineA ? "A" : "B";
    return {
      id: r.id,
      endedAt: r.endedAt,
      opponentName: r.opponent,
      result: r.outcome === "TIE" ? "TIE" : r.outcome === mySide ? "WON" : "LOST",
      forfeit: r.forfeitedBy === null ? null : r.forfeitedBy === mySide ? "BY_ME" : "BY_OPPONENT",
      myScore: r.myScore,
      theirScore: r.theirScore,
      diamondsMinor: r.diamonds,
    };
  });
}
