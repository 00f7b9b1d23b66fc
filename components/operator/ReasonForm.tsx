"use client";

import { useActionState, useId } from "react";
import type { ActionState } from "@/lib/action";
import { FormMessage } from "@/components/ui/FormMessage";
import { SubmitButton } from "@/components/ui/SubmitButton";

/**
 * One operator decision that needs a written reason (freeze, unfreeze, dismiss a
 * flag): a labelled field, a submit button and the answer.
 */
export function ReasonForm({
  action,
  field,
  label,
  submit,
  pendingLabel,
  minLength,
  hidden = {},
  testId,
}: {
  action: (prev: ActionState, form: FormData) => Promise<ActionState>;
  field: "reason" | "note";
  label: string;
  submit: string;
  pendingLabel: string;
  minLength: number;
  hidden?: Record<string, string>;
  testId?: string;
}) {
  const [state, formAction] = useActionState(action, {});
  const id = useId();
  const error = state.errors?.[field]?.[0];
  return (
    <form action={formAction} className="flex flex-col gap-2" data-testid={testId}>
      {Object.entries(hidden).map(([k, v]) => (
        <input key={k} type="hidden" name={k} value={v} />
      ))}
      <label htmlFor={id} className="text-sm font-semibold">
        {label}
      </label>
      <textarea
        id={id}
        name={field}
        required
        minLength={minLength}
        maxLength={300}
        rows={2}
        defaultValue={state.values?.[field]}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        className="rounded-lg border border-gray-300 px-3 py-2 text-sm"
      />
      {error ? (
        <p id={`${id}-error`} className="text-sm font-medium text-brand-dark">
          {error}
        </p>
      ) : null}
      <SubmitButton pendingLabel={pendingLabel} className="self-start px-4 py-2 text-sm">
        {submit}
      </SubmitButton>
      <FormMessage message={error ? undefined : state.message} ok={state.ok} />
    </form>
  );
}
