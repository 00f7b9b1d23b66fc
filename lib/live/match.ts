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
import type { Queryable } from "../db/queryable";
import { MATCH_RULES, matchOutcome, type MatchSide } from "../economy/match";
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
  SELECT m.id, m.no::text AS no, m.rev, m.status, m.random, m.duration_seconds, m.expires_at, m.started_at, m.ends_at, m.ended_at,
         m.score_a::text AS score_a, m.score_b::text AS score_b, m.score_version::text AS score_version, m.outcome, m.forfeited_by,
         m.top_a, m.top_b, m.stream_a, m.stream_b, m.creator_a, m.creator_b,
         m.start_event_a, m.start_event_b, m.cutoff_a, m.cutoff_b,
         ua.display_name AS name_a, ub.display_name AS name_b
    FROM live_matches m JOIN users ua ON ua.id = m.creator_a JOIN users ub ON ub.id = m.creator_b`;

type MatchRow = Record<string, unknown>;

const iso = (value: unknown): string | null => (value instanceof Date ? value.toISOString() : null);

/** One side of a match row: its columns end in _a or _b. */
function sideOf(row: MatchRow, side: "a" | "b"): MatchSideView {
  return {
    streamId: row[`stream_${side}`] as string,
    creatorId: row[`creator_${side}`] as string,
    creatorName: row[`name_${side}`] as string,
    score: row[`score_${side}`] as string,
    top: (row[`top_${side}`] as MatchGifter[] | null) ?? [],
  };
}

function toView(row: MatchRow): MatchView {
  return {
    id: row.id as string,
    no: row.no as string,
    rev: row.rev as number,
    status: row.status as MatchStatus,
    random: row.random as boolean,
    durationSeconds: row.duration_seconds as number,
    expiresAt: iso(row.expires_at)!,
    startedAt: iso(row.started_at),
    endsAt: iso(row.ends_at),
    endedAt: iso(row.ended_at),
    scoreVersion: row.score_version as string,
    outcome: (row.outcome as MatchView["outcome"]) ?? null,
    forfeitedBy: (row.forfeited_by as MatchSide | null) ?? null,
    a: sideOf(row, "a"),
    b: sideOf(row, "b"),
  };
}

async function loadMatchRow(db: Queryable, id: string, lock = false): Promise<MatchRow | null> {
  const { rows } = await db.query(`${MATCH_SELECT} WHERE m.id = $1${lock ? " FOR UPDATE OF m" : ""}`, [id]);
  return rows[0] ?? null;
}

/** A match as pages show it, or null. */
export async function getMatch(id: string, db: Queryable = getLedger().pool): Promise<MatchView | null> {
  if (!isUuid(id)) return null;
  const row = await loadMatchRow(db, id);
  return row ? toView(row) : null;
}

/** How long after its end a match still shows on a page that (re)connects. */
export const MATCH_RESULT_SHOWN_MS = 120_000;

/**
 * What a stream's page shows of matches when it (re)connects: its newest
 * match if it is open, or ended in the last MATCH_RESULT_SHOWN_MS; else null.
 */
export async function currentMatchOf(streamId: string, db: Queryable = getLedger().pool): Promise<MatchView | null> {
  if (!isUuid(streamId)) return null;
  const { rows } = await db.query(
    `${MATCH_SELECT}
      WHERE (m.stream_a = $1 OR m.stream_b = $1)
        AND (m.status IN ('INVITED', 'ACTIVE') OR (m.status = 'ENDED' AND m.ended_at > clock_timestamp() - make_interval(secs => $2::float8)))
      ORDER BY m.no DESC LIMIT 1`,
    [streamId, MATCH_RESULT_SHOWN_MS / 1000],
  );
  return rows[0] ? toView(rows[0]) : null;
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
  const { rows } = await db.query("SELECT id FROM streams WHERE creator_id = $1 AND status = 'LIVE' ORDER BY started_at DESC LIMIT 1", [creatorId]);
  return (rows[0]?.id as string | undefined) ?? null;
}

/** The open match a creator is in (their creator lock held), after lapsing an invitation past its time. */
async function openMatchOf(client: Queryable, creatorId: string): Promise<MatchRow | null> {
  const { rows } = await client.query("SELECT match_id FROM live_match_members WHERE creator_id = $1", [creatorId]);
  const matchId = rows[0]?.match_id as string | undefined;
  if (!matchId) return null;
  const row = await loadMatchRow(client, matchId);
  if (!row) return null;
  if (row.status === "INVITED" && (row.expires_at as Date).getTime() <= (await dbNow(client))) {
    await closeInvitation(client, matchId, "EXPIRED");
    return null;
  }
  return row;
}

async function dbNow(db: Queryable): Promise<number> {
  const { rows } = await db.query("SELECT clock_timestamp() AS now");
  return (rows[0].now as Date).getTime();
}

/** Ends an invitation that was never accepted (declined, lapsed, or withdrawn); no-op if it is no longer an invitation. */
async function closeInvitation(client: Queryable, matchId: string, status: "DECLINED" | "EXPIRED" | "CANCELLED"): Promise<MatchView | null> {
  const peek = await loadMatchRow(client, matchId);
  if (!peek || peek.status !== "INVITED") return null;
  await lockLiveStreams(client, [peek.stream_a as string, peek.stream_b as string]);
  const row = await loadMatchRow(client, matchId, true);
  if (!row || row.status !== "INVITED") return null;
  const view: MatchView = { ...toView(row), status, rev: (row.rev as number) + 1 };
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
    const { rows: opponentRows } = await client.query("SELECT display_name FROM users WHERE id = $1 AND role = 'CREATOR'", [opponentId]);
    const theirStream = opponentRows[0] ? await liveStreamOf(client, opponentId) : null;
    if (!theirStream) throw new LiveError("NOT_FOUND", "That creator is not live right now.");
    const mine = await openMatchOf(client, creator.id);
    const theirs = await openMatchOf(client, opponentId);
    if (theirs && mine && theirs.id === mine.id && mine.status === "INVITED" && mine.creator_a === opponentId) return { accept: mine.id as string };
    if (mine)
      throw new LiveError(
        "CONFLICT",
        mine.status === "ACTIVE" ? "You are in a match already." : "You already have an invitation open: wait for the answer or withdraw it.",
      );
    if (theirs) throw new LiveError("CONFLICT", `${opponentRows[0].display_name as string} is in another match right now.`);
    await lockLiveStreams(client, [myStream, theirStream]);
    const { rows } = await client.query(
      `INSERT INTO live_matches (stream_a, stream_b, creator_a, creator_b, random, duration_seconds, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, clock_timestamp() + make_interval(secs => $7::float8)) RETURNING id`,
      [myStream, theirStream, creator.id, opponentId, "random" in target, duration, MATCH_RULES.inviteSeconds],
    );
    const id = rows[0].id as string;
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

async function pickRandomOpponent(db: Queryable, creatorId: string): Promise<string | null> {
  const { rows } = await db.query(
    `SELECT s.creator_id FROM streams s JOIN users u ON u.id = s.creator_id
      WHERE s.status = 'LIVE' AND u.match_opt_in AND s.creator_id <> $1
        AND NOT ${creatorBusySql("s.creator_id")}
      ORDER BY random() LIMIT 1`,
    [creatorId],
  );
  return (rows[0]?.creator_id as string | undefined) ?? null;
}

/** The invited creator accepts (the match starts now, by the database clock) or declines. */
export async function answerMatch(creator: UserProfile, matchId: string, accept: boolean): Promise<MatchView> {
  if (!isUuid(matchId)) throw new LiveError("NOT_FOUND", "This invitation does not exist.");
  const pool = getLedger().pool;
  // A refusal that closes the invitation (it lapsed, a LIVE ended) is committed, then said.
  const outcome = await inTransaction(pool, async (client): Promise<MatchView | LiveError> => {
    const peek = await loadMatchRow(client, matchId);
    if (!peek || peek.creator_b !== creator.id) throw new LiveError("NOT_FOUND", "This invitation does not exist.");
    await lockCreators(client, [peek.creator_a as string, peek.creator_b as string]);
    const row = await loadMatchRow(client, matchId);
    if (!row || row.status !== "INVITED")
      throw new LiveError("CONFLICT", row?.status === "ACTIVE" ? "This match has already started." : "This invitation is no longer open.");
    const now = await dbNow(client);
    if ((row.expires_at as Date).getTime() <= now) {
      await closeInvitation(client, matchId, "EXPIRED");
      return new LiveError("CONFLICT", "This invitation expired. Invite them back if you want to play.");
    }
    if (!accept) return (await closeInvitation(client, matchId, "DECLINED"))!;
    const streams = [row.stream_a as string, row.stream_b as string].sort();
    const { rows: live } = await client.query("SELECT id FROM streams WHERE id = ANY($1::uuid[]) AND status = 'LIVE' ORDER BY id FOR SHARE", [streams]);
    if (live.length !== 2) {
      await closeInvitation(client, matchId, "CANCELLED");
      return new LiveError("ENDED", "One of the LIVEs has ended, so the match cannot start.");
    }
    await lockLiveStreams(client, streams);
    const locked = (await loadMatchRow(client, matchId, true))!;
    const { rows: clock } = await client.query("SELECT clock_timestamp() AS started, clock_timestamp() + make_interval(secs => $1::float8) AS ends", [
      locked.duration_seconds,
    ]);
    const view: MatchView = {
      ...toView(locked),
      status: "ACTIVE",
      rev: (locked.rev as number) + 1,
      startedAt: (clock[0].started as Date).toISOString(),
      endsAt: (clock[0].ends as Date).toISOString(),
    };
    const events = await announce(client, view);
    await client.query(
      `UPDATE live_matches SET status = 'ACTIVE', rev = rev + 1, started_at = $2, ends_at = $3, start_event_a = $4, start_event_b = $5 WHERE id = $1`,
      [matchId, clock[0].started, clock[0].ends, events.a, events.b],
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
    if (!peek || peek.creator_a !== creator.id) throw new LiveError("NOT_FOUND", "This invitation does not exist.");
    await lockCreators(client, [peek.creator_a as string, peek.creator_b as string]);
    const closed = await closeInvitation(client, matchId, "CANCELLED");
    if (!closed) throw new LiveError("CONFLICT", "This invitation is no longer open.");
    return closed;
  });
}

/** Top gifters of one side inside its window, the MVP first; viewers who opted out are named as anonymous. */
async function topOfSide(client: Queryable, streamId: string, startEvent: unknown, cutoff: unknown): Promise<MatchGifter[]> {
  const { rows } = await client.query(
    `SELECT e.user_id, bool_or(u.hide_from_rankings) AS hidden, max(u.display_name) AS name, SUM(e.coins)::bigint AS coins, MIN(e.id) AS first,
            max(${gifterLevelSql("gt.coins", "$5")}) AS level
       FROM live_events e JOIN users u ON u.id = e.user_id LEFT JOIN gifter_totals gt ON gt.user_id = e.user_id
      WHERE e.stream_id = $1 AND e.kind = 'gift' AND e.id > $2 AND ($3::bigint IS NULL OR e.id < $3)
      GROUP BY e.user_id ORDER BY coins DESC, first LIMIT $4`,
    [streamId, startEvent, cutoff, MATCH_RULES.topGifters, LEVEL_THRESHOLDS_PARAM],
  );
  return rows.map((r) =>
    r.hidden ? { name: ANONYMOUS_NAME, coins: String(r.coins), level: null } : { name: r.name as string, coins: String(r.coins), level: r.level as number },
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
  await lockLiveStreams(client, [peek.stream_a as string, peek.stream_b as string]);
  const row = await loadMatchRow(client, matchId, true);
  if (!row || row.status !== "ACTIVE") return null;
  if (!forfeitedBy && (row.ends_at as Date).getTime() > (await dbNow(client))) return null;
  // Both streams' locks are held: no gift batch of either side is in flight, so the scores are final.
  const [topA, topB] = [
    await topOfSide(client, row.stream_a as string, row.start_event_a, row.cutoff_a),
    await topOfSide(client, row.stream_b as string, row.start_event_b, row.cutoff_b),
  ];
  const outcome = matchOutcome(BigInt(row.score_a as string), BigInt(row.score_b as string), forfeitedBy);
  const { rows: clock } = await client.query("SELECT clock_timestamp() AS now");
  const base = toView(row);
  const view: MatchView = {
    ...base,
    status: "ENDED",
    rev: (row.rev as number) + 1,
    endedAt: (clock[0].now as Date).toISOString(),
    outcome,
    forfeitedBy,
    a: { ...base.a, top: topA },
    b: { ...base.b, top: topB },
  };
  const events = await announce(client, view);
  await client.query(
    `UPDATE live_matches SET status = 'ENDED', rev = rev + 1, ended_at = $2, outcome = $3, forfeited_by = $4, end_event_a = $5, end_event_b = $6,
            top_a = $7::jsonb, top_b = $8::jsonb WHERE id = $1`,
    [matchId, clock[0].now, outcome, forfeitedBy, events.a, events.b, JSON.stringify(topA), JSON.stringify(topB)],
  );
  await client.query("DELETE FROM live_match_members WHERE match_id = $1", [matchId]);
  return view;
}

/**
 * In endStream's transaction, after the creator's match lock: a stream that
 * ends forfeits its active match, and withdraws or declines its invitation.
 */
export async function closeMatchesOfEndingStream(client: Queryable, streamId: string): Promise<void> {
  const { rows } = await client.query(
    "SELECT id, status, stream_a FROM live_matches WHERE (stream_a = $1 OR stream_b = $1) AND status IN ('INVITED', 'ACTIVE')",
    [streamId],
  );
  for (const row of rows) {
    if (row.status === "ACTIVE") await finishMatch(client, row.id as string, row.stream_a === streamId ? "A" : "B");
    else await closeInvitation(client, row.id as string, "CANCELLED");
  }
}

/** Takes the match lock of a stream's creator (endStream calls it before locking the stream's row). */
export async function lockCreatorOfStream(client: Queryable, streamId: string): Promise<void> {
  const { rows } = await client.query("SELECT creator_id FROM streams WHERE id = $1", [streamId]);
  if (rows[0]) await lockCreators(client, [rows[0].creator_id as string]);
}

/**
 * The match timer, run every MATCH_TIMER_MS on every instance: ends matches
 * whose time is up and lapses unanswered invitations. Each is decided in its
 * own transaction under its locks, so with several instances each match ends
 * once. Returns how many it closed.
 */
export async function runMatchTimers(pool: pg.Pool = getLedger().pool): Promise<number> {
  const { rows } = await pool.query(
    `SELECT id, status, creator_a, creator_b FROM live_matches
      WHERE (status = 'ACTIVE' AND ends_at <= clock_timestamp()) OR (status = 'INVITED' AND expires_at <= clock_timestamp())
      ORDER BY no LIMIT 100`,
  );
  let closed = 0;
  for (const row of rows) {
    const done = await inTransaction(pool, async (client) => {
      if (row.status === "ACTIVE") return finishMatch(client, row.id as string, null);
      await lockCreators(client, [row.creator_a as string, row.creator_b as string]);
      return closeInvitation(client, row.id as string, "EXPIRED");
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

/** Live creators a creator could invite now (not themselves), with whether each is free. */
export async function listMatchOpponents(
  creatorId: string,
): Promise<Array<{ creatorId: string; name: string; streamId: string; title: string; busy: boolean; optIn: boolean }>> {
  const { rows } = await getLedger().pool.query(
    `SELECT s.creator_id, u.display_name, s.id AS stream_id, s.title, u.match_opt_in,
            ${creatorBusySql("s.creator_id")} AS busy
       FROM streams s JOIN users u ON u.id = s.creator_id
      WHERE s.status = 'LIVE' AND s.creator_id <> $1
      ORDER BY u.display_name, s.id LIMIT 50`,
    [creatorId],
  );
  return rows.map((r) => ({ creatorId: r.creator_id, name: r.display_name, streamId: r.stream_id, title: r.title, busy: r.busy, optIn: r.match_opt_in }));
}

/** The creator's choice to accept invitations from random opponents. */
export async function setMatchOptIn(creator: UserProfile, optIn: boolean): Promise<void> {
  if (creator.role !== "CREATOR") throw new LiveError("FORBIDDEN", "Only creators can take part in LIVE Matches.");
  await getLedger().pool.query("UPDATE users SET match_opt_in = $2 WHERE id = $1", [creator.id, optIn]);
}

export async function getMatchOptIn(creatorId: string): Promise<boolean> {
  const { rows } = await getLedger().pool.query("SELECT match_opt_in FROM users WHERE id = $1", [creatorId]);
  return Boolean(rows[0]?.match_opt_in);
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

/** A creator's ended matches, newest first. */
export async function matchHistory(creatorId: string, limit = 20): Promise<MatchHistoryRow[]> {
  const { rows } = await getLedger().pool.query(
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
    const mySide: MatchSide = r.mine_a ? "A" : "B";
    return {
      id: r.id,
      endedAt: r.ended_at,
      opponentName: r.opponent,
      result: r.outcome === "TIE" ? "TIE" : r.outcome === mySide ? "WON" : "LOST",
      forfeit: r.forfeited_by === null ? null : r.forfeited_by === mySide ? "BY_ME" : "BY_OPPONENT",
      myScore: r.my_score,
      theirScore: r.their_score,
      diamondsMinor: r.diamonds,
    };
  });
}
