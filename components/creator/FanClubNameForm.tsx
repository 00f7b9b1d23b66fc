"use client";

import { nameFanClubAction } from "@/app/actions/fans";
import { OneFieldForm } from "@/components/ui/OneFieldForm";

/** The creator's form to name (or rename) their fan club. */
export function FanClubNameForm({ current }: { current: string }) {
  return (
    <OneFieldForm
      action={nameFanClubAction}
      current={current}
      submitLabel="Save name"
      testId="fan-club-name-form"
      label="Fan club name"
      name="name"
      autoComplete="off"
      maxLength={16}
      hint="2–8 letters or digits, shown in your members' badges beside their names in your LIVEs."
    />
  );
}
