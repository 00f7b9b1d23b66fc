// Withdrawals: diamonds → (simulated) cash, in two ledger steps.
//   request  WITHDRAWAL  creator diamonds −D, platform:diamonds_held +D          (reserve)
//   pay      WITHDRAWAL  held −D, platform:diamond_redeemed +D;
//                        USD platform:payouts −gross, platform:fees +fee,
//                        creator payable +net                                    (paid)
//   reject / cancel      held −D, creator diamonds +D                            (release)
// Each step is one database transaction holding the withdrawal's row (or, for a
// request, the creator's advisory lock) and posting its transfer with the
// ledger's postInTransaction, so the status and the money always move together.
// Transfer keys are derived from the withdrawal id, and a request's row from the
// client's key, so a retried request or a repeated approval never moves value twice.
import "server-only";
import { randomUUID } from "node:crypto";
import type pg from "pg";
import { z } from "zod";
import type { Prisma } from "../db/generated/prisma/client";
import { getPrisma } from "../db/prisma";
import type { Queryable } from "../db/queryable";
import { column, queryOne, queryRow, queryRows } from "../db/rows";
import {
  DEFAULT_WITHDRAWAL_RULES,
  quoteWithdrawal,
  WITHDRAWAL_METHODS,
  WITHDRAWAL_REJECTION_REASON_MAX,
  type WithdrawalMethod,
  type WithdrawalRules,
} from "../economy";
import { setting } from "../env";
import { AppError } from "../errors";
import { getLedger, LedgerError } from "../ledger";
import { getBalance } from "../ledger/reads";
import type { Ledger } from "../ledger/ledger";
import { findDiamondAccount, utcDayStart } from "../earnings/queries";
import { maskPayout, type PayoutDetails } from "./payout";
import { inTransaction } from "../db/transaction";
import { frozenRefusal } from "../fraud/freezes";
import { isClientKey, isUuid, unsafeCharacterMessage } from "../validation/input";
import { WithdrawalStatus as WithdrawalStatusEnum } from "../db/generated/prisma/enums";

export type WithdrawalStatus = "PENDING" | "PAID" | "REJECTED" | "CANCELLED";

export interface WithdrawalView {
  id: string;
  creatorId: string;
  creatorName: string;
  status: WithdrawalStatus;
  method: WithdrawalMethod;
  destination: string;
  /** Milli-diamonds reserved and (when paid) redeemed. */
  diamonds: bigint;
  grossCents: bigint;
  feeCents: bigint;
  netCents: bigint;
  reserveTransferId: bigint;
  settleTransferId: bigint | null;
  payableAt: Date;
  decidedAt: Date | null;
  reason: string | null;
  createdAt: Date;
  /** Pending with its review time passed: the withdrawal settler (a background job, every 5 s) is about to pay it. */
  beingPaid: boolean;
  /** Why it waits for an operator (never paid automatically), or null when the settler pays it. */
  review: WithdrawalReview | null;
  /** The creator's open fraud flags (rule names). */
  openFlags: string[];
}

/** Why a withdrawal is held for an operator's decision. */
export type WithdrawalReview = "ABOVE_THRESHOLD" | "OPEN_FLAGS" | "FROZEN";

export const REVIEW_REASONS: Record<WithdrawalReview, string> = {
  ABOVE_THRESHOLD: "At or above the automatic payment limit",
  OPEN_FLAGS: "The creator has open fraud flags",
  FROZEN: "The creator's account is frozen",
};

/** Net cents from which a request waits for review (WITHDRAWAL_REVIEW_THRESHOLD_CENTS, $100 by default; tests and demos change it). */
export function reviewThresholdCents(): bigint {
  return setting("WITHDRAWAL_REVIEW_THRESHOLD_CENTS");
}

export type WithdrawalErrorCode =
  | "NOT_FOUND"
  | "FORBIDDEN"
  | "INVALID_REQUEST"
  | "INVALID_AMOUNT"
  | "INSUFFICIENT_DIAMONDS"
  | "NOTHING_TO_WITHDRAW"
  | "BELOW_MINIMUM"
  | "DAILY_LIMIT_EXCEEDED"
  | "FEE_EXCEEDS_AMOUNT"
  | "NOT_PENDING"
  | "KEY_REUSED"
  | "FROZEN";

