// Webhook side of the simulated provider. The provider signs each event; our
// handler verifies the signature, ignores the payload's claims beyond the event
// and intent ids, reads the intent's real state, and credits coins exactly once
// (the ledger's idempotency keys are derived from the intent id).
import "server-only";
import { z } from "zod";
import { getLedger } from "../ledger";
import { signPayload, verifySignature } from "./signature";
import { loadIntent } from "./intents";
import { requireSecret } from "../secrets";
import { inTransaction } from "../db/transaction";
import { clearingAccounts } from "./clearing";
import { RefundError, reversePurchase } from "../refunds/refunds";
import { coinDebtCode, forgetCoinDebt } from "../refunds/accounts";
import type { PostingInput } from "../ledger";
import { column, queryRow } from "../db/rows";

const ZTransferId = z.object({ id: column.int8 });
const ZDebtAccount = z.object({ id: column.int8, balance: column.int8 });

/** PAYMENT_WEBHOOK_SECRET; no default outside demo mode (lib/secrets.ts). */
export function webhookSecret(): string {
  return requireSecret("PAYMENT_WEBHOOK_SECRET");
}

const ZEvent = z.object({
  id: z.string().regex(/^evt_[A-Za-z0-9_-]{8,64}$/),
  type: z.enum(["payment_intent.succeeded", "charge.dispute.created"]),
  data: z.object({ intentId: z.string().regex(/^pi_[A-Za-z0-9_-]{8,64}$/) }),
});

export type PaymentEventType = "payment_intent.succeeded" | "charge.dispute.created";

export type WebhookResult =
  { ok: true; credited: boolean; transferId: string | null; reversed?: boolean } | { ok: false; status: 400 | 404 | 409; error: string };

/** Handles one delivery. Repeats and out-of-order deliveries are harmless. */
export async function receiveWebhook(body: string, signatureHeader: string | null, now = new Date()): Promise<WebhookResult> {
  const verified = verifySignature(body, signatureHeader ?? "", webhookSecret(), Math.floor(now.getTime() / 1000));
  if (!verified.ok) return { ok: false, status: 400, error: `Invalid signature (${verified.reason}).` };
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return { ok: false, status: 400, error: "The body is not JSON." };
  }
  const parsed = ZEvent.safeParse(json);
  if (!parsed.success) return { ok: false, status: 400, error: "Unknown or malformed event." };
  const event = parsed.data;
  const pool = getLedger().pool;
  const { rowCount } = await pool.query(`UPDATE payment_events SET deliveries = deliveries + 1 WHERE id = $1 AND intent_id = $2 AND type = $3`, [
    event.id,
    event.data.intentId,
    event.type,
  ]);
  if (!rowCount) return { ok: false, status: 404, error: "No such event." };
  if (event.type === "charge.dispute.created") {
    // The same code as an operator's refund; a repeat returns the first outcome.
    let reversal: Awaited<ReturnType<typeof reversePurchase>>;
    try {
      reversal = await reversePurchase({ intentId: event.data.intentId, kind: "CHARGEBACK", reason: "chargeback", operatorId: null, now });
    } catch (error) {
      // Disputed before its coins were credited: not acknowledged, delivered again later.
      if (error instanceof RefundError) return { ok: false, status: 409, error: error.message };
      throw error;
    }
    const { outcome, reversed } = reversal;
    await pool.query(`UPDATE payment_events SET processed_at = COALESCE(processed_at, now()) WHERE id = $1`, [event.id]);
    return { ok: true, credited: false, transferId: String(outcome.transferId), reversed };
  }
  const transferId = await creditIntent(event.data.intentId);
  await pool.query(`UPDATE payment_events SET processed_at = COALESCE(processed_at, now()) WHERE id = $1`, [event.id]);
  return { ok: true, credited: transferId !== null, transferId: transferId === null ? null : String(transferId) };
}

/**
 * Credits a succeeded intent's coins (and bonus, as its own transfer). Returns
 * the recharge transfer id, or null when the intent has not succeeded.
 */
