import "server-only";
// Treasure boxes (decision 020): in a LIVE, a viewer or the creator drops N
// coins for up to K winners with a countdown. The coins leave the dropper's
// wallet at once for the escrow account (one TREASURE_DROP transfer); viewers
// join while the countdown runs (a row in treasure_entries, no value moves);
// when it ends the box opens once: one TREASURE_PAYOUT transfer from escrow
// to the winners drawn from the box's seed, or one TREASURE_RETURN back to the
// dropper when nobody joined. Each step is a `treasure` live event written in
// the step's own transaction, so viewers hear of it exactly once, on commit.
//
// Lock order, the same everywhere, and the same tail as a gift batch
// (accounts, then the stream's live-event lock), so nothing here can deadlock
// with gifts:
//   drop: the dropper's treasure lock → the stream row (shared) → accounts → live-event lock;
//   join: the box row → live-event lock;
//   open: the box row (SKIP LOCKED) → accounts → live-event lock.
import { createHash, randomBytes, randomUUID } from "node:crypto";
import type pg from "pg";
import { z } from "zod";
import { checkTreasureLimits, formatCoins, validateTreasureDrop } from "../economy";
import { TREASURE_STATUSES } from "../economy/treasure";
import { drawTreasure } from "../economy/treasure-draw";
import { getLedger, LedgerError } from "../ledger";
import type { Queryable } from "../db/queryable";
import { getPrisma } from "../db/prisma";
import { column, queryOne, queryRow, queryRows, ZTextId } from "../db/rows";
import type { UserProfile } from "../auth/users";
import { inTransaction } from "../db/transaction";
import { setting } from "../env";
import { frozenRefusal } from "../fraud/freezes";
import { coinDebtMessage, getCoinDebtCached } from "../refunds/accounts";
import { isClientKey, isUuid, parseBigintId } from "../validation/input";
import { badgesInStream, NO_BADGES, type ViewerBadges } from "./badges";
import { appendLiveEvents } from "./events";
import { isViewerPresent } from "./presence";
import { LiveError } from "./streams";
import type { TreasureView, TreasureWinner } from "./treasure-view";
import { displayNamesOf } from "./user-names";

export const TREASURE_ESCROW_CODE = "platform:treasure_escrow";

/** The escrow account's id per pool (it never changes once committed). */
const escrowIds = new WeakMap<object, bigint>();

const ZAccountId = z.object({ id: column.int8 }).transform((r) => r.id);

/**
 * The escrow account (COIN, never negative), opened on first use: its kind is
 * added by the migration, which cannot use it in the same transaction.
 */
export async function openTreasureEscrow(db: pg.Pool = getLedger().pool): Promise<bigint> {
  const known = escrowIds.get(db);
  if (known !== undefined) return known;
  const opened = await queryRow(
    db,
    ZAccountId,
    `WITH created AS (
       INSERT INTO ledger_accounts (code, asset, kind, user_id, allow_negative)
       VALUES ($1, 'COIN', 'TREASURE_ESCROW', NULL, false) ON CONFLICT (code) DO NOTHING RETURNING id)
     SELECT id FROM created UNION ALL SELECT id FROM ledger_accounts WHERE code = $1`,
    [TREASURE_ESCROW_CODE],
  );
  // Opened at the same moment by another transaction: a new statement sees its row.
  const id = opened ?? (await queryRow(db, ZAccountId, "SELECT id FROM ledger_accounts WHERE code = $1", [TREASURE_ESCROW_CODE]));
  if (id === null) throw new Error("The treasure escrow account could not be opened.");
  escrowIds.set(db, id);
  return id;
}

const BOX_SELECT = `
  SELECT b.id, b.no, b.rev, b.stream_id, b.dropper_id, u.display_name AS dropper_name, b.coins,
         b.slots, b.countdown_seconds, b.status, b.dropped_at, b.opens_at, b.opened_at, b.entrants, b.seed, b.result
    FROM treasure_boxes b JOIN users u ON u.id = b.dropper_id`;

