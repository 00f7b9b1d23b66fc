"use client";

import { useActionState } from "react";
import type { ActionState } from "@/lib/action";
import { Field, type FieldProps } from "./Field";
import { FormMessage } from "./FormMessage";
import { SubmitButton } from "./SubmitButton";

interface OneFieldFormProps extends Omit<FieldProps, "defaultValue" | "errors"> {
  /** The server action the form posts to (its answer refills the field after a refusal). */
  action: (state: ActionState, data: FormData) => Promise<ActionState>;
  /** The value saved now, shown until the person types another. */
  current: string;
  submitLabel: string;
  testId?: string;
}

/** A form of one labelled field and a save button (a budget, a club name): the answer shown under it. */
export function OneFieldForm({ action: save, current, submitLabel, testId, ...field }: OneFieldFormProps) {
  const [state, action] = useActionState(save, {});
  return (
    <form action={action} className="flex flex-col gap-3" noValidate data-testid={testId}>
      <div key={state.key}>
        <Field {...field} defaultValue={state.values?.[field.name] ?? current} errors={state.errors?.[field.name]} />
      </div>
      <FormMessage message={state.message} ok={state.ok} />
      <SubmitButton pendingLabel="Saving…" className="self-start">
        {submitLabel}
      </SubmitButton>
    </form>
  );
}