/** Refusals about the amount asked for: the withdrawal form shows them at its diamonds field. */
const AMOUNT_CODES: ReadonlySet<WithdrawalErrorCode> = new Set([
  "INVALID_AMOUNT",
  "INSUFFICIENT_DIAMONDS",
  "NOTHING_TO_WITHDRAW",
  "BELOW_MINIMUM",
  "DAILY_LIMIT_EXCEEDED",
  "FEE_EXCEEDS_AMOUNT",
]);

export class WithdrawalError extends AppError<WithdrawalErrorCode> {
  static override readonly brand = "WithdrawalError";

  constructor(code: WithdrawalErrorCode, message: string, fieldErrors: Record<string, string> = AMOUNT_CODES.has(code) ? { diamonds: message } : {}) {
    super(code, message, fieldErrors);
  }
}

export interface Actor {
  id: string;
  role: "VIEWER" | "CREATOR" | "OPERATOR";
}

/** The rules in force, with the review delay of WITHDRAWAL_REVIEW_DELAY_SECONDS (0–86,400; 60 by default). */
export function withdrawalRules(): WithdrawalRules {
  const delay = setting("WITHDRAWAL_REVIEW_DELAY_SECONDS");
  return delay === DEFAULT_WITHDRAWAL_RULES.reviewDelaySeconds ? DEFAULT_WITHDRAWAL_RULES : { ...DEFAULT_WITHDRAWAL_RULES, reviewDelaySeconds: delay };
}

/** What a view is made of, whichever way the row was read: the stored fields and the creator's state. */
type WithdrawalRecord = Omit<WithdrawalView, "beingPaid" | "review"> & { frozen: boolean };

const ZMethod = z.enum(WITHDRAWAL_METHODS);
const ZStatus = z.enum(WithdrawalStatusEnum);

function reviewOf(status: WithdrawalStatus, netCents: bigint, openFlags: string[], frozen: boolean): WithdrawalReview | null {
  if (status !== "PENDING") return null;
  if (frozen) return "FROZEN";
  if (openFlags.length > 0) return "OPEN_FLAGS";
  return netCents >= reviewThresholdCents() ? "ABOVE_THRESHOLD" : null;
}

function toView({ frozen, ...record }: WithdrawalRecord, now: Date): WithdrawalView {
  const review = reviewOf(record.status, record.netCents, record.openFlags, frozen);
  return { ...record, review, beingPaid: record.status === "PENDING" && record.payableAt <= now && review === null };
}

/** The locked read of decide(): Prisma cannot take a row lock, so this one stays SQL, its row parsed here. */
const ZLockedRow = z
  .object({
    id: column.text,
    creator_id: column.text,
    creator_name: column.text,
    status: ZStatus,
    method: ZMethod,
    destination: column.text,
    diamonds: column.int8,
    gross_cents: column.int8,
    fee_cents: column.int8,
    net_cents: column.int8,
    reserve_transfer_id: column.int8,
    settle_transfer_id: column.int8.nullable(),
    payable_at: column.time,
    decided_at: column.time.nullable(),
    reason: column.text.nullable(),
    created_at: column.time,
    open_flags: column.texts,
    frozen: column.bool,
  })
  .transform((row): WithdrawalRecord => ({
    id: row.id,
    creatorId: row.creator_id,
    creatorName: row.creator_name,
    status: row.status,
    method: row.method,
    destination: row.destination,
    diamonds: row.diamonds,
    grossCents: row.gross_cents,
    feeCents: row.fee_cents,
    netCents: row.net_cents,
    reserveTransferId: row.reserve_transfer_id,
    settleTransferId: row.settle_transfer_id,
    payableAt: row.payable_at,
    decidedAt: row.decided_at,
    reason: row.reason,
    createdAt: row.created_at,
    openFlags: row.open_flags,
    frozen: row.frozen,
  }));