/** A box with its dropper's name, as Prisma reads it (BOX_READ) and BOX_SELECT's rows are parsed into: what toView() shows. */
interface BoxRecord {
  id: string;
  no: bigint;
  rev: number;
  streamId: string;
  dropperId: string;
  dropper: { displayName: string };
  coins: bigint;
  slots: number;
  countdownSeconds: number;
  status: string;
  droppedAt: Date;
  opensAt: Date;
  openedAt: Date | null;
  entrants: number;
  seed: string;
  result: unknown;
}

const BOX_READ = { include: { dropper: { select: { displayName: true } } } } as const;

const ZBoxRow = z
  .object({
    id: column.text,
    no: column.int8,
    rev: column.int4,
    stream_id: column.text,
    dropper_id: column.text,
    dropper_name: column.text,
    coins: column.int8,
    slots: column.int4,
    countdown_seconds: column.int4,
    status: column.text,
    dropped_at: column.time,
    opens_at: column.time,
    opened_at: column.time.nullable(),
    entrants: column.int4,
    seed: column.text,
    result: column.json,
  })
  .transform((r): BoxRecord => ({
    id: r.id,
    no: r.no,
    rev: r.rev,
    streamId: r.stream_id,
    dropperId: r.dropper_id,
    dropper: { displayName: r.dropper_name },
    coins: r.coins,
    slots: r.slots,
    countdownSeconds: r.countdown_seconds,
    status: r.status,
    droppedAt: r.dropped_at,
    opensAt: r.opens_at,
    openedAt: r.opened_at,
    entrants: r.entrants,
    seed: r.seed,
    result: r.result,
  }));

const ZTreasureStatus = z.enum(TREASURE_STATUSES);

/** A box's stored result (treasure_boxes.result): its winners in draw order, null until it opens. */
const ZTreasureResult = z.array(z.object({ userId: z.string(), name: z.string(), coins: z.string() }) satisfies z.ZodType<TreasureWinner>).nullable();

export function seedHash(seed: string): string {
  return createHash("sha256").update(Buffer.from(seed, "hex")).digest("hex");
}

/** A box as its view; with `badges` (by user id, see viewersView), the badges beside the dropper's and winners' names. */
function toView(box: BoxRecord, badges?: ReadonlyMap<string, ViewerBadges>): TreasureView {
  const winners = ZTreasureResult.parse(box.result) ?? [];
  const badgesOf = (userId: string): ViewerBadges => badges?.get(userId) ?? NO_BADGES;
  return {
    id: box.id,
    no: String(box.no),
    rev: box.rev,
    streamId: box.streamId,
    dropperId: box.dropperId,
    dropperName: box.dropper.displayName,
    ...(badges ? { dropperBadges: badgesOf(box.dropperId) } : {}),
    coins: String(box.coins),
    slots: box.slots,
    countdownSeconds: box.countdownSeconds,
    status: ZTreasureStatus.parse(box.status),
    droppedAt: box.droppedAt.toISOString(),
    opensAt: box.opensAt.toISOString(),
    openedAt: box.openedAt?.toISOString() ?? null,
    entrants: box.entrants,
    seedHash: seedHash(box.seed),
    winners: badges ? winners.map((w) => ({ ...w, ...badgesOf(w.userId) })) : winners,
  };
}

/**
 * Boxes of one stream as its viewers see them: with the badges beside the
 * dropper's and winners' names as they are now (one query for all of them).
 */
async function viewersView(db: Queryable, boxes: readonly BoxRecord[]): Promise<TreasureView[]> {
  if (!boxes.length) return [];
  const people = boxes.flatMap((b) => [b.dropperId, ...(ZTreasureResult.parse(b.result) ?? []).map((w) => w.userId)]);
  const badges = await badgesInStream(db, boxes[0]!.streamId, people);
  return boxes.map((b) => toView(b, badges));
}

