// The provider's delivery job: every few seconds it
// - completes intents whose "processing" time is up (the provider works on its
//   own clock, whether or not anyone looks at the checkout page), and
// - delivers every event (success, and the chargeback a test card asks for) our handler has not acknowledged yet, with
//   growing delays between attempts (1 s, 2 s, 4 s … at most 5 minutes), until
//   it is acknowledged.
// The handler credits exactly once however often an event arrives, so a repeat
// is harmless. Each event is claimed before it is delivered (its next attempt
// moved on first, rows locked with SKIP LOCKED), so two app instances never
// deliver the same event at the same moment.
import "server-only";
import { getLedger } from "../ledger";
import { completeDueProcessing } from "./provider";
import { deliverEvent, type PaymentEventType } from "./webhooks";
import { column, queryRows } from "../db/rows";
import { z } from "zod";

/** Longest wait between two attempts (seconds). */
export const MAX_RETRY_DELAY_S = 300;
/** Events and intents handled in one run at most. */
const BATCH = 50;

export interface DeliveryRun {
  /** Processing intents moved to succeeded. */
  completed: number;
  /** Events acknowledged by the handler. */
  delivered: number;
  /** Attempts that failed (retried later). */
  failed: number;
}

const EVENT_TYPES = ["payment_intent.succeeded", "charge.dispute.created"] as const satisfies readonly PaymentEventType[];

/** An event claimed for delivery. */
const ZClaimedEvent = z
  .object({ id: column.text, intent_id: column.text, type: z.enum(EVENT_TYPES), attempts: column.int4 })
  .transform((r) => ({ id: r.id, intentId: r.intent_id, type: r.type, attempts: r.attempts }));

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as { code?: unknown }).code;
  return `${error.message}${typeof code === "string" ? ` (${code})` : ""}`;
}

/** One run of the job: due processing intents, then due deliveries. */
export async function deliverDuePayments({ now = new Date(), limit = BATCH }: { now?: Date; limit?: number } = {}): Promise<DeliveryRun> {
  const pool = getLedger().pool;
  const completed = await completeDueProcessing(now, limit);
  // Claim the due events: the next attempt is set now (1 s × 2^attempts, capped),
  // so a run cut short leaves them due again later rather than lost.
  const rows = await queryRows(
    pool,
    ZClaimedEvent,
    `UPDATE payment_events e
        SET attempts = e.attempts + 1,
            next_attempt_at = $1::timestamptz + make_interval(secs => LEAST($3::float8, power(2, e.attempts)))
      WHERE e.id IN (SELECT id FROM payment_events
                      WHERE processed_at IS NULL AND next_attempt_at <= $1
                      ORDER BY next_attempt_at LIMIT $2 FOR UPDATE SKIP LOCKED)
      RETURNING e.id, e.intent_id, e.type, e.attempts`,
    [now, limit, MAX_RETRY_DELAY_S],
  );
  let delivered = 0;
  let failed = 0;
  for (const row of rows) {
    let failure: string | null = null;
    try {
      const result = await deliverEvent(row.id, row.intentId, new Date(), row.type);
      if (result.ok) delivered++;
      else failure = `refused: ${result.status} ${result.error}`;
    } catch (error) {
      failure = describe(error);
    }
    if (failure === null) continue;
    failed++;
    console.error(`payments: delivery ${row.attempts} of ${row.id} (intent ${row.intentId}) failed, will retry: ${failure}`);
    await pool.query("UPDATE payment_events SET last_error = $2 WHERE id = $1", [row.id, failure.slice(0, 1000)]);
  }
  return { completed, delivered, failed };
}
