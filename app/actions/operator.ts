"use server";

import { revalidatePath } from "next/cache";
import { action } from "@/lib/action";
import { getLedger } from "@/lib/ledger";
import { runReconciliationFor } from "@/lib/operator/reconciliations";

/** The operator runs a reconciliation now; the console shows it as the last one. */
export const runReconciliationAction = action({
  roles: ["OPERATOR"],
  run: (user) => runReconciliationFor(getLedger().pool, user.id),
  done: (run) => {
    revalidatePath("/operator");
    return run.ok
      ? { message: `Reconciled: ${run.transfers.toLocaleString("en-US")} transfers, zero drift.` }
      : { ok: false, code: "DRIFT", message: "Drift found: see the accounts listed below." };
  },
});