/** One box as its stream's viewers see it (viewersView). */
async function viewerView(db: Queryable, box: BoxRecord): Promise<TreasureView> {
  return (await viewersView(db, [box]))[0]!;
}

async function loadBox(db: Queryable, id: string, lock: "" | " FOR UPDATE OF b" | " FOR UPDATE OF b SKIP LOCKED" = ""): Promise<BoxRecord | null> {
  return queryRow(db, ZBoxRow, `${BOX_SELECT} WHERE b.id = $1${lock}`, [id]);
}

/** A box, on the caller's connection when one is given (its transaction), else read with Prisma. */
async function findBox(id: string, db?: Queryable): Promise<BoxRecord | null> {
  return db ? loadBox(db, id) : getPrisma().treasureBox.findUnique({ where: { id }, ...BOX_READ });
}

/**
 * Winners per live event. An event goes out whole in a NOTIFY, whose payload
 * PostgreSQL caps at 8,000 bytes: 16 winners with the longest names in 4-byte
 * characters and their badges (about 330 bytes each, escaped), and the box
 * with its dropper's badges, leave room (the full-box test measures it).
 */
export const TREASURE_WINNERS_PER_EVENT = 16;

/** Writes a box's new state as its stream's live event(s): an opening with many winners as several parts of the same rev. */
async function announce(client: Queryable, view: TreasureView): Promise<void> {
  const parts: TreasureView[] = [];
  if (view.winners.length <= TREASURE_WINNERS_PER_EVENT) parts.push(view);
  else {
    const count = Math.ceil(view.winners.length / TREASURE_WINNERS_PER_EVENT);
    for (let index = 0; index < count; index++) {
      parts.push({
        ...view,
        winners: view.winners.slice(index * TREASURE_WINNERS_PER_EVENT, (index + 1) * TREASURE_WINNERS_PER_EVENT),
        part: { index, count },
      });
    }
  }
  await appendLiveEvents(
    client,
    parts.map((part) => ({ streamId: view.streamId, kind: "treasure", body: JSON.stringify(part) })),
  );
}

/** A box as pages show it, or null. */
export async function getTreasureBox(id: string, db?: Queryable): Promise<TreasureView | null> {
  if (!isUuid(id)) return null;
  const box = await findBox(id, db);
  return box ? toView(box) : null;
}

/** How long after opening a box still shows on a page that (re)loads. */
export const TREASURE_RESULT_SHOWN_MS = 120_000;

/** What a stream's page shows when it loads: its open boxes and those opened lately, newest first. */
export async function currentTreasureBoxes(streamId: string, db: Queryable = getLedger().pool): Promise<TreasureView[]> {
  if (!isUuid(streamId)) return [];
  const boxes = await queryRows(
    db,
    ZBoxRow,
    `${BOX_SELECT}
      WHERE b.stream_id = $1 AND (b.status = 'OPEN' OR b.opened_at > clock_timestamp() - make_interval(secs => $2::float8))
      ORDER BY b.no DESC LIMIT 5`,
    [streamId, TREASURE_RESULT_SHOWN_MS / 1000],
  );
  return viewersView(db, boxes);
}

/** Which of these boxes the user has joined. */
export async function joinedTreasureBoxes(userId: string, boxIds: readonly string[], db?: Queryable): Promise<string[]> {
  if (!boxIds.length) return [];
  if (db) return queryRows(db, ZBoxIdRow, "SELECT box_id FROM treasure_entries WHERE user_id = $1 AND box_id = ANY($2::uuid[])", [userId, boxIds]);
  const entries = await getPrisma().treasureEntry.findMany({ where: { userId, boxId: { in: [...boxIds] } }, select: { boxId: true } });
  return entries.map((e) => e.boxId);
}

const ZBoxIdRow = z.object({ box_id: column.text }).transform((r) => r.box_id);

