// Money that comes back: an operator's refund or the provider's chargeback of a
// purchase, one code path (docs/decisions/016-refunds-and-clawback.md). All of
// it runs in one transaction that first locks the intent, so two operators, a
// double click and any number of chargeback deliveries reverse a purchase once;
// the reversal's idempotency key is derived from the intent as a second guard.
// Nothing is edited or deleted: every correction is a new balanced transfer
// with metadata { reason, operatorId, intentId }.
import "server-only";
import type pg from "pg";
import { getLedger, type PostingInput, type TransferKind } from "../ledger";
import { inTransaction } from "../db/transaction";
import { AppError } from "../errors";
import { clearingAccounts } from "../payments/clearing";
import { forgetCoinDebt, openCoinDebt, openRefundLoss } from "./accounts";
import { planClawback, type ClawbackGift, type CreatorClawback } from "./clawback";
import { column, parseRow, queryOne, queryRow, queryRows, RowShapeError } from "../db/rows";
import { getPrisma } from "../db/prisma";
import { z } from "zod";

export type ReversalKind = "REFUND" | "CHARGEBACK";

export type RefundErrorCode = "NOT_FOUND" | "NOT_PAID";

export class RefundError extends AppError<RefundErrorCode> {
  static override readonly brand = "RefundError";
}

export interface RefundOutcome {
  intentId: string;
  kind: ReversalKind;
  reason: string;
  operatorId: string | null;
  /** Coins taken off the viewer's wallet. */
  coinsRemoved: bigint;
  /** Coins the viewer now owes (the part already spent). */
  debtCreated: bigint;
  /** Money given back, in the purchase's currency (minor units). */
  amount: bigint;
  currency: string;
  creators: CreatorClawback[];
  /** Diamonds that could not be clawed back, all creators together. */
  lossMinor: bigint;
  transferId: bigint;
}

export interface ReverseResult {
  outcome: RefundOutcome;
  /** False when the purchase had been reversed before (the earlier outcome is returned). */
  reversed: boolean;
}

function toJson(outcome: RefundOutcome): Record<string, unknown> {
  return JSON.parse(JSON.stringify(outcome, (_key, value) => (typeof value === "bigint" ? value.toString() : value)));
}

/** A whole number stored as a string in the outcome's JSON. */
const big = z.string().transform((text) => BigInt(text));

/** The outcome as payment_intents.refund_outcome stores it (bigints as strings; `traced` besides). */
const ZStoredOutcome = z.object({
  intentId: z.string(),
  kind: z.enum(["REFUND", "CHARGEBACK"]),
  reason: z.string(),
  operatorId: z
    .string()
    .nullish()
    .transform((id) => id ?? null),
  coinsRemoved: big,
  debtCreated: big,
  amount: big,
  currency: z.string(),
  creators: z.array(z.object({ creatorId: z.string(), dueMinor: big, clawedMinor: big, lossMinor: big })),
  lossMinor: big,
  transferId: big,
}) satisfies z.ZodType<RefundOutcome>;

export function outcomeFromJson(json: Record<string, unknown>): RefundOutcome {
  return parseRow(ZStoredOutcome, json, "payment_intents.refund_outcome");
}

const ZTracedRow = z.object({
  refund_outcome: z.object({ traced: z.array(z.object({ transferId: column.text, coins: column.text })).optional() }),
});
const ZGiftRow = z.object({ id: column.int8, coins: column.int8, diamonds: column.int8, creator_id: column.text });
const ZBalance = z.object({ balance: column.int8 });
const ZTransferId = z.object({ id: column.int8 });
/** The purchase as a reversal reads it, locked. */
const ZLockedIntent = z.object({
  user_id: column.text,
  status: column.text,
  coins: column.int8,
  bonus_coins: column.int8,
  amount: column.int8,
  currency: column.text,
  paid_at: column.time.nullable(),
  credited_transfer_id: column.int8.nullable(),
  refunded_at: column.time.nullable(),
  refund_outcome: ZStoredOutcome.nullable(),
});

/** Coins of each gift already traced by earlier refunds of this viewer (so no gift is clawed back twice). */
async function tracedBefore(client: pg.PoolClient, userId: string): Promise<Map<string, bigint>> {
  const rows = await queryRows(
    client,
    ZTracedRow,
    `SELECT refund_outcome FROM payment_intents WHERE user_id = $1 AND refunded_at IS NOT NULL AND refund_outcome IS NOT NULL`,
    [userId],
  );
  const traced = new Map<string, bigint>();
  for (const row of rows) {
    for (const t of row.refund_outcome.traced ?? []) {
      traced.set(t.transferId, (traced.get(t.transferId) ?? 0n) + BigInt(t.coins));
    }
  }
  return traced;
}

