"use client";

import { useActionState } from "react";
import { runReconciliationAction } from "@/app/actions/operator";
import { FormMessage } from "@/components/ui/FormMessage";
import { SubmitButton } from "@/components/ui/SubmitButton";

/** Runs a reconciliation again (it reads every posting: seconds on a large ledger, hence the progress label). */
export function ReconcileButton() {
  const [state, action] = useActionState(() => runReconciliationAction(), {});
  return (
    <form action={action} className="flex flex-col items-start gap-2">
      <SubmitButton pendingLabel="Reconciling every posting…" className="px-4 py-2 text-sm">
        Run reconciliation again
      </SubmitButton>
      <FormMessage message={state.message} ok={state.ok} />
    </form>
  );
}
