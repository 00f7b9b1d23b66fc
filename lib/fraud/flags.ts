// Fraud flags as operators see and resolve them (the job in ./job.ts writes them).
import "server-only";
import { z } from "zod";
import { FRAUD_RULES, type FraudRule } from "../economy";
import { column, parseRow } from "../db/rows";
import { getPrisma } from "../db/prisma";
import type { Prisma } from "../db/generated/prisma/client";
import { getLedger } from "../ledger";
import { AppError } from "../errors";
import { isUuid, unsafeCharacterMessage } from "../validation/input";
import { FraudFlagStatus } from "../db/generated/prisma/enums";

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

/** A flag as Prisma reads it with the two people it names; evidence and rule checked into the view. */
const ZFlag = z
  .object({
    id: column.text,
    userId: column.text,
    user: z.object({ displayName: column.text, email: column.text }),
    rule: z.enum(FRAUD_RULES),
    evidence: z.record(z.string(), z.union([z.string(), z.number()])),
    status: z.enum(FraudFlagStatus),
    createdAt: column.time,
    resolver: z.object({ displayName: column.text }).nullable(),
    resolvedAt: column.time.nullable(),
    note: column.text.nullable(),
  })
  .transform(({ user, resolver, ...flag }): FraudFlagView => ({
    ...flag,
    userName: user.displayName,
    userEmail: user.email,
    resolvedByName: resolver?.displayName ?? null,
  }));

const WITH_PEOPLE = { user: { select: { displayName: true, email: true } }, resolver: { select: { displayName: true } } } as const;

async function readFlags(where: Prisma.FraudFlagWhereInput, limit: number): Promise<FraudFlagView[]> {
  const flags = await getPrisma().fraudFlag.findMany({ where, include: WITH_PEOPLE, orderBy: [{ createdAt: "desc" }, { id: "asc" }], take: limit });
  return flags.map((flag) => parseRow(ZFlag, flag, "fraud flags"));
}

/** Open flags, newest first. */
export async function listOpenFlags(limit = 100): Promise<FraudFlagView[]> {
  return readFlags({ status: "OPEN" }, limit);
}

/** One account's flags, newest first. */
export async function listUserFlags(userId: string): Promise<FraudFlagView[]> {
  if (!isUuid(userId)) return [];
  return readFlags({ userId }, 100);
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