/** The viewer's gifts since the purchase was paid, oldest first, with the creator and diamonds each issued. */
async function giftsSince(client: pg.PoolClient, walletId: bigint, since: Date | null, userId: string): Promise<ClawbackGift[]> {
  const rows = await queryRows(
    client,
    ZGiftRow,
    `SELECT t.id, -p.amount AS coins, d.amount AS diamonds, a.user_id AS creator_id
       FROM ledger_postings p
       JOIN ledger_transfers t ON t.id = p.transfer_id AND t.kind = 'GIFT'
       JOIN ledger_postings d ON d.transfer_id = t.id AND d.asset = 'DIAMOND' AND d.amount > 0
       JOIN ledger_accounts a ON a.id = d.account_id AND a.kind = 'CREATOR_DIAMONDS'
      WHERE p.account_id = $1 AND p.amount < 0 AND t.created_at >= $2
      ORDER BY t.id`,
    [walletId, since],
  );
  const before = await tracedBefore(client, userId);
  return rows.map(({ id, coins, diamonds, creator_id }) => {
    const used = before.get(String(id)) ?? 0n;
    const open = coins - used > 0n ? coins - used : 0n;
    // What is still open to tracing gives back its share of the gift's diamonds.
    return { transferId: id, creatorId: creator_id, coins: open, diamondsMinor: open === coins ? diamonds : (diamonds * open) / coins };
  });
}

async function lockedBalance(client: pg.PoolClient, accountId: bigint): Promise<bigint> {
  const { balance } = await queryOne(client, ZBalance, "SELECT balance FROM ledger_accounts WHERE id = $1 FOR UPDATE", [accountId]);
  return balance;
}

/**
 * Reverses a succeeded, credited purchase: coins off the wallet as far as it
 * has them, the rest as a debt; the creators' diamonds from the gifts those
 * coins paid for clawed back where still in their wallets, the rest the
 * platform's loss; the money back to the buyer. Repeats return the first outcome.
 */
