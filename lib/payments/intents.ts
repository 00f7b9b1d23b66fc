import "server-only";
import { frozenRefusal } from "../fraud/freezes";
import type { Queryable } from "../db/queryable";
import {
  checkRecharge,
  computeBonus,
  CURRENCIES,
  isCurrency,
  isPlatform,
  PLATFORMS,
  priceCustomAmount,
  priceFor,
  type Currency,
  type Platform,
} from "../economy";
import { column, parseRow, queryOne, queryRow, queryRows, type RowSchema } from "../db/rows";
import { getPrisma } from "../db/prisma";
import { getLedger } from "../ledger";
import { AppError } from "../errors";
import { getRateLimiter, RATE_LIMITS } from "../limits";
import type { UserProfile } from "../auth/users";
import type { BonusLine, PaymentIntentView } from "./types";
import { randomBytes } from "node:crypto";
import { z } from "zod";
import { isClientKey } from "../validation/input";
import { PaymentMethod, PaymentStatus as PaymentStatusEnum } from "../db/generated/prisma/enums";

export type PaymentErrorCode =
  | "NOT_FOUND"
  | "UNDER_AGE"
  | "UNKNOWN_PACKAGE"
  | "AMOUNT_OUT_OF_RANGE"
  | "NOT_AN_INTEGER"
  | "CUSTOM_WEB_ONLY"
  | "INVALID_CURRENCY"
  | "INVALID_PLATFORM"
  | "DAILY_CAP_EXCEEDED"
  | "BUDGET_EXCEEDED"
  | "INVALID_CARD"
  | "INVALID_REQUEST"
  | "RATE_LIMITED"
  | "KEY_REUSED"
  | "FROZEN";

/** A frozen account buys nothing: PaymentError FROZEN with the freeze's reason. */
export async function refuseFrozen(userId: string, now = Date.now()): Promise<void> {
  const frozen = await frozenRefusal(userId, now);
  if (frozen) throw new PaymentError("FROZEN", frozen);
}

export class PaymentError extends AppError<PaymentErrorCode> {
  static override readonly brand = "PaymentError";
}

const ZBonusLine = z.object({ id: column.text, title: column.text, coins: column.text }) satisfies RowSchema<BonusLine>;

/**
 * A payment intent as pages see it. Its fields are named as Prisma names them,
 * and COLUMNS selects the columns under the same names, so one schema reads a
 * row of either.
 */
const ZPaymentIntent = z.object({
  id: column.text,
  userId: column.text,
  status: z.enum(PaymentStatusEnum),
  packageId: column.text.nullable(),
  coins: column.int8,
  bonusCoins: column.int8,
  bonusLines: z.array(ZBonusLine),
  amount: column.int8,
  currency: z.enum(CURRENCIES),
  platform: z.enum(PLATFORMS),
  method: z.enum(PaymentMethod).nullable(),
  cardBrand: column.text.nullable(),
  cardLast4: column.text.nullable(),
  failureCode: column.text.nullable(),
  failureMessage: column.text.nullable(),
  processingUntil: column.time.nullable(),
  creditedTransferId: column.int8.nullable(),
  createdAt: column.time,
  updatedAt: column.time,
}) satisfies RowSchema<PaymentIntentView>;

const COLUMNS = `id, user_id AS "userId", status, package_id AS "packageId", coins, bonus_coins AS "bonusCoins", bonus_lines AS "bonusLines",
  amount, currency, platform, method, card_brand AS "cardBrand", card_last4 AS "cardLast4", failure_code AS "failureCode",
  failure_message AS "failureMessage", processing_until AS "processingUntil", credited_transfer_id AS "creditedTransferId",
  created_at AS "createdAt", updated_at AS "updatedAt"`;

/** A payment intent read by Prisma (or any row with its fields), checked into the view pages see. */
export function toView(row: unknown): PaymentIntentView {
  return parseRow(ZPaymentIntent, row, "a payment intent");
}

/** Loads a row of payment_intents; `userId` (when given) must own it, else NOT_FOUND. */
export async function loadIntent(db: Queryable, id: string, userId: string | null, { lock = false } = {}): Promise<PaymentIntentView> {
  if (!isIntentId(id)) throw new PaymentError("NOT_FOUND", "This purchase does not exist.");
  const intent = await queryRow(db, ZPaymentIntent, `SELECT ${COLUMNS} FROM payment_intents WHERE id = $1${lock ? " FOR UPDATE" : ""}`, [id]);
  if (!intent || (userId !== null && intent.userId !== userId)) throw new PaymentError("NOT_FOUND", "This purchase does not exist.");
  return intent;
}