/** Holds a withdrawal's row for the rest of the transaction and reads it with its creator's flags and freeze (null for an unknown id). */
async function lockRow(client: pg.PoolClient, id: string, now: Date): Promise<WithdrawalView | null> {
  const record = await queryRow(
    client,
    ZLockedRow,
    `SELECT w.id, w.creator_id, u.display_name AS creator_name, w.status, w.method, w.destination, w.diamonds, w.gross_cents,
            w.fee_cents, w.net_cents, w.reserve_transfer_id, w.settle_transfer_id, w.payable_at, w.decided_at, w.reason, w.created_at,
            ARRAY(SELECT f.rule FROM fraud_flags f WHERE f.user_id = w.creator_id AND f.status = 'OPEN' ORDER BY f.rule) AS open_flags,
            EXISTS (SELECT 1 FROM account_freezes z WHERE z.user_id = w.creator_id AND z.lifted_at IS NULL) AS frozen
       FROM withdrawals w JOIN users u ON u.id = w.creator_id WHERE w.id = $1 FOR UPDATE OF w`,
    [id],
  );
  return record && toView(record, now);
}

/** The plain reads: withdrawals with their creator's name, open flags and freeze, through Prisma. */
async function readWithdrawals(
  where: Prisma.WithdrawalWhereInput,
  orderBy: Prisma.WithdrawalOrderByWithRelationInput[],
  take: number,
  now = new Date(),
): Promise<WithdrawalView[]> {
  const rows = await getPrisma().withdrawal.findMany({
    where,
    orderBy,
    take,
    omit: { decidedBy: true, idempotencyKey: true },
    include: {
      creator: {
        select: {
          displayName: true,
          fraudFlags: { where: { status: "OPEN" }, select: { rule: true }, orderBy: { rule: "asc" } },
          freezes: { where: { liftedAt: null }, select: { id: true }, take: 1 },
        },
      },
    },
  });
  return rows.map(({ creator, method, ...row }) =>
    toView(
      {
        ...row,
        method: ZMethod.parse(method),
        creatorName: creator.displayName,
        openFlags: creator.fraudFlags.map((flag) => flag.rule),
        frozen: creator.freezes.length > 0,
      },
      now,
    ),
  );
}

async function loadRow(id: string): Promise<WithdrawalView | null> {
  if (!isUuid(id)) return null;
  const [row] = await readWithdrawals({ id }, [], 1);
  return row ?? null;
}

/** Gross cents of today's (UTC) withdrawals that are pending or paid. */
export async function withdrawnTodayCents(db: Queryable, creatorId: string, now = new Date()): Promise<bigint> {
  const { total } = await queryOne(
    db,
    ZTotal,
    `SELECT COALESCE(SUM(gross_cents), 0)::bigint AS total FROM withdrawals
      WHERE creator_id = $1 AND status IN ('PENDING', 'PAID') AND created_at >= $2`,
    [creatorId, utcDayStart(now)],
  );
  return total;
}

const ZTotal = z.object({ total: column.int8 });

export interface WithdrawalRequestInput {
  /** Milli-diamonds to withdraw, or "all" for the whole balance. */
  diamonds: bigint | "all";
  payout: PayoutDetails;
  /** Made by the form per attempt; a retry with the same key returns the same withdrawal. */
  clientKey: string;
}

/**
 * Requests a withdrawal: quotes it under the rules, then reserves the diamonds.
 * A creator's requests are serialised (advisory lock), so the daily limit holds
 * under concurrency; the ledger refuses anything beyond the balance.
 */
