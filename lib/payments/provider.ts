// The simulated payment provider. It behaves like a real one: a payment intent is
// created for a server-computed price, confirmed with a payment method, may need
// a 3-D Secure (or wallet/PayPal approval) step, may stay "processing" for a
// while, and ends succeeded, failed or canceled. Success is announced by a
// signed webhook event that is delivered at least once (often twice); the
// webhook handler (./webhooks.ts) credits coins exactly once.
import "server-only";
import { randomBytes } from "node:crypto";
import type pg from "pg";
import { getLedger } from "../ledger";
import { cardOutcome, DECLINE_MESSAGES, validateCard } from "./cards";
import { deliverEvent } from "./webhooks";
import type { PaymentIntentView, PaymentMethodInput } from "./types";
import { getRechargeTotals, loadIntent, PaymentError, refuseFrozen } from "./intents";
import { checkRecharge, computeBonus } from "../economy";
import { inTransaction } from "../db/transaction";
import { setting } from "../env";
import { column, queryRow } from "../db/rows";
import { getPrisma } from "../db/prisma";
import { z } from "zod";

const ZId = z.object({ id: column.text });

/** How long after paying the "charged back" test card's dispute arrives (CHARGEBACK_DELAY_MS, 30 s by default; tests shorten it). */
export function chargebackDelayMs(): number {
  return setting("CHARGEBACK_DELAY_MS");
}

/** How long the "succeeds after a delay" test card stays processing. */
export const PROCESSING_DELAY_MS = 3_000;

function newId(prefix: string): string {
  return `${prefix}_${randomBytes(12).toString("base64url")}`;
}

async function setStatus(client: pg.PoolClient, id: string, status: string, fields: Record<string, string | bigint | Date | null> = {}): Promise<void> {
  const names = Object.keys(fields);
  const sets = names.map((name, i) => `${name} = $${i + 3}`);
  await client.query(`UPDATE payment_intents SET status = $2, updated_at = now()${sets.length ? `, ${sets.join(", ")}` : ""} WHERE id = $1`, [
    id,
    status,
    ...names.map((n) => fields[n] ?? null),
  ]);
}

/**
 * Re-checks the daily cap and the budget when money is about to move: several
 * intents may have been opened before any of them was paid, on another day or
 * in another month. The totals count purchases by when they were paid (the
 * `paid_at` the caller sets in this transaction), and purchases of one user are
 * serialised by an advisory lock for the rest of the transaction.
 */
async function assertWithinLimits(client: pg.PoolClient, intent: PaymentIntentView, now: Date): Promise<void> {
  const { userId, coins } = intent;
  await client.query("SELECT pg_advisory_xact_lock(hashtext($1))", [`recharge:${userId}`]);
  const totals = await getRechargeTotals(client, userId, now);
  const limit = checkRecharge({ coins, ...totals });
  if (!limit.ok) throw new PaymentError(limit.code, limit.message);
  // The first-recharge bonus belongs to the first purchase actually paid: if
  // another one was paid since this checkout opened, it no longer applies.
  if (totals.successfulPurchases > 0 && intent.bonusLines.some((line) => line.id === "first-recharge")) {
    const bonus = computeBonus({ coins, isFirstRecharge: false, now: intent.createdAt });
    const lines = bonus.lines.map((line) => ({ id: line.id, title: line.title, coins: line.coins.toString() }));
    await client.query("UPDATE payment_intents SET bonus_coins = $2, bonus_lines = $3 WHERE id = $1", [intent.id, bonus.totalBonus, JSON.stringify(lines)]);
  }
}

async function recordSucceeded(client: pg.PoolClient, intentId: string): Promise<string> {
  const eventId = newId("evt");
  await client.query(`INSERT INTO payment_events (id, intent_id, type) VALUES ($1, $2, 'payment_intent.succeeded')`, [eventId, intentId]);
  return eventId;
}

/**
 * The cardholder disputes the payment: a chargeback event, delivered by the
 * delivery job (lib/payments/deliveries.ts) once `at` has come, and retried
 * like any other event until our handler acknowledges it.
 */