export interface TreasureDrop {
  streamId: string;
  coins: bigint;
  slots: number;
  seconds: number;
  /** Made per drop by the browser: a retried drop finds its box instead of dropping a second. */
  clientKey: string;
}

const UNDER_AGE_TREASURE = "Treasure boxes are for people 18 and over.";

/** Who may drop or join treasure boxes, as a page shows it: null, or why not (the same words the steps refuse with). */
export async function treasureRefusal(user: Pick<UserProfile, "id" | "isAdult"> | null, now = Date.now()): Promise<string | null> {
  if (!user) return "Sign in to drop or join treasure boxes.";
  if (!user.isAdult) return UNDER_AGE_TREASURE;
  return frozenRefusal(user.id, now);
}

/** Refusals every step shares: the person must be 18+, not frozen. */
async function checkParticipant(user: UserProfile, now: number): Promise<void> {
  if (!user.isAdult) throw new LiveError("UNDER_AGE", UNDER_AGE_TREASURE);
  const frozen = await frozenRefusal(user.id, now);
  if (frozen) throw new LiveError("FROZEN", frozen);
}

/**
 * Drops a treasure box in a LIVE: the coins go from the dropper's wallet to
 * escrow in the same transaction that records the box and announces it.
 * Returns the box (the one already dropped with this key, for a retry).
 */
/** The stream a box is dropped in, its row shared-locked: whether it is live, and its creator's name. */
const ZDropStream = z.object({ status: column.text, display_name: column.text }).transform((r) => ({ status: r.status, creatorName: r.display_name }));

/** What the dropper dropped today and this month (UTC), and their monthly budget if they set one. */
const ZDroppedSoFar = z
  .object({ day_coins: column.int8, day_boxes: column.int4, month_coins: column.int8, budget: column.int8.nullable() })
  .transform((r) => ({ dayCoins: r.day_coins, dayBoxes: r.day_boxes, monthCoins: r.month_coins, budget: r.budget }));

