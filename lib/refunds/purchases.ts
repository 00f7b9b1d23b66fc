// The operator's list of succeeded purchases, newest paid first, with a keyset
// cursor on (paid_at, id) and an optional filter by the buyer's email.
import "server-only";
import { z } from "zod";
import { column, queryRows } from "../db/rows";
import { getLedger } from "../ledger";
import { parsePaymentsCursor } from "../payments/intents";
import { outcomeFromJson, type RefundOutcome } from "./refunds";

export type PurchaseState = "paid" | "refunded" | "charged back";

export interface OperatorPurchase {
  id: string;
  email: string;
  coins: bigint;
  bonusCoins: bigint;
  amount: bigint;
  currency: string;
  paidAt: Date;
  state: PurchaseState;
  refundedAt: Date | null;
  refundReason: string | null;
  outcome: RefundOutcome | null;
}

export const PURCHASES_PAGE = 20;

/** Keyset pagination on (paid_at, id) compares the stored microseconds exactly, so this read stays SQL (decision 025). */
const ZPurchaseRow = z
  .object({
    id: column.text,
    email: column.text,
    coins: column.int8,
    bonus_coins: column.int8,
    amount: column.int8,
    currency: column.text,
    paid_at: column.time,
    refunded_at: column.time.nullable(),
    refund_kind: column.text.nullable(),
    refund_reason: column.text.nullable(),
    refund_outcome: z.record(z.string(), z.unknown()).nullable(),
  })
  .transform((r): OperatorPurchase => ({
    id: r.id,
    email: r.email,
    coins: r.coins,
    bonusCoins: r.bonus_coins,
    amount: r.amount,
    currency: r.currency,
    paidAt: r.paid_at,
    state: r.refunded_at === null ? "paid" : r.refund_kind === "CHARGEBACK" ? "charged back" : "refunded",
    refundedAt: r.refunded_at,
    refundReason: r.refund_reason,
    outcome: r.refund_outcome ? outcomeFromJson(r.refund_outcome) : null,
  }));

export async function listPurchases({ cursor, email, limit = PURCHASES_PAGE }: { cursor?: unknown; email?: string; limit?: number }) {
  const after = parsePaymentsCursor(cursor);
  if (!after.ok) return { ok: false as const, message: after.message };
  const filter = email?.trim().toLowerCase() ?? "";
  const rows = await queryRows(
    getLedger().pool,
    ZPurchaseRow,
    `SELECT p.id, u.email, p.coins, p.bonus_coins, p.amount, p.currency, p.paid_at, p.refunded_at, p.refund_kind, p.refund_reason, p.refund_outcome
       FROM payment_intents p JOIN users u ON u.id = p.user_id
      WHERE p.status = 'SUCCEEDED' AND p.paid_at IS NOT NULL
        AND ($1 = '' OR lower(u.email) = $1)
        AND ($2::timestamptz IS NULL OR (p.paid_at, p.id) < ($2::timestamptz, $3::text))
      ORDER BY p.paid_at DESC, p.id DESC LIMIT $4`,
    [filter, after.value?.at ?? null, after.value?.id ?? "", limit + 1],
  );
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { ok: true as const, items, nextCursor: rows.length > limit && last ? `${last.paidAt.toISOString()}|${last.id}` : null };
}
