"use client";

import Link from "next/link";
import { useActionState } from "react";
import { signUpAction } from "@/app/actions/auth";
import { Field } from "@/components/ui/Field";
import { FormMessage } from "@/components/ui/FormMessage";
import { SubmitButton } from "@/components/ui/SubmitButton";
import { EMAIL_MAX, NAME_MAX, PASSWORD_MAX, PASSWORD_MIN } from "@/lib/auth/field-limits";

export function SignUpForm({ callbackUrl }: { callbackUrl: string }) {
  const [state, action] = useActionState(signUpAction, {});
  return (
    <form action={action} className="flex flex-col gap-4" noValidate>
      <input type="hidden" name="callbackUrl" value={callbackUrl} />
      <div key={state.key} className="flex flex-col gap-4">
        <Field
          label="Email"
          name="email"
          type="email"
          autoComplete="email"
          maxLength={EMAIL_MAX}
          required
          defaultValue={state.values?.email}
          errors={state.errors?.email}
        />
        <Field
          label="Display name"
          name="displayName"
          autoComplete="nickname"
          maxLength={NAME_MAX}
          required
          hint="Shown to creators and on leaderboards."
          defaultValue={state.values?.displayName}
          errors={state.errors?.displayName}
        />
        <Field
          label="Password"
          name="password"
          type="password"
          autoComplete="new-password"
          maxLength={PASSWORD_MAX}
          required
          hint={`At least ${PASSWORD_MIN} characters, with a letter and a digit.`}
          errors={state.errors?.password}
        />
        <Field
          label="Date of birth"
          name="birthDate"
          type="date"
          autoComplete="bday"
          required
          hint="You must be 18 or older to buy or send coins."
          defaultValue={state.values?.birthDate}
          errors={state.errors?.birthDate}
        />
      </div>
      <FormMessage message={state.message} ok={state.ok} />
      <SubmitButton pendingLabel="Creating your account…">Create account</SubmitButton>
      <p className="text-center text-sm text-muted">
        Already have an account?{" "}
        <Link className="font-semibold text-brand-dark underline" href={`/sign-in?callbackUrl=${encodeURIComponent(callbackUrl)}`}>
          Sign in
        </Link>
      </p>
    </form>
  );
}