export async function creditIntent(intentId: string): Promise<bigint | null> {
  const ledger = getLedger();
  const intent = await loadIntent(ledger.pool, intentId, null);
  if (intent.status !== "SUCCEEDED") return null;
  const { userId, coins, bonusCoins: bonus, amount, currency } = intent;
  const wallet = await ledger.userAccount(userId, "VIEWER_COINS");
  const issuance = await ledger.platformAccount("coin_issuance");
  const promotions = bonus > 0n ? await ledger.platformAccount("promotions") : null;
  const { clearing, deferred } = await clearingAccounts(currency);
  const rechargeKey = `recharge:${intentId}`;
  const recharge = await inTransaction(ledger.pool, async (client) => {
    // Deliveries of one intent one at a time: the first credits, the rest find its transfer.
    await client.query("SELECT pg_advisory_xact_lock(hashtext($1))", [rechargeKey]);
    const done = await queryRow(client, ZTransferId, "SELECT id FROM ledger_transfers WHERE idempotency_key = $1", [rechargeKey]);
    if (done) return done.id;
    // A debt from a refunded purchase is covered first; the wallet gets the remainder.
    const debtAccount = await queryRow(client, ZDebtAccount, "SELECT id, balance FROM ledger_accounts WHERE code = $1 FOR UPDATE", [coinDebtCode(userId)]);
    const debtId = debtAccount?.id ?? null;
    let owed = debtAccount && debtAccount.balance < 0n ? -debtAccount.balance : 0n;
    const split = (credit: bigint, source: bigint): PostingInput[] => {
      const cover = credit < owed ? credit : owed;
      owed -= cover;
      const lines: PostingInput[] = [{ accountId: source, amount: -credit }];
      if (credit - cover > 0n) lines.push({ accountId: wallet.id, amount: credit - cover });
      if (cover > 0n) lines.push({ accountId: debtId!, amount: cover });
      return lines;
    };
    const coinLines = split(coins, issuance.id);
    const covered = coinLines.find((l) => l.accountId === debtId)?.amount ?? 0n;
    const posted = await ledger.postInTransaction(client, {
      idempotencyKey: rechargeKey,
      kind: "RECHARGE",
      metadata: {
        label: covered > 0n ? `Recharge ${coins} coins (${covered} cover a refunded purchase)` : `Recharge ${coins} coins`,
        paymentIntentId: intentId,
        amount: amount.toString(),
        currency,
        ...(covered > 0n ? { debtCovered: covered.toString() } : {}),
      },
      postings: [...coinLines, { accountId: clearing, amount: -amount }, { accountId: deferred, amount: amount }],
    });
    if (promotions) {
      await ledger.postInTransaction(client, {
        idempotencyKey: `bonus:${intentId}`,
        kind: "BONUS",
        metadata: { label: "Recharge bonus", paymentIntentId: intentId, lines: intent.bonusLines },
        postings: split(bonus, promotions.id),
      });
    }
    await client.query(`UPDATE payment_intents SET credited_transfer_id = $2, updated_at = now() WHERE id = $1 AND credited_transfer_id IS NULL`, [
      intentId,
      posted.id,
    ]);
    return posted.id;
  });
  forgetCoinDebt(userId); // a debt this recharge covered no longer stops this instance's gifts
  return recharge;
}

/** The provider delivering one event to our webhook handler, signed. */
export async function deliverEvent(
  eventId: string,
  intentId: string,
  now = new Date(),
  type: PaymentEventType = "payment_intent.succeeded",
): Promise<WebhookResult> {
  const body = JSON.stringify({ id: eventId, type, data: { intentId } });
  const signature = signPayload(body, webhookSecret(), Math.floor(now.getTime() / 1000));
  return receiveWebhook(body, signature, now);
}

/** Largest webhook body accepted (an event is a few hundred bytes); larger ones are refused while reading. */
export const WEBHOOK_MAX_BYTES = 10_000;