export async function dropTreasure(dropper: UserProfile, input: TreasureDrop, now = Date.now()): Promise<{ box: TreasureView; replayed: boolean }> {
  await checkParticipant(dropper, now);
  if (!isClientKey(input.clientKey)) throw new LiveError("INVALID", "Reload the page and try again.");
  if (!isUuid(input.streamId)) throw new LiveError("NOT_FOUND", "This stream does not exist.");
  const figures = validateTreasureDrop({ coins: input.coins, slots: input.slots, seconds: input.seconds }, setting("TREASURE_MIN_SECONDS"));
  if (!figures.ok) throw new LiveError("INVALID", figures.message);
  const ledger = getLedger();
  const owed = await getCoinDebtCached(ledger.pool, dropper.id, now);
  if (owed > 0n) throw new LiveError("COIN_DEBT", coinDebtMessage(owed));
  const escrow = await openTreasureEscrow(ledger.pool);
  const wallet = await ledger.userAccount(dropper.id, "VIEWER_COINS");
  const dropKey = `treasure:drop:${dropper.id}:${input.clientKey}`;
  try {
    return await inTransaction(ledger.pool, async (client) => {
      // One drop per dropper at a time: the limits are read and used under this lock.
      await client.query("SELECT pg_advisory_xact_lock(hashtext($1))", [`treasure-dropper:${dropper.id}`]);
      const earlier = await queryRow(client, ZTextId, "SELECT id FROM treasure_boxes WHERE drop_key = $1", [dropKey]);
      if (earlier) return { box: await viewerView(client, (await loadBox(client, earlier))!), replayed: true };
      const stream = await queryRow(
        client,
        ZDropStream,
        "SELECT s.status, u.display_name FROM streams s JOIN users u ON u.id = s.creator_id WHERE s.id = $1 FOR SHARE OF s",
        [input.streamId],
      );
      if (!stream) throw new LiveError("NOT_FOUND", "This stream does not exist.");
      if (stream.status !== "LIVE") throw new LiveError("ENDED", "This LIVE has ended; treasure boxes can no longer be dropped.");
      const used = await queryOne(
        client,
        ZDroppedSoFar,
        `WITH today AS (SELECT date_trunc('day', clock_timestamp() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS day,
                               date_trunc('month', clock_timestamp() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS month)
         SELECT COALESCE(SUM(b.coins) FILTER (WHERE b.dropped_at >= today.day), 0)::bigint AS day_coins,
                COUNT(*) FILTER (WHERE b.dropped_at >= today.day)::int AS day_boxes,
                COALESCE(SUM(b.coins), 0)::bigint AS month_coins,
                (SELECT monthly_budget_coins FROM spending_limits WHERE user_id = $1)::bigint AS budget
           FROM today LEFT JOIN treasure_boxes b ON b.dropper_id = $1 AND b.dropped_at >= today.month
          GROUP BY today.day`,
        [dropper.id],
      );
      const limits = checkTreasureLimits({
        coins: input.coins,
        droppedTodayCoins: used.dayCoins,
        droppedTodayBoxes: used.dayBoxes,
        droppedThisMonthCoins: used.monthCoins,
        monthlyBudgetCoins: used.budget,
      });
      if (!limits.ok) throw new LiveError("LIMIT", limits.message);

      const boxId = randomUUID();
      const creatorName = stream.creatorName;
      const transfer = await ledger.postInTransaction(client, {
        idempotencyKey: dropKey,
        kind: "TREASURE_DROP",
        metadata: { label: `Treasure box in ${creatorName}'s LIVE`, boxId, streamId: input.streamId },
        postings: [
          { accountId: wallet.id, amount: -input.coins },
          { accountId: escrow, amount: input.coins },
        ],
      });
      await client.query(
        `INSERT INTO treasure_boxes (id, stream_id, dropper_id, drop_key, coins, slots, countdown_seconds, seed, opens_at, drop_transfer_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7::int, $8, clock_timestamp() + make_interval(secs => $7::int), $9)`,
        [boxId, input.streamId, dropper.id, dropKey, String(input.coins), input.slots, input.seconds, randomBytes(32).toString("hex"), String(transfer.id)],
      );
      const box = await viewerView(client, (await loadBox(client, boxId))!);
      await announce(client, box);
      return { box, replayed: false };
    });
  } catch (error) {
    if (error instanceof LedgerError && error.code === "INSUFFICIENT_FUNDS") {
      throw new LiveError("INSUFFICIENT_COINS", `You need ${formatCoins(input.coins)} coins to drop this treasure box. Recharge to continue.`);
    }
    if (error instanceof LedgerError && error.code === "IDEMPOTENCY_CONFLICT") {
      throw new LiveError("KEY_REUSED", "This drop was already used for another box. Reload the page and try again.");
    }
    throw error;
  }
}

/**
 * Joins a box while its countdown runs (by the database clock), for a viewer
 * watching the LIVE (an events connection open). Joining twice is joining once. Moves no value; the box's new entrant count is announced.
 */
/** Whether a box's countdown still runs by the database clock, and its stream's status. */
const ZJoinClock = z
  .object({ running: column.bool, stream_status: column.text.nullable() })
  .transform((r) => ({ running: r.running, streamStatus: r.stream_status }));