export async function getPayment(userId: string, id: string): Promise<PaymentIntentView | null> {
  if (!isIntentId(id)) return null;
  const intent = await getPrisma().paymentIntent.findUnique({ where: { id } });
  return intent && intent.userId === userId ? toView(intent) : null;
}

export interface RechargeTotals {
  purchasedTodayCoins: bigint;
  purchasedThisMonthCoins: bigint;
  monthlyBudgetCoins: bigint | null;
  /** Purchases that succeeded or are being paid (processing). */
  successfulPurchases: number;
}

const ZRechargeTotals = z
  .object({ today: column.int8, month: column.int8, succeeded: column.int4, budget: column.int8.nullable() })
  .transform((r): RechargeTotals => ({
    purchasedTodayCoins: r.today,
    purchasedThisMonthCoins: r.month,
    monthlyBudgetCoins: r.budget,
    successfulPurchases: r.succeeded,
  }));

/**
 * Coins bought (or being paid for) today and this calendar month (UTC), and the
 * budget. A purchase counts on the day its money was taken (`paid_at`, set when
 * the intent turns PROCESSING or SUCCEEDED), whenever its checkout was opened:
 * checkouts opened ahead and paid later cannot slip past the caps.
 */
export async function getRechargeTotals(db: Queryable, userId: string, now = new Date()): Promise<RechargeTotals> {
  return queryOne(
    db,
    ZRechargeTotals,
    `WITH utc AS (SELECT $2::timestamptz AT TIME ZONE 'UTC' AS t),
     bounds AS (
       SELECT date_trunc('day', t) AT TIME ZONE 'UTC' AS day_start,
              (date_trunc('day', t) + interval '1 day') AT TIME ZONE 'UTC' AS day_end,
              date_trunc('month', t) AT TIME ZONE 'UTC' AS month_start,
              (date_trunc('month', t) + interval '1 month') AT TIME ZONE 'UTC' AS month_end
         FROM utc
     )
     SELECT
       COALESCE(SUM(coins) FILTER (WHERE paid_at >= bounds.day_start AND paid_at < bounds.day_end), 0)::bigint AS today,
       COALESCE(SUM(coins) FILTER (WHERE paid_at >= bounds.month_start AND paid_at < bounds.month_end), 0)::bigint AS month,
       COUNT(*)::int AS succeeded,
       (SELECT monthly_budget_coins FROM spending_limits WHERE user_id = $1) AS budget
     FROM payment_intents, bounds WHERE user_id = $1 AND status IN ('SUCCEEDED', 'PROCESSING')`,
    [userId, now],
  );
}

export interface RechargeRequest {
  packageId?: string | null;
  customCoins?: string | null;
  platform: string;
  currency: string;
  /** Made by the checkout page; the same key never creates a second intent. */
  clientKey: string;
}

