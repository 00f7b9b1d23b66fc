"use server";

import { revalidatePath } from "next/cache";
import { withUser, type ActionState } from "@/lib/auth/action";
import { isTransientDatabaseError, describeDatabaseError } from "@/lib/db/errors";
import { getLedger } from "@/lib/ledger";
import { runReconciliation } from "@/lib/operator/reconciliations";

/** The operator runs a reconciliation now; the console shows it as the last one. */
export const runReconciliationAction = withUser(
  async (user): Promise<ActionState> => {
    try {
      const { run } = await runReconciliation(getLedger().pool, user.id);
      revalidatePath("/operator");
      return run.ok
        ? { ok: true, message: `Reconciled: ${run.transfers.toLocaleString("en-US")} transfers, zero drift.` }
        : { ok: false, message: "Drift found: see the accounts listed below." };
    } catch (error) {
      if (!isTransientDatabaseError(error)) throw error;
      console.warn(`reconciliation: the database is busy: ${describeDatabaseError(error)}`);
      return { ok: false, message: "The database is busy right now. Try again in a moment." };
    }
  },
  ["OPERATOR"],
);