export async function joinTreasure(viewer: UserProfile, boxId: string, now = Date.now()): Promise<{ box: TreasureView; joined: boolean }> {
  await checkParticipant(viewer, now);
  if (!isUuid(boxId)) throw new LiveError("NOT_FOUND", "This treasure box does not exist.");
  return inTransaction(getLedger().pool, async (client) => {
    const row = await loadBox(client, boxId, " FOR UPDATE OF b");
    if (!row) throw new LiveError("NOT_FOUND", "This treasure box does not exist.");
    if (row.dropperId === viewer.id) throw new LiveError("FORBIDDEN", "You dropped this box: it is for your viewers.");
    const { rows: already } = await client.query("SELECT 1 FROM treasure_entries WHERE box_id = $1 AND user_id = $2", [boxId, viewer.id]);
    if (already[0]) return { box: await viewerView(client, row), joined: false };
    if (row.status !== "OPEN") throw new LiveError("CONFLICT", "This treasure box has already opened.");
    // Viewers present in the LIVE: an events connection open on some instance (lib/live/presence.ts).
    if (!(await isViewerPresent(client, row.streamId, viewer.id))) {
      throw new LiveError("CONFLICT", "Watch the LIVE to join its treasure box: open the stream and try again.");
    }
    const clock = await queryOne(
      client,
      ZJoinClock,
      "SELECT clock_timestamp() < $1::timestamptz AS running, (SELECT status::text FROM streams WHERE id = $2) AS stream_status",
      [row.opensAt, row.streamId],
    );
    if (!clock.running) throw new LiveError("CONFLICT", "The countdown is over: this box is opening.");
    if (clock.streamStatus !== "LIVE") throw new LiveError("ENDED", "This LIVE has ended.");
    await client.query("INSERT INTO treasure_entries (box_id, user_id) VALUES ($1, $2)", [boxId, viewer.id]);
    await client.query("UPDATE treasure_boxes SET entrants = entrants + 1, rev = rev + 1 WHERE id = $1", [boxId]);
    const box = await viewerView(client, (await loadBox(client, boxId))!);
    await announce(client, box);
    return { box, joined: true };
  });
}

/** The entrants of a box, sorted by user id (the order the draw starts from). */
async function entrantsOf(db: Queryable, boxId: string): Promise<string[]> {
  return queryRows(db, ZEntrant, "SELECT user_id::text AS user_id FROM treasure_entries WHERE box_id = $1 ORDER BY user_id", [boxId]);
}

const ZEntrant = z.object({ user_id: column.text }).transform((r) => r.user_id);

const ZDue = z.object({ due: column.bool }).transform((r) => r.due);

/**
 * Opens one due box: draws its winners from the stored seed and pays them
 * from escrow (or returns the coins), marks it and announces it, in one
 * transaction under the box's row lock. Null when the box is not due, already
 * opened, or being opened by someone else right now (SKIP LOCKED): a box opens
 * once whatever the number of instances. The transfer's key
 * `treasure:open:<box>` is the last guard: a second payout cannot be written.
 */
async function openBox(client: pg.PoolClient, boxId: string): Promise<TreasureView | null> {
  const ledger = getLedger();
  const row = await loadBox(client, boxId, " FOR UPDATE OF b SKIP LOCKED");
  if (!row || row.status !== "OPEN") return null;
  if (!(await queryOne(client, ZDue, "SELECT clock_timestamp() >= $1::timestamptz AS due", [row.opensAt]))) return null;
  const coins = row.coins;
  const escrow = await openTreasureEscrow(ledger.pool);
  const shares = drawTreasure(row.seed, await entrantsOf(client, boxId), coins, row.slots);
  const dropperName = row.dropper.displayName;
  let winners: TreasureWinner[] = [];
  let transferId: bigint;
  if (shares.length) {
    const nameOf = await displayNamesOf(
      client,
      shares.map((s) => s.userId),
    );
    const postings = [{ accountId: escrow, amount: -coins }];
    for (const share of shares) postings.push({ accountId: (await ledger.userAccount(share.userId, "VIEWER_COINS", client)).id, amount: share.coins });
    const paid = await ledger.postInTransaction(client, {
      idempotencyKey: `treasure:open:${boxId}`,
      kind: "TREASURE_PAYOUT",
      metadata: { label: `Won in ${dropperName}'s treasure box`, boxId, streamId: row.streamId, dropperId: row.dropperId },
      postings,
    });
    transferId = paid.id;
    winners = shares.map((s) => ({ userId: s.userId, name: nameOf.get(s.userId) ?? "Someone", coins: String(s.coins) }));
  } else {
    const wallet = await ledger.userAccount(row.dropperId, "VIEWER_COINS", client);
    const back = await ledger.postInTransaction(client, {
      idempotencyKey: `treasure:open:${boxId}`,
      kind: "TREASURE_RETURN",
      metadata: { label: "Treasure box returned: nobody joined", boxId, streamId: row.streamId },
      postings: [
        { accountId: escrow, amount: -coins },
        { accountId: wallet.id, amount: coins },
      ],
    });
    transferId = back.id;
  }
  await client.query(
    `UPDATE treasure_boxes SET status = $2, opened_at = clock_timestamp(), open_transfer_id = $3, result = $4::jsonb, rev = rev + 1 WHERE id = $1`,
    [boxId, shares.length ? "OPENED" : "RETURNED", String(transferId), JSON.stringify(winners)],
  );
  const box = await viewerView(client, (await loadBox(client, boxId))!);
  await announce(client, box);
  return box;
}