/** Prices a recharge on the server (the client never sends a price) and opens an intent. */
export async function createRecharge(user: UserProfile, request: RechargeRequest, now = new Date()): Promise<PaymentIntentView> {
  if (!user.isAdult) {
    throw new PaymentError("UNDER_AGE", "Coins are for people 18 and over. Your account can watch streams but cannot buy coins.");
  }
  await refuseFrozen(user.id, now.getTime());
  if (!isCurrency(request.currency)) throw new PaymentError("INVALID_CURRENCY", `We do not sell coins in "${request.currency}".`);
  if (!isPlatform(request.platform)) throw new PaymentError("INVALID_PLATFORM", `"${request.platform}" is not a place coins can be bought.`);
  if (!isClientKey(request.clientKey)) throw new PaymentError("INVALID_REQUEST", "This checkout form has expired. Reload the page.");
  if (!(await getRateLimiter("recharge").take(user.id, now.getTime()))) {
    throw new PaymentError("RATE_LIMITED", `You have opened ${RATE_LIMITS.recharge.limit} checkouts in the last minute. Wait a minute, then try again.`);
  }
  const currency: Currency = request.currency;
  const platform: Platform = request.platform;

  let coins: bigint;
  let amount: bigint;
  let packageId: string | null = null;
  if (request.packageId) {
    const quote = priceFor(request.packageId, platform, currency);
    if (!quote.ok) throw new PaymentError("UNKNOWN_PACKAGE", "That coin package does not exist.");
    ({ coins, price: amount } = quote.value);
    packageId = quote.value.id;
  } else {
    if (platform !== "web") throw new PaymentError("CUSTOM_WEB_ONLY", "Custom amounts can only be bought on the web.");
    const quote = priceCustomAmount(request.customCoins ?? "", currency);
    if (!quote.ok) throw new PaymentError(quote.code, quote.message);
    ({ coins, price: amount } = quote.value);
  }

  const pool = getLedger().pool;
  const totals = await getRechargeTotals(pool, user.id, now);
  const limit = checkRecharge({ coins, ...totals });
  if (!limit.ok) throw new PaymentError(limit.code, limit.message);
  const bonus = computeBonus({ coins, isFirstRecharge: totals.successfulPurchases === 0, now });
  const lines: BonusLine[] = bonus.lines.map((line) => ({ id: line.id, title: line.title, coins: line.coins.toString() }));

  const key = `${user.id}:${request.clientKey}`;
  const id = `pi_${randomBytes(12).toString("base64url")}`;
  await pool.query(
    `INSERT INTO payment_intents (id, user_id, idempotency_key, package_id, coins, bonus_coins, bonus_lines, amount, currency, platform)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (idempotency_key) DO NOTHING`,
    [id, user.id, key, packageId, coins, bonus.totalBonus, JSON.stringify(lines), amount, currency, platform],
  );
  const intent = toView(await getPrisma().paymentIntent.findUniqueOrThrow({ where: { idempotencyKey: key } }));
  // A retry (same key, same purchase) gets the first intent; the key with another purchase is refused.
  if (intent.packageId !== packageId || intent.coins !== coins || intent.currency !== currency || intent.platform !== platform) {
    throw new PaymentError("KEY_REUSED", "This checkout form was already used for another purchase. Reload the page and try again.");
  }
  return intent;
}

const INTENT_ID = /^pi_[A-Za-z0-9_-]{8,64}$/;

/** True for a payment intent id as this provider makes them (pi_ and 8–64 URL-safe characters). */
export function isIntentId(value: unknown): value is string {
  return typeof value === "string" && INTENT_ID.test(value);
}

/** Where a page of purchases starts: after the purchase made at `at` with id `id` (newest first). */
export interface PaymentsCursor {
  at: Date;
  id: string;
}

/** The cursor of the wallet's purchase list as it travels in links: `<ISO time>|<intent id>`. */
export const ZPaymentsCursor = z
  .string({ error: "That page of purchases does not exist." })
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?Z\|pi_[A-Za-z0-9_-]{8,64}$/, "That page of purchases does not exist.")
  .transform((text, ctx) => {
    const [at, id] = text.split("|") as [string, string];
    const date = new Date(at);
    if (Number.isNaN(date.getTime())) {
      ctx.addIssue({ code: "custom", message: "That page of purchases does not exist." });
      return z.NEVER;
    }
    return { at: date, id } satisfies PaymentsCursor;
  });

/** A purchases cursor from a link (null or "" for the first page), or a message when it is not one. */
export function parsePaymentsCursor(value: unknown): { ok: true; value: PaymentsCursor | null } | { ok: false; message: string } {
  if (value === null || value === undefined || value === "") return { ok: true, value: null };
  const parsed = ZPaymentsCursor.safeParse(value);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, message: parsed.error.issues[0]!.message };
}

/** A user's purchases, newest first, with a keyset cursor (one this function returned; anything else is INVALID_REQUEST). */
export async function listPayments(userId: string, { cursor, limit = 20 }: { cursor?: string | null; limit?: number } = {}) {
  const after = parsePaymentsCursor(cursor);
  if (!after.ok) throw new PaymentError("INVALID_REQUEST", after.message);
  // SQL, not Prisma: created_at holds microseconds, which Prisma's DateTime (milliseconds) cannot carry through the keyset.
  const rows = await queryRows(
    getLedger().pool,
    ZPaymentIntent,
    `SELECT ${COLUMNS} FROM payment_intents
      WHERE user_id = $1 AND status <> 'REQUIRES_CONFIRMATION'
        AND ($2::timestamptz IS NULL OR (created_at, id) < ($2::timestamptz, $3::text))
      ORDER BY created_at DESC, id DESC LIMIT $4`,
    [userId, after.value?.at ?? null, after.value?.id ?? "", limit + 1],
  );
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last ? `${last.createdAt.toISOString()}|${last.id}` : null };
}