export async function reversePurchase(args: {
  intentId: string;
  kind: ReversalKind;
  reason: string;
  operatorId: string | null;
  now?: Date;
}): Promise<ReverseResult> {
  const { intentId, kind, reason, operatorId } = args;
  const now = args.now ?? new Date();
  const ledger = getLedger();
  const issuance = await ledger.platformAccount("coin_issuance");
  const promotions = await ledger.platformAccount("promotions");
  const diamondIssuance = await ledger.platformAccount("diamond_issuance");
  // Accounts opened up front, committed: the ledger checks postings against accounts it can see.
  const owner = await getPrisma().paymentIntent.findUnique({ where: { id: intentId }, select: { userId: true } });
  if (!owner) throw new RefundError("NOT_FOUND", "This purchase does not exist.");
  const debt = await openCoinDebt(ledger.pool, owner.userId);
  const lossAccount = await openRefundLoss(ledger.pool);
  const result = await inTransaction(ledger.pool, async (client) => {
    const intent = await queryRow(
      client,
      ZLockedIntent,
      `SELECT user_id, status, coins, bonus_coins, amount, currency, paid_at, credited_transfer_id, refunded_at, refund_outcome
         FROM payment_intents WHERE id = $1 FOR UPDATE`,
      [intentId],
    );
    if (!intent) throw new RefundError("NOT_FOUND", "This purchase does not exist.");
    if (intent.refunded_at) {
      if (!intent.refund_outcome) throw new RowShapeError(`payment_intents: purchase ${intentId} is refunded but has no refund_outcome`);
      return { outcome: intent.refund_outcome, reversed: false };
    }
    if (intent.status !== "SUCCEEDED" || intent.credited_transfer_id === null) {
      throw new RefundError("NOT_PAID", "Only a paid purchase whose coins were credited can be refunded.");
    }
    const { user_id: userId, coins, amount, currency, paid_at: paidAt } = intent;
    const bonusTransfer = await queryRow(client, ZTransferId, "SELECT id FROM ledger_transfers WHERE idempotency_key = $1", [`bonus:${intentId}`]);
    const bonus = bonusTransfer ? intent.bonus_coins : 0n;
    const wallet = await ledger.userAccount(userId, "VIEWER_COINS", client);
    // Locked so a gift or recharge in flight waits for this refund rather than racing its arithmetic.
    const walletBalance = await lockedBalance(client, wallet.id);
    await lockedBalance(client, debt);
    const purchased = coins + bonus;
    const coinsRemoved = walletBalance < purchased ? (walletBalance > 0n ? walletBalance : 0n) : purchased;
    const shortfall = purchased - coinsRemoved;
    const { clearing, deferred } = await clearingAccounts(currency);
    const metadata = { reason, operatorId, intentId };
    const label = kind === "REFUND" ? "Refund of a purchase" : "Chargeback of a purchase";
    const postings: PostingInput[] = [{ accountId: issuance.id, amount: coins }];
    if (bonus > 0n) postings.push({ accountId: promotions.id, amount: bonus });
    if (coinsRemoved > 0n) postings.push({ accountId: wallet.id, amount: -coinsRemoved });
    if (shortfall > 0n) postings.push({ accountId: debt, amount: -shortfall });
    postings.push({ accountId: clearing, amount: amount }, { accountId: deferred, amount: -amount });
    const transferKind: TransferKind = kind;
    const reversal = await ledger.postInTransaction(client, {
      idempotencyKey: `reversal:${intentId}`,
      kind: transferKind,
      metadata: { ...metadata, label, coinsRemoved: coinsRemoved.toString(), debt: shortfall.toString(), amount: amount.toString(), currency },
      postings,
    });

    const gifts = shortfall > 0n ? await giftsSince(client, wallet.id, paidAt, userId) : [];
    const creatorIds = [...new Set(gifts.map((g) => g.creatorId))].sort();
    const balances = new Map<string, bigint>();
    const creatorAccounts = new Map<string, bigint>();
    for (const creatorId of creatorIds) {
      const account = await ledger.userAccount(creatorId, "CREATOR_DIAMONDS", client);
      creatorAccounts.set(creatorId, account.id);
      balances.set(creatorId, await lockedBalance(client, account.id));
    }
    const plan = planClawback(shortfall, gifts, balances);
    for (const creator of plan.creators) {
      const lines: PostingInput[] = [{ accountId: diamondIssuance.id, amount: creator.dueMinor }];
      if (creator.clawedMinor > 0n) lines.push({ accountId: creatorAccounts.get(creator.creatorId)!, amount: -creator.clawedMinor });
      if (creator.lossMinor > 0n) lines.push({ accountId: lossAccount, amount: -creator.lossMinor });
      await ledger.postInTransaction(client, {
        idempotencyKey: `clawback:${intentId}:${creator.creatorId}`,
        kind: transferKind,
        metadata: {
          ...metadata,
          label: "Diamonds clawed back after a refund",
          creatorId: creator.creatorId,
          dueMinor: creator.dueMinor.toString(),
          clawedMinor: creator.clawedMinor.toString(),
          lossMinor: creator.lossMinor.toString(),
        },
        postings: lines,
      });
    }
    const outcome: RefundOutcome = {
      intentId,
      kind,
      reason,
      operatorId,
      coinsRemoved,
      debtCreated: shortfall,
      amount,
      currency,
      creators: plan.creators,
      lossMinor: plan.creators.reduce((sum, c) => sum + c.lossMinor, 0n),
      transferId: reversal.id,
    };
    const stored = { ...toJson(outcome), traced: plan.traced.map((t) => ({ transferId: t.transferId.toString(), coins: t.coins.toString() })) };
    await client.query(
      `UPDATE payment_intents
          SET refunded_at = $2, refunded_by = $3, refund_reason = $4, refund_kind = $5, refund_transfer_id = $6, refund_outcome = $7, updated_at = now()
        WHERE id = $1`,
      [intentId, now, operatorId, reason, kind, reversal.id, JSON.stringify(stored)],
    );
    return { outcome, reversed: true };
  });
  forgetCoinDebt(owner.userId); // this instance's gifts see the new debt at once
  return result;
}

/** Display names of the creators an outcome names. */
async function creatorNames(ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const users = await getPrisma().user.findMany({ where: { id: { in: ids } }, select: { id: true, displayName: true } });
  return new Map(users.map((user) => [user.id, user.displayName]));
}

/** A refund's outcome as plain strings (server action answers cannot carry bigint safely across every client). */
export interface RefundOutcomeView {
  coinsRemoved: string;
  debtCreated: string;
  amount: string;
  currency: string;
  lossMinor: string;
  creators: Array<{ creatorId: string; name: string; clawedMinor: string; lossMinor: string }>;
}

/** The outcome as an operator's answer shows it, with the creators' names. */
export async function refundOutcomeView(outcome: RefundOutcome): Promise<RefundOutcomeView> {
  const names = await creatorNames(outcome.creators.map((c) => c.creatorId));
  return {
    coinsRemoved: outcome.coinsRemoved.toString(),
    debtCreated: outcome.debtCreated.toString(),
    amount: outcome.amount.toString(),
    currency: outcome.currency,
    lossMinor: outcome.lossMinor.toString(),
    creators: outcome.creators.map((c) => ({
      creatorId: c.creatorId,
      name: names.get(c.creatorId) ?? "A creator",
      clawedMinor: c.clawedMinor.toString(),
      lossMinor: c.lossMinor.toString(),
    })),
  };
}