async function scheduleChargeback(client: pg.PoolClient, intentId: string, at: Date): Promise<void> {
  await client.query(`INSERT INTO payment_events (id, intent_id, type, next_attempt_at) VALUES ($1, $2, 'charge.dispute.created', $3)`, [
    newId("evt"),
    intentId,
    at,
  ]);
}

/**
 * Confirms an intent with a payment method. Safe to repeat: an intent that is
 * already processing or succeeded is returned as it is (a double click or a
 * refresh never charges twice).
 */
export async function confirmPayment(userId: string, intentId: string, method: PaymentMethodInput, now = new Date()): Promise<PaymentIntentView> {
  await refuseFrozen(userId, now.getTime());
  let eventId: string | null = null;
  const view = await inTransaction(getLedger().pool, async (client) => {
    const intent = await loadIntent(client, intentId, userId, { lock: true });
    if (intent.status !== "REQUIRES_CONFIRMATION" && intent.status !== "FAILED") return intent;
    await assertWithinLimits(client, intent, now);
    if (method.type === "card") {
      const checked = validateCard(
        { number: method.number, expiry: method.expiry, cvc: method.cvc, name: method.name },
        { year: now.getUTCFullYear(), month: now.getUTCMonth() + 1 },
      );
      if (!checked.ok) throw new PaymentError("INVALID_CARD", "Check the card details.", checked.errors);
      const { brand, last4, digits } = checked.card;
      const outcome = cardOutcome(digits);
      const card = { method: "CARD", card_brand: brand, card_last4: last4, test_outcome: outcome, failure_code: null, failure_message: null };
      switch (outcome) {
        case "declined":
        case "insufficient_funds":
        case "expired_card":
          await setStatus(client, intentId, "FAILED", { ...card, failure_code: outcome, failure_message: DECLINE_MESSAGES[outcome] });
          break;
        case "requires_3ds":
          await setStatus(client, intentId, "REQUIRES_ACTION", card);
          break;
        case "succeeds_after_delay":
          await setStatus(client, intentId, "PROCESSING", { ...card, processing_until: new Date(now.getTime() + PROCESSING_DELAY_MS), paid_at: now });
          break;
        default:
          await setStatus(client, intentId, "SUCCEEDED", { ...card, paid_at: now });
          eventId = await recordSucceeded(client, intentId);
          if (outcome === "charged_back") await scheduleChargeback(client, intentId, new Date(now.getTime() + chargebackDelayMs()));
      }
    } else {
      // PayPal and wallets send the buyer to approve the payment (simulated redirect).
      await setStatus(client, intentId, "REQUIRES_ACTION", {
        method: method.type === "paypal" ? "PAYPAL" : "WALLET",
        card_brand: null,
        card_last4: null,
        test_outcome: null,
        failure_code: null,
        failure_message: null,
      });
    }
    return loadIntent(client, intentId, userId);
  });
  if (eventId) return settleAfterSuccess(userId, intentId, eventId);
  return view;
}

/** The 3-D Secure challenge (or the PayPal/wallet approval page) answered. */
export async function completeAction(userId: string, intentId: string, approve: boolean, now = new Date()): Promise<PaymentIntentView> {
  if (approve) await refuseFrozen(userId, now.getTime());
  let eventId: string | null = null;
  const view = await inTransaction(getLedger().pool, async (client) => {
    const intent = await loadIntent(client, intentId, userId, { lock: true });
    if (intent.status !== "REQUIRES_ACTION") return intent;
    if (approve) {
      await assertWithinLimits(client, intent, now);
      await setStatus(client, intentId, "SUCCEEDED", { paid_at: now });
      eventId = await recordSucceeded(client, intentId);
    } else {
      const card = intent.method === "CARD";
      await setStatus(client, intentId, "CANCELED", {
        failure_code: card ? "authentication_failed" : "approval_canceled",
        failure_message: card ? DECLINE_MESSAGES.authentication_failed : "You canceled the approval. You were not charged.",
      });
    }
    return loadIntent(client, intentId, userId);
  });
  if (eventId) return settleAfterSuccess(userId, intentId, eventId);
  return view;
}

