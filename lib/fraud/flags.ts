// Fraud flags as operators see and resolve them (the job in ./job.ts writes them).
import "server-only";
import { z } from "zod";
import type { FraudRule } from "../economy";
import { getLedger } from "../ledger";
import { AppError } from "../errors";
import { isUuid, unsafeCharacterMessage } from "../validation/input";

export interface FraudFlagView {
  id: string;
  userId: string;
  userName: string;
  userEmail: string;
  rule: FraudRule;
  evidence: Record<string, string | number>;
  status: "OPEN" | "DISMISSED" | "ACTIONED";
  createdAt: Date;
  resolvedByName: string | null;
  resolvedAt: Date | null;
  note: string | null;
}

export class FlagError extends AppError<"FORBIDDEN" | "NOT_FOUND" | "NOT_OPEN" | "INVALID_NOTE"> {
  static override readonly brand = "FlagError";
}

const SELECT = `SELECT f.id, f.user_id, u.display_name AS user_name, u.email AS user_email, f.rule, f.evidence, f.status, f.created_at,
                       r.display_name AS resolved_by_name, f.resolved_at, f.note
                  FROM fraud_flags f JOIN users u ON u.id = f.user_id LEFT JOIN users r ON r.id = f.resolved_by`;

const toView = (r: Record<string, unknown>): FraudFlagView => ({
  id: r.id as string,
  userId: r.user_id as string,
  userName: r.user_name as string,
  userEmail: r.user_email as string,
  rule: r.rule as FraudRule,
  evidence: r.evidence as Record<string, string | number>,
  status: r.status as FraudFlagView["status"],
  createdAt: r.created_at as Date,
  resolvedByName: (r.resolved_by_name as string | null) ?? null,
  resolvedAt: (r.resolved_at as Date | null) ?? null,
  note: (r.note as string | null) ?? null,
});

/** Open flags, newest first. */
export async function listOpenFlags(limit = 100): Promise<FraudFlagView[]> {
  const { rows } = await getLedger().pool.query(`${SELECT} WHERE f.status = 'OPEN' ORDER BY f.created_at DESC, f.id LIMIT $1`, [limit]);
  return rows.map(toView);
}

/** One account's flags, newest first. */
export async function listUserFlags(userId: string): Promise<FraudFlagView[]> {
  if (!isUuid(userId)) return [];
  const { rows } = await getLedger().pool.query(`${SELECT} WHERE f.user_id = $1 ORDER BY f.created_at DESC, f.id LIMIT 100`, [userId]);
  return rows.map(toView);
}

/** The note an operator's form asks for when dismissing a flag (trimmed). */
export const ZFlagNote = z.string().trim().min(3, "Write a note of at least 3 characters saying why.").max(300, "Keep the note to 300 characters or fewer.");

/** An operator dismisses an open flag with a note. */
export async function dismissFlag(operator: { id: string; role: string }, flagId: string, note: string, now = new Date()): Promise<void> {
  if (operator.role !== "OPERATOR") throw new FlagError("FORBIDDEN", "Only operators can dismiss flags.");
  const text = note.trim();
  const unsafe = unsafeCharacterMessage(text, "A note");
  if (unsafe) throw new FlagError("INVALID_NOTE", unsafe);
  if (text.length < 3 || text.length > 300) throw new FlagError("INVALID_NOTE", "Write a note of 3 to 300 characters saying why.");
  if (!isUuid(flagId)) throw new FlagError("NOT_FOUND", "This flag does not exist.");
  const { rowCount } = await getLedger().pool.query(
    "UPDATE fraud_flags SET status = 'DISMISSED', resolved_by = $2, resolved_at = $3, note = $4 WHERE id = $1 AND status = 'OPEN'",
    [flagId, operator.id, now, text],
  );
  if (!rowCount) throw new FlagError("NOT_OPEN", "This flag is no longer open.");
}
