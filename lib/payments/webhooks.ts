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

/** PAYMENT_WEBHOOK_SECRET; no default outside demo mode (lib/secrets.ts). */
export function webhookSecret(): string {
  return requireSecret("PAYMENT_WEBHOOK_SECRET");
}

const ZEvent = z.object({
  id: z.string().regex(/^evt_[A-Za-z0-9_-]{8,64}$/),
  type: z.literal("payment_intent.succeeded"),
  data: z.object({ intentId: z.string().regex(/^pi_[A-Za-z0-9_-]{8,64}$/) }),
});

export type WebhookResult =
  | { ok: true; credited: boolean; transferId: string | null }
  | { ok: false; status: 400 | 404; error: string };

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
  const { rowCount } = await pool.query(
    `UPDATE payment_events SET deliveries = deliveries + 1 WHERE id = $1 AND intent_id = $2`,
    [event.id, event.data.intentId],
  );
  if (!rowCount) return { ok: false, status: 404, error: "No such event." };
  const transferId = await creditIntent(event.data.intentId);
  await pool.query(`UPDATE payment_events SET processed_at = COALESCE(processed_at, now()) WHERE id = $1`, [event.id]);
  return { ok: true, credited: transferId !== null, transferId: transferId === null ? null : String(transferId) };
}

async function clearingAccounts(currency: string) {
  const ledger = getLedger();
  const suffix = currency === "USD" ? "" : `:${currency}`;
  const clearing = await ledger.getAccountByCode(`platform:payment_clearing${suffix}`);
  const deferred = await ledger.getAccountByCode(`platform:deferred_revenue${suffix}`);
  if (!clearing || !deferred) throw new Error(`No clearing accounts for ${currency}; run the migrations.`);
  return { clearing: clearing.id, deferred: deferred.id };
}

/**
 * Credits a succeeded intent's coins (and bonus, as its own transfer). Returns
 * the recharge transfer id, or null when the intent has not succeeded.
 */
export async function creditIntent(intentId: string): Promise<bigint | null> {
  const ledger = getLedger();
  const intent = await loadIntent(ledger.pool, intentId, null);
  if (intent.status !== "SUCCEEDED") return null;
  const userId = intent.user_id as string;
  const coins = intent.coins as bigint;
  const bonus = intent.bonus_coins as bigint;
  const amount = intent.amount as bigint;
  const currency = intent.currency as string;
  const wallet = await ledger.userAccount(userId, "VIEWER_COINS");
  const issuance = await ledger.platformAccount("coin_issuance");
  const { clearing, deferred } = await clearingAccounts(currency);
  const recharge = await ledger.post({
    idempotencyKey: `recharge:${intentId}`,
    kind: "RECHARGE",
    metadata: { label: `Recharge ${coins} coins`, paymentIntentId: intentId, amount: amount.toString(), currency },
    postings: [
      { accountId: issuance.id, amount: -coins },
      { accountId: wallet.id, amount: coins },
      { accountId: clearing, amount: -amount },
      { accountId: deferred, amount: amount },
    ],
  });
  if (bonus > 0n) {
    const promotions = await ledger.platformAccount("promotions");
    await ledger.post({
      idempotencyKey: `bonus:${intentId}`,
      kind: "BONUS",
      metadata: { label: "Recharge bonus", paymentIntentId: intentId, lines: intent.bonus_lines },
      postings: [
        { accountId: promotions.id, amount: -bonus },
        { accountId: wallet.id, amount: bonus },
      ],
    });
  }
  await ledger.pool.query(
    `UPDATE payment_intents SET credited_transfer_id = $2, updated_at = now() WHERE id = $1 AND credited_transfer_id IS NULL`,
    [intentId, recharge.id],
  );
  return recharge.id;
}

/** The provider delivering one event to our webhook handler, signed. */
export async function deliverEvent(eventId: string, intentId: string, now = new Date()): Promise<WebhookResult> {
  const body = JSON.stringify({ id: eventId, type: "payment_intent.succeeded", data: { intentId } });
  const signature = signPayload(body, webhookSecret(), Math.floor(now.getTime() / 1000));
  return receiveWebhook(body, signature, now);
}