/** The buyer leaves checkout before paying. */
export async function cancelPayment(userId: string, intentId: string): Promise<PaymentIntentView> {
  return inTransaction(getLedger().pool, async (client) => {
    const intent = await loadIntent(client, intentId, userId, { lock: true });
    if (intent.status === "REQUIRES_CONFIRMATION" || intent.status === "REQUIRES_ACTION" || intent.status === "FAILED") {
      await setStatus(client, intentId, "CANCELED", { failure_code: "canceled", failure_message: "You canceled this purchase. You were not charged." });
    }
    return loadIntent(client, intentId, userId);
  });
}

/**
 * The current state of an intent, moving a "processing" one on when its time is
 * up (the provider works on its own clock; reading is how we observe it).
 */
export async function refreshPayment(userId: string, intentId: string, now = new Date()): Promise<PaymentIntentView> {
  let eventId: string | null = null;
  const view = await inTransaction(getLedger().pool, async (client) => {
    const intent = await loadIntent(client, intentId, userId, { lock: true });
    if (intent.status === "PROCESSING" && intent.processingUntil && intent.processingUntil <= now) {
      await setStatus(client, intentId, "SUCCEEDED");
      eventId = await recordSucceeded(client, intentId);
    } else if (intent.status === "SUCCEEDED" && intent.creditedTransferId === null) {
      // A delivery that never arrived: the provider retries.
      const event = await queryRow(
        client,
        ZId,
        "SELECT id FROM payment_events WHERE intent_id = $1 AND type = 'payment_intent.succeeded' ORDER BY created_at LIMIT 1",
        [intentId],
      );
      eventId = event?.id ?? null;
    }
    return loadIntent(client, intentId, userId);
  });
  if (eventId) return settleAfterSuccess(userId, intentId, eventId);
  return view;
}

/**
 * Delivers the success event like a provider does: once now (so the buyer sees
 * the coins at once) and once more shortly after (at-least-once delivery). A
 * delivery that fails is not the buyer's problem: the payment has succeeded,
 * and the delivery job (lib/payments/deliveries.ts) retries the event until
 * our handler acknowledges it.
 */
async function settleAfterSuccess(userId: string, intentId: string, eventId: string): Promise<PaymentIntentView> {
  await deliverOnce(eventId, intentId);
  const again = setTimeout(() => void deliverOnce(eventId, intentId), 250);
  again.unref?.();
  return loadIntent(getLedger().pool, intentId, userId);
}

/** One delivery; a failure is logged with its cause and left to the delivery job. */
async function deliverOnce(eventId: string, intentId: string): Promise<void> {
  try {
    const result = await deliverEvent(eventId, intentId);
    if (!result.ok)
      console.error(`payments: delivery of ${eventId} (intent ${intentId}) refused, the delivery job will retry: ${result.status} ${result.error}`);
  } catch (error) {
    console.error(
      `payments: delivery of ${eventId} (intent ${intentId}) failed, the delivery job will retry: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

/**
 * Moves intents whose processing time is up to succeeded and records their
 * success events (delivered by the caller, the delivery job). Returns how many
 * it moved. Safe to run in several processes at once: each intent is locked
 * and re-checked.
 */
export async function completeDueProcessing(now = new Date(), limit = 50): Promise<number> {
  const pool = getLedger().pool;
  const due = await getPrisma().paymentIntent.findMany({
    select: { id: true },
    where: { status: "PROCESSING", processingUntil: { lte: now } },
    orderBy: { processingUntil: "asc" },
    take: limit,
  });
  let moved = 0;
  for (const { id } of due) {
    const done = await inTransaction(pool, async (client) => {
      const intent = await loadIntent(client, id, null, { lock: true });
      if (intent.status !== "PROCESSING" || !intent.processingUntil || intent.processingUntil > now) return false;
      await setStatus(client, intent.id, "SUCCEEDED");
      await recordSucceeded(client, intent.id);
      return true;
    });
    if (done) moved++;
  }
  return moved;
}

export { newId };
