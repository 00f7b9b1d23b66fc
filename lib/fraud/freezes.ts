// Account freezes: an operator freezes an account with a reason; a frozen
// account cannot recharge, gift, chat or withdraw. Freezes are rows in
// account_freezes that are never deleted: unfreezing sets lifted_at/lifted_by.
//
// The gift path must not pay a query per tap, so whether an account is frozen is
// read through an in-memory cache of FREEZE_TTL_MS per instance: a freeze made on
// any instance refuses that account's gifts everywhere within FREEZE_TTL_MS (the
// instance that froze it forgets its entry at once). Recharge, chat and
// withdrawal read the same cache; withdrawals are also checked again by the
// settler, which never pays a frozen creator's request.
import "server-only";
import type pg from "pg";
import { z } from "zod";
import { frozenMessage } from "../economy";
import { TtlCache } from "../cache/ttl";
import { getLedger } from "../ledger";
import { AppError } from "../errors";
import { inTransaction } from "../db/transaction";
import { unsafeCharacterMessage } from "../validation/input";
import { column, queryRow } from "../db/rows";
import { getPrisma } from "../db/prisma";

/** How stale the in-memory answer to "is this account frozen?" may be. */
export const FREEZE_TTL_MS = 3_000;

/** Shortest reason an operator may give for a freeze or an unfreeze. */
export const MIN_FREEZE_REASON = 10;
export const MAX_FREEZE_REASON = 300;

/** The length rule of a freeze's or an unfreeze's reason (trimmed), as the operator's form and checkReason apply it. */
export const ZFreezeReason = z
  .string()
  .trim()
  .min(MIN_FREEZE_REASON, `Give a reason of at least ${MIN_FREEZE_REASON} characters.`)
  .max(MAX_FREEZE_REASON, `Keep the reason to ${MAX_FREEZE_REASON} characters or fewer.`);

export interface Freeze {
  id: string;
  userId: string;
  reason: string;
  frozenBy: string;
  frozenByName: string;
  frozenAt: Date;
  liftedBy: string | null;
  liftedByName: string | null;
  liftedAt: Date | null;
  liftReason: string | null;
}

export class FreezeError extends AppError<"FORBIDDEN" | "INVALID_REASON" | "NOT_FOUND" | "ALREADY_FROZEN" | "NOT_FROZEN"> {
  static override readonly brand = "FreezeError";
}

type Actor = { id: string; role: string };

const ZReason = z.object({ reason: column.text });
const globalForFreezes = globalThis as unknown as { freezes?: TtlCache<string, { reason: string } | null> };
const cache = (globalForFreezes.freezes ??= new TtlCache<string, { reason: string } | null>(FREEZE_TTL_MS, 50_000));

/** The reason the account is frozen for, or null; at most FREEZE_TTL_MS stale. */
export async function frozenReason(userId: string, now = Date.now(), db: pg.Pool | pg.PoolClient = getLedger().pool): Promise<string | null> {
  const cached = cache.get(userId, now);
  if (cached !== undefined) return cached?.reason ?? null;
  const value = await queryRow(db, ZReason, "SELECT reason FROM account_freezes WHERE user_id = $1 AND lifted_at IS NULL", [userId]);
  cache.set(userId, value, now);
  return value?.reason ?? null;
}

/** The refusal message when the account is frozen, or null. */
export async function frozenRefusal(userId: string, now = Date.now()): Promise<string | null> {
  const reason = await frozenReason(userId, now);
  return reason === null ? null : frozenMessage(reason);
}

function checkReason(reason: string): string {
  const unsafe = unsafeCharacterMessage(reason.trim(), "A reason");
  if (unsafe) throw new FreezeError("INVALID_REASON", unsafe);
  const text = ZFreezeReason.safeParse(reason);
  if (!text.success) throw new FreezeError("INVALID_REASON", text.error.issues[0]!.message);
  return text.data;
}

function operatorOnly(actor: Actor): void {
  if (actor.role !== "OPERATOR") throw new FreezeError("FORBIDDEN", "Only operators can freeze or unfreeze accounts.");
}

/** An operator freezes an account (and marks the user's open flags actioned when `flagId` names one). */
export async function freezeAccount(operator: Actor, userId: string, reason: string, { now = new Date(), flagId = null as string | null } = {}): Promise<void> {
  operatorOnly(operator);
  const text = checkReason(reason);
  const pool = getLedger().pool;
  await inTransaction(pool, async (client) => {
    const { rows } = await client.query("SELECT id FROM users WHERE id = $1 FOR UPDATE", [userId]);
    if (!rows[0]) throw new FreezeError("NOT_FOUND", "This account does not exist.");
    const active = await client.query("SELECT 1 FROM account_freezes WHERE user_id = $1 AND lifted_at IS NULL", [userId]);
    if (active.rows[0]) throw new FreezeError("ALREADY_FROZEN", "This account is already frozen.");
    await client.query("INSERT INTO account_freezes (id, user_id, reason, frozen_by, frozen_at) VALUES (gen_random_uuid(), $1, $2, $3, $4)", [
      userId,
      text,
      operator.id,
      now,
    ]);
    if (flagId) {
      await client.query(
        "UPDATE fraud_flags SET status = 'ACTIONED', resolved_by = $3, resolved_at = $4, note = $5 WHERE id = $1 AND user_id = $2 AND status = 'OPEN'",
        [flagId, userId, operator.id, now, `Account frozen: ${text}`],
      );
    }
  });
  cache.delete(userId);
}

/** An operator lifts the account's freeze; the freeze stays in its history. */
export async function unfreezeAccount(operator: Actor, userId: string, reason: string, { now = new Date() } = {}): Promise<void> {
  operatorOnly(operator);
  const text = checkReason(reason);
  const { rowCount } = await getLedger().pool.query(
    "UPDATE account_freezes SET lifted_at = $2, lifted_by = $3, lift_reason = $4 WHERE user_id = $1 AND lifted_at IS NULL",
    [userId, now, operator.id, text],
  );
  if (!rowCount) throw new FreezeError("NOT_FROZEN", "This account is not frozen.");
  cache.delete(userId);
}

/** An account's freezes, newest first. */
export async function freezeHistory(userId: string): Promise<Freeze[]> {
  const freezes = await getPrisma().accountFreeze.findMany({
    where: { userId },
    orderBy: [{ frozenAt: "desc" }, { id: "asc" }],
    include: { by: { select: { displayName: true } }, lifter: { select: { displayName: true } } },
  });
  return freezes.map(({ by, lifter, ...freeze }) => ({ ...freeze, frozenByName: by.displayName, liftedByName: lifter?.displayName ?? null }));
}
