"use client";

import { useActionState } from "react";
import { cancelWithdrawalAction } from "@/app/actions/earnings";
import { FormMessage } from "@/components/ui/FormMessage";
import { SubmitButton } from "@/components/ui/SubmitButton";

export function CancelWithdrawal({ id }: { id: string }) {
  const [state, action] = useActionState(cancelWithdrawalAction.bind(null, id), {});
  return (
    <form action={action} className="flex flex-col gap-2">
      <FormMessage message={state.message} ok={state.ok} />
      {state.ok ? null : <SubmitButton pendingLabel="Cancelling…">Cancel this withdrawal</SubmitButton>}
    </form>
  );
}
