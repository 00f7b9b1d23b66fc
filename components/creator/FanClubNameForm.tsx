"use client";

import { useActionState } from "react";
import { nameFanClubAction } from "@/app/actions/fans";
import { Field } from "@/components/ui/Field";
import { FormMessage } from "@/components/ui/FormMessage";
import { SubmitButton } from "@/components/ui/SubmitButton";

/** The creator's form to name (or rename) their fan club. */
export function FanClubNameForm({ current }: { current: string }) {
  const [state, action] = useActionState(nameFanClubAction, {});
  return (
    <form action={action} className="flex flex-col gap-3" noValidate data-testid="fan-club-name-form">
      <div key={state.key}>
        <Field
          label="Fan club name"
          name="name"
          autoComplete="off"
          maxLength={16}
          hint="2–8 letters or digits, shown in your members' badges beside their names in your LIVEs."
          defaultValue={state.values?.name ?? current}
          errors={state.errors?.name}
        />
      </div>
      <FormMessage message={state.message} ok={state.ok} />
      <SubmitButton pendingLabel="Saving…" className="self-start">
        Save name
      </SubmitButton>
    </form>
  );
}
