"use client";

import { useActionState } from "react";
import { saveBudget } from "@/app/actions/recharge";
import { Field } from "@/components/ui/Field";
import { FormMessage } from "@/components/ui/FormMessage";
import { SubmitButton } from "@/components/ui/SubmitButton";

export function BudgetForm({ current }: { current: string }) {
  const [state, action] = useActionState(saveBudget, {});
  return (
    <form action={action} className="flex flex-col gap-3" noValidate>
      <div key={state.key}>
        <Field
          label="Monthly budget (coins)"
          name="budget"
          inputMode="numeric"
          hint="Recharges that would go past it are refused; you are warned at 80%. Leave empty for no budget."
          defaultValue={state.values?.budget ?? current}
          errors={state.errors?.budget}
        />
      </div>
      <FormMessage message={state.message} ok={state.ok} />
      <SubmitButton pendingLabel="Saving…" className="self-start">
        Save budget
      </SubmitButton>
    </form>
  );
}