/**
 * The treasure timer, run every TREASURE_TIMER_MS on every instance: opens
 * the boxes whose countdown has ended (by the database clock), each in its
 * own transaction. A box left by a stopped server opens on the next tick of
 * any instance. Returns how many it opened.
 */
export async function runTreasureTimers(pool: pg.Pool = getLedger().pool): Promise<number> {
  const due = await queryRows(
    pool,
    ZTextId,
    "SELECT id FROM treasure_boxes WHERE status = 'OPEN' AND opens_at <= clock_timestamp() ORDER BY opens_at, no LIMIT 50",
  );
  let opened = 0;
  let failure: unknown;
  for (const boxId of due) {
    try {
      if (await inTransaction(pool, (client) => openBox(client, boxId))) opened++;
    } catch (error) {
      // One box that cannot open now (the database busy, say) does not hold up the others; the run reports it.
      failure ??= error;
    }
  }
  if (failure !== undefined) throw failure;
  return opened;
}

export const TREASURE_TIMER_MS = 250;

/** An entrant of a box as the audit lists them: in the order the draw starts from (by user id). */
export interface TreasureEntrant {
  userId: string;
  name: string;
  joinedAt: Date;
}

/** The box's first live event: the commitment to its seed everyone watching received at the drop. */
export interface TreasureCommitment {
  eventId: string;
  at: Date;
  seedHash: string;
}

export interface TreasureAudit {
  box: TreasureView;
  creatorName: string;
  streamTitle: string;
  dropTransferId: string;
  openTransferId: string | null;
  entrants: TreasureEntrant[];
  /** The seed hash announced at the drop; null if that event is missing (itself a finding). */
  commitment: TreasureCommitment | null;
  /** Revealed once the box has opened; null before. */
  seed: string | null;
  /** The seed hashes to the commitment announced at the drop: it was not changed after people joined. Null before opening. */
  seedMatchesCommitment: boolean | null;
  /** The draw recomputed from the seed and the entrants; null before opening. */
  drawn: TreasureWinner[] | null;
  /** The recomputed draw equals the stored (and paid) result. Null before opening. */
  reproduced: boolean | null;
}

const ZCommitment = z.object({ id: column.int8, created_at: column.time, body: column.text }).transform((r): TreasureCommitment => ({
  eventId: String(r.id),
  at: r.created_at,
  seedHash: z.object({ seedHash: z.string() }).parse(JSON.parse(r.body)).seedHash,
}));

/**
 * For operators: a box with its entrants, the seed commitment announced at
 * the drop, and (once opened) the seed, the draw recomputed from it and
 * whether that is the result that was paid. Null for an unknown box.
 */
