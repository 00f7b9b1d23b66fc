"use client";

import { useActionState } from "react";
import { goLiveAction } from "@/app/actions/live";
import { Field } from "@/components/ui/Field";
import { FormMessage } from "@/components/ui/FormMessage";
import { SubmitButton } from "@/components/ui/SubmitButton";

export function GoLiveForm() {
  const [state, action] = useActionState(goLiveAction, {});
  return (
    <form action={action} className="flex flex-col gap-3" noValidate>
      <Field label="Title" name="title" maxLength={80} defaultValue={state.values?.title} errors={state.errors?.title} />
      <Field label="LIVE goal (coins, optional)" name="goalCoins" inputMode="numeric" errors={state.errors?.goalCoins} />
      <FormMessage message={state.message} ok={state.ok} />
      <SubmitButton pendingLabel="Going live…">Go LIVE</SubmitButton>
    </form>
  );
}
