import "server-only";
import { z } from "zod";
import { isAdultOn } from "./age";
import { signUpSchema } from "./schemas";
import { createUser, type UserProfile } from "./users";

export type CreateOperatorResult = { ok: true; user: UserProfile } | { ok: false; message: string };

/**
 * A new operator account (npm run operator:create), checked by the same rules
 * as sign-up: how a deployment with DEMO_MODE=off gets its first operator.
 */
export async function createOperator(
  input: { email: string; displayName: string; birthDate: string; password: string },
  today = new Date(),
): Promise<CreateOperatorResult> {
  const parsed = signUpSchema(today.toISOString().slice(0, 10)).safeParse(input);
  if (!parsed.success) {
    const fields = z.flattenError(parsed.error).fieldErrors as Record<string, string[] | undefined>;
    return {
      ok: false,
      message: Object.entries(fields)
        .map(([field, messages]) => `${field}: ${messages?.[0]}`)
        .join("; "),
    };
  }
  if (!isAdultOn(new Date(`${parsed.data.birthDate}T00:00:00Z`), today)) return { ok: false, message: "An operator must be 18 or over." };
  const created = await createUser({ ...parsed.data, role: "OPERATOR" }, today);
  if (!created.ok) return { ok: false, message: created.message };
  return { ok: true, user: created.user };
}