export async function requestWithdrawal(
  creator: Actor,
  input: WithdrawalRequestInput,
  { now = new Date(), rules = withdrawalRules(), ledger = getLedger() }: { now?: Date; rules?: WithdrawalRules; ledger?: Ledger } = {},
): Promise<{ withdrawal: WithdrawalView; replayed: boolean }> {
  if (creator.role !== "CREATOR") throw new WithdrawalError("FORBIDDEN", "Only creator accounts can withdraw diamonds.");
  if (!isClientKey(input.clientKey)) throw new WithdrawalError("INVALID_REQUEST", "This form has expired. Reload the page and try again.");
  if (input.diamonds !== "all" && input.diamonds <= 0n) throw new WithdrawalError("INVALID_AMOUNT", "Enter a number of diamonds above zero.");
  const frozen = await frozenRefusal(creator.id, now.getTime());
  if (frozen) throw new WithdrawalError("FROZEN", frozen);
  const key = `${creator.id}:${input.clientKey}`;
  const held = await ledger.platformAccount("diamonds_held");
  const id = await inTransaction(ledger.pool, async (client) => {
    await client.query("SELECT pg_advisory_xact_lock(hashtext($1))", [`withdraw:${creator.id}`]);
    const existing = await queryRow(
      client,
      ZEarlierRequest,
      `SELECT w.id, w.method, w.destination, w.diamonds, t.metadata->>'requested' AS requested
         FROM withdrawals w JOIN ledger_transfers t ON t.id = w.reserve_transfer_id WHERE w.idempotency_key = $1`,
      [key],
    );
    if (existing) {
      assertSameRequest(existing, input);
      return { id: existing.id, replayed: true };
    }

    const wallet = await ledger.userAccount(creator.id, "CREATOR_DIAMONDS", client);
    const balance = await getBalance(client, wallet.id);
    const requested = input.diamonds === "all" ? balance : input.diamonds;
    if (requested > balance) throw insufficient(balance);
    const quote = quoteWithdrawal({
      diamondsMinor: requested,
      method: input.payout.method,
      withdrawnTodayCents: await withdrawnTodayCents(client, creator.id, now),
      rules,
    });
    if (!quote.ok) throw new WithdrawalError(quote.code, quote.message);
    const q = quote.value;
    const withdrawalId = randomUUID();
    const destination = maskPayout(input.payout);
    let reserve;
    try {
      reserve = await ledger.postInTransaction(client, {
        idempotencyKey: `withdrawal:${withdrawalId}:reserve`,
        kind: "WITHDRAWAL",
        metadata: {
          label: "Withdrawal requested (diamonds reserved)",
          withdrawalId,
          step: "reserve",
          grossCents: q.grossCents,
          method: q.method,
          // What was asked for ("all" or milli-diamonds), so a retry can be told from another request with the same key.
          requested: String(input.diamonds),
        },
        postings: [
          { accountId: wallet.id, amount: -q.diamondsMinor },
          { accountId: held.id, amount: q.diamondsMinor },
        ],
      });
    } catch (error) {
      if (error instanceof LedgerError && error.code === "INSUFFICIENT_FUNDS") throw insufficient(BigInt(String(error.details.available ?? balance)));
      throw error;
    }
    await client.query(
      `INSERT INTO withdrawals (id, creator_id, idempotency_key, method, destination, diamonds, gross_cents, fee_cents, net_cents,
                                reserve_transfer_id, payable_at, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
      [
        withdrawalId,
        creator.id,
        key,
        q.method,
        destination,
        q.diamondsMinor,
        q.grossCents,
        q.feeCents,
        q.netCents,
        String(reserve.id),
        new Date(now.getTime() + q.reviewDelaySeconds * 1000),
        now,
      ],
    );
    return { id: withdrawalId, replayed: false };
  });
  return { withdrawal: (await loadRow(id.id))!, replayed: id.replayed };
}

/**
 * A request sent again with its key must be the same request: the same amount
 * asked for ("all" or a number), the same method and the same destination.
 * Payout details are compared in their masked form, the only one stored.
 * Withdrawals made before `requested` was recorded compare the reserved amount.
 */
const ZEarlierRequest = z.object({ id: column.text, method: column.text, destination: column.text, diamonds: column.int8, requested: column.text.nullable() });

function assertSameRequest(row: z.output<typeof ZEarlierRequest>, input: WithdrawalRequestInput): void {
  const requested = row.requested ?? String(row.diamonds);
  const same = row.method === input.payout.method && row.destination === maskPayout(input.payout) && requested === String(input.diamonds);
  if (!same) throw new WithdrawalError("KEY_REUSED", "This form was already used for another withdrawal. Reload the page and try again.");
}

function insufficient(balance: bigint): WithdrawalError {
  const diamonds = balance / 1000n;
  return new WithdrawalError("INSUFFICIENT_DIAMONDS", `You have ${diamonds.toLocaleString("en-US")} diamonds available; you cannot withdraw more than that.`);
}

type Decision = { kind: "pay"; by: string | null; automatic?: boolean } | { kind: "release"; status: "REJECTED" | "CANCELLED"; by: string; reason: string };

/** Moves a pending withdrawal to its final state with its ledger step; a decided one is returned unchanged. */
async function decide(ledger: Ledger, id: string, decision: Decision, guard: (row: WithdrawalView) => void, now: Date): Promise<WithdrawalView> {
  const accounts = {
    held: (await ledger.platformAccount("diamonds_held")).id,
    redeemed: (await ledger.platformAccount("diamond_redeemed")).id,
    payouts: (await ledger.platformAccount("payouts")).id,
    fees: (await ledger.platformAccount("fees")).id,
  };
  await inTransaction(ledger.pool, async (client) => {
    const row = isUuid(id) ? await lockRow(client, id, now) : null;
    if (!row) throw new WithdrawalError("NOT_FOUND", "This withdrawal does not exist.");
    guard(row);
    if (row.status !== "PENDING") {
      if ((decision.kind === "pay" && row.status === "PAID") || (decision.kind === "release" && row.status === decision.status)) return;
      throw new WithdrawalError("NOT_PENDING", `This withdrawal is already ${row.status.toLowerCase()}.`);
    }
    if (decision.kind === "pay") {
      // The settler pays only what needs no review; this is read under the row lock, so a flag or a freeze seen here holds it.
      if (decision.automatic && row.review !== null) return;
      const payable = await ledger.userAccount(row.creatorId, "CREATOR_PAYABLE", client);
      const usd = [
        { accountId: accounts.payouts, amount: -row.grossCents },
        { accountId: payable.id, amount: row.netCents },
        ...(row.feeCents > 0n ? [{ accountId: accounts.fees, amount: row.feeCents }] : []),
      ];
      const paid = await ledger.postInTransaction(client, {
        idempotencyKey: `withdrawal:${row.id}:pay`,
        kind: "WITHDRAWAL",
        metadata: { label: "Withdrawal paid", withdrawalId: row.id, step: "pay", grossCents: row.grossCents, feeCents: row.feeCents, netCents: row.netCents },
        postings: [{ accountId: accounts.held, amount: -row.diamonds }, { accountId: accounts.redeemed, amount: row.diamonds }, ...usd],
      });
      await client.query("UPDATE withdrawals SET status = 'PAID', settle_transfer_id = $2, decided_at = $3, decided_by = $4 WHERE id = $1", [
        row.id,
        String(paid.id),
        now,
        decision.by,
      ]);
    } else {
      const wallet = await ledger.userAccount(row.creatorId, "CREATOR_DIAMONDS", client);
      const released = await ledger.postInTransaction(client, {
        idempotencyKey: `withdrawal:${row.id}:release`,
        kind: "WITHDRAWAL",
        metadata: { label: `Withdrawal ${decision.status.toLowerCase()} (diamonds released)`, withdrawalId: row.id, step: "release" },
        postings: [
          { accountId: accounts.held, amount: -row.diamonds },
          { accountId: wallet.id, amount: row.diamonds },
        ],
      });
      await client.query("UPDATE withdrawals SET status = $2, settle_transfer_id = $3, decided_at = $4, decided_by = $5, reason = $6 WHERE id = $1", [
        row.id,
        decision.status,
        String(released.id),
        now,
        decision.by,
        decision.reason,
      ]);
    }
  });
  return (await loadRow(id))!;
}

const operatorOnly = (actor: Actor) => () => {
  if (actor.role !== "OPERATOR") throw new WithdrawalError("FORBIDDEN", "Only operators can review withdrawals.");
};

/** An operator approves a pending withdrawal: it is paid at once. */
export function approveWithdrawal(operator: Actor, id: string, { now = new Date(), ledger = getLedger() } = {}) {
  return decide(ledger, id, { kind: "pay", by: operator.id }, operatorOnly(operator), now);
}

/** An operator rejects a pending withdrawal: the diamonds go back to the creator. */
export async function rejectWithdrawal(operator: Actor, id: string, reason: string, { now = new Date(), ledger = getLedger() } = {}) {
  const unsafe = unsafeCharacterMessage(reason, "A reason");
  if (unsafe) throw new WithdrawalError("INVALID_REQUEST", unsafe, { reason: unsafe });
  const trimmed = reason.trim();
  if (trimmed.length > WITHDRAWAL_REJECTION_REASON_MAX) {
    const message = `A reason has at most ${WITHDRAWAL_REJECTION_REASON_MAX} characters.`;
    throw new WithdrawalError("INVALID_REQUEST", message, { reason: message });
  }
  const text = trimmed || "Rejected in review.";
  return decide(ledger, id, { kind: "release", status: "REJECTED", by: operator.id, reason: text }, operatorOnly(operator), now);
}

/** The creator cancels their own pending withdrawal: the diamonds come back. */
export function cancelWithdrawal(creator: Actor, id: string, { now = new Date(), ledger = getLedger() } = {}) {
  return decide(
    ledger,
    id,
    { kind: "release", status: "CANCELLED", by: creator.id, reason: "Cancelled by the creator." },
    (row) => {
      // Someone else's withdrawal is reported exactly like one that does not exist.
      if (row.creatorId !== creator.id) throw new WithdrawalError("NOT_FOUND", "This withdrawal does not exist.");
    },
    now,
  );
}

/**
 * Pays the pending withdrawals whose review delay has passed (all, or one
 * creator's). The withdrawal settler (instrumentation.ts, every 5 s) runs it;
 * pages never do (a page load only reads). Safe to run anywhere at any time,
 * concurrently: each one is decided once, under its row lock.
 */
export async function settleDueWithdrawals({
  creatorId = null,
  now = new Date(),
  ledger = getLedger(),
  limit = 50,
}: { creatorId?: string | null; now?: Date; ledger?: Ledger; limit?: number } = {}): Promise<number> {
  const due = await queryRows(
    ledger.pool,
    ZId,
    `SELECT w.id FROM withdrawals w WHERE w.status = 'PENDING' AND w.payable_at <= $1 AND ($2::uuid IS NULL OR w.creator_id = $2::uuid)
        AND w.net_cents < $4
        AND NOT EXISTS (SELECT 1 FROM fraud_flags f WHERE f.user_id = w.creator_id AND f.status = 'OPEN')
        AND NOT EXISTS (SELECT 1 FROM account_freezes z WHERE z.user_id = w.creator_id AND z.lifted_at IS NULL)
      ORDER BY w.payable_at LIMIT $3`,
    [now, creatorId, limit, reviewThresholdCents()],
  );
  let paid = 0;
  for (const { id } of due) {
    const result = await decide(ledger, id, { kind: "pay", by: null, automatic: true }, () => undefined, now).catch((error) => {
      if (error instanceof WithdrawalError) return null;
      throw error;
    });
    if (result?.status === "PAID") paid++;
  }
  return paid;
}

/** One withdrawal, if `viewer` may see it: its creator, or an operator. Otherwise null (as if it did not exist). */
export async function getWithdrawal(viewer: Actor, id: string): Promise<WithdrawalView | null> {
  const row = await loadRow(id);
  if (!row) return null;
  return viewer.role === "OPERATOR" || row.creatorId === viewer.id ? row : null;
}

export interface CreatorWithdrawals {
  /** Milli-diamonds available to withdraw (the ledger balance). */
  balanceMinor: bigint;
  items: WithdrawalView[];
  /** Cash requested today (pending or paid), for the daily limit. */
  withdrawnTodayCents: bigint;
}

/** What the creator's withdrawals page shows. Reads only: due withdrawals are paid by the settler. */
export async function getCreatorWithdrawals(
  creatorId: string,
  { now = new Date(), ledger = getLedger() }: { now?: Date; ledger?: Ledger } = {},
): Promise<CreatorWithdrawals> {
  const [account, items, today] = await Promise.all([
    findDiamondAccount(ledger.pool, creatorId),
    listWithdrawals(creatorId, { now }),
    withdrawnTodayCents(ledger.pool, creatorId, now),
  ]);
  return { balanceMinor: account?.balance ?? 0n, items, withdrawnTodayCents: today };
}

const ZId = z.object({ id: column.text });

const pageSize = (limit: number) => Math.min(Math.max(limit, 1), 200);

/** A creator's withdrawals, newest first. */
export function listWithdrawals(creatorId: string, { limit = 50, now = new Date() } = {}): Promise<WithdrawalView[]> {
  return readWithdrawals({ creatorId }, [{ createdAt: "desc" }, { id: "asc" }], pageSize(limit), now);
}

/** For operators: pending withdrawals first (oldest first), then the latest decided ones. */
export async function listAllWithdrawals({ limit = 50, now = new Date() } = {}): Promise<{ pending: WithdrawalView[]; recent: WithdrawalView[] }> {
  const [pending, recent] = await Promise.all([
    readWithdrawals({ status: "PENDING" }, [{ createdAt: "asc" }, { id: "asc" }], pageSize(limit), now),
    readWithdrawals({ status: { not: "PENDING" } }, [{ decidedAt: "desc" }, { id: "asc" }], pageSize(limit), now),
  ]);
  return { pending, recent };
}
