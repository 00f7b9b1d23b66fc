import { getCurrentUser } from "@/lib/auth/session";
import { jsonError } from "@/lib/http/json";
import { getLedger } from "@/lib/ledger";

export const dynamic = "force-dynamic";

/** This instance's ledger counters (how batches were written since it started), for operators. */
export async function GET() {
  const user = await getCurrentUser();
  if (!user) return jsonError(401, "UNAUTHENTICATED", "Sign in as an operator.");
  if (user.role !== "OPERATOR") return jsonError(403, "FORBIDDEN", "Only operators can read the ledger's counters.");
  return Response.json({ ok: true, stats: getLedger().stats() });
}