export async function auditTreasureBox(boxId: string): Promise<TreasureAudit | null> {
  if (!isUuid(boxId)) return null;
  const prisma = getPrisma();
  const row = await prisma.treasureBox.findUnique({
    where: { id: boxId },
    include: {
      ...BOX_READ.include,
      stream: { select: { title: true, creator: { select: { displayName: true } } } },
      entries: { orderBy: { userId: "asc" }, select: { userId: true, joinedAt: true, user: { select: { displayName: true } } } },
    },
  });
  if (!row) return null;
  const box = toView(row);
  const entrants = row.entries.map((e) => ({ userId: e.userId, name: e.user.displayName, joinedAt: e.joinedAt }));
  const commitment = await queryRow(
    getLedger().pool,
    ZCommitment,
    "SELECT id, created_at, body FROM live_events WHERE stream_id = $1 AND kind = 'treasure' AND (body::jsonb)->>'id' = $2 ORDER BY id LIMIT 1",
    [row.streamId, boxId],
  );
  const base = {
    box,
    creatorName: row.stream.creator.displayName,
    streamTitle: row.stream.title,
    dropTransferId: String(row.dropTransferId),
    openTransferId: row.openTransferId === null ? null : String(row.openTransferId),
    entrants,
    commitment,
  };
  if (box.status === "OPEN") return { ...base, seed: null, seedMatchesCommitment: null, drawn: null, reproduced: null };
  const names = new Map(entrants.map((e) => [e.userId, e.name]));
  const drawn = drawTreasure(
    row.seed,
    entrants.map((e) => e.userId),
    row.coins,
    box.slots,
  ).map((d) => {
    const name = names.get(d.userId);
    if (name === undefined) throw new Error(`Treasure box ${boxId}: the draw picked ${d.userId}, who is not an entrant.`);
    return { userId: d.userId, name, coins: String(d.coins) };
  });
  const reproduced = JSON.stringify(drawn.map((d) => [d.userId, d.coins])) === JSON.stringify(box.winners.map((w) => [w.userId, w.coins]));
  return { ...base, seed: row.seed, seedMatchesCommitment: commitment !== null && commitment.seedHash === box.seedHash, drawn, reproduced };
}

export const TREASURE_AUDIT_PAGE_SIZE = 20;

/** A box as the operators' list shows it. */
export interface TreasureListItem {
  box: TreasureView;
  creatorName: string;
}

export interface TreasureFilter {
  status: TreasureView["status"] | null;
  /** The `no` of the last box of the previous page. */
  before: bigint | null;
}

/** The operators' box list filter from a page's query: a status and a page cursor, or the reason they are refused. */
export function parseTreasureFilter(
  params: Record<string, string | string[] | undefined>,
): { ok: true; filter: TreasureFilter } | { ok: false; message: string } {
  const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
  const status = first(params.status) || null;
  const parsedStatus = status === null ? null : ZTreasureStatus.safeParse(status);
  if (parsedStatus && !parsedStatus.success) return { ok: false, message: "The status must be counting down, opened or returned." };
  const before = parseBigintId(first(params.before), "The page cursor", "box number");
  if (!before.ok) return { ok: false, message: before.message };
  return { ok: true, filter: { status: parsedStatus?.data ?? null, before: before.value } };
}

/** Boxes, newest first, a page at a time. */
export async function listTreasureBoxes(filter: TreasureFilter): Promise<{ items: TreasureListItem[]; nextBefore: string | null }> {
  const rows = await getPrisma().treasureBox.findMany({
    where: { status: filter.status ?? undefined, no: filter.before === null ? undefined : { lt: filter.before } },
    orderBy: { no: "desc" },
    take: TREASURE_AUDIT_PAGE_SIZE + 1,
    include: { ...BOX_READ.include, stream: { select: { creator: { select: { displayName: true } } } } },
  });
  const page = rows.slice(0, TREASURE_AUDIT_PAGE_SIZE);
  return {
    items: page.map((r) => ({ box: toView(r), creatorName: r.stream.creator.displayName })),
    nextBefore: rows.length > TREASURE_AUDIT_PAGE_SIZE ? String(page[page.length - 1]!.no) : null,
  };
}
