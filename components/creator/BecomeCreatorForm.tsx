"use client";

import { useActionState } from "react";
import { becomeCreatorAction } from "@/app/actions/earnings";
import { FormMessage } from "@/components/ui/FormMessage";
import { SubmitButton } from "@/components/ui/SubmitButton";

export function BecomeCreatorForm() {
  const [state, action] = useActionState(becomeCreatorAction, {});
  return (
    <form action={action} className="flex flex-col gap-2">
      <FormMessage message={state.message} ok={state.ok} />
      <SubmitButton pendingLabel="Turning on…">Turn on creator tools</SubmitButton>
    </form>
  );
}
