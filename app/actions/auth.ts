"use server";

import { randomUUID } from "node:crypto";
import { CredentialsSignin } from "next-auth";
import { z } from "zod";
import { signIn, signOut, TooManyAttempts } from "@/lib/auth/config";
import type { ActionState } from "@/lib/auth/action";
import { signUpSchema, ZSignIn } from "@/lib/auth/schemas";
import { safeReturnPath } from "@/lib/http/return-path";
import { PasswordBusyError } from "@/lib/auth/password";
import { createUser } from "@/lib/auth/users";
import { formatWait } from "@/lib/auth/throttle";
import { formText } from "@/lib/validation/input";

type SignInFields = "email" | "password";
type SignUpFields = "email" | "displayName" | "password" | "birthDate";

function signInFailure(error: CredentialsSignin): string {
  if (error.code === "rate_limited") {
    const wait = error instanceof TooManyAttempts ? formatWait(error.retryAfterSeconds) : "a few minutes";
    return `Too many failed attempts. Wait ${wait}, then try again.`;
  }
  if (error.code === "busy") return "Sign-in is busy right now. Try again in a moment.";
  if (error.code === "server_error") return "Sign-in failed on our side. Try again in a moment.";
  return "That email and password do not match an account.";
}

export async function signInAction(_prev: ActionState<SignInFields>, form: unknown): Promise<ActionState<SignInFields>> {
  const values = { email: formText(form, "email").slice(0, 254) };
  const parsed = ZSignIn.safeParse({ email: formText(form, "email"), password: formText(form, "password") });
  if (!parsed.success) {
    return { ok: false, message: "Check the highlighted fields.", errors: z.flattenError(parsed.error).fieldErrors, values, key: randomUUID() };
  }
  try {
    await signIn("credentials", {
      email: parsed.data.email,
      password: parsed.data.password,
      redirectTo: safeReturnPath(formText(form, "callbackUrl"), "/wallet"),
    });
  } catch (error) {
    if (error instanceof CredentialsSignin) return { ok: false, message: signInFailure(error), values, key: randomUUID() };
    throw error; // the redirect after a successful sign-in
  }
  return { ok: true };
}

export async function signUpAction(_prev: ActionState<SignUpFields>, form: unknown): Promise<ActionState<SignUpFields>> {
  const raw = {
    email: formText(form, "email"),
    displayName: formText(form, "displayName"),
    password: formText(form, "password"),
    birthDate: formText(form, "birthDate"),
  };
  const values = { email: raw.email.slice(0, 254), displayName: raw.displayName.slice(0, 254), birthDate: raw.birthDate.slice(0, 32) };
  const today = new Date().toISOString().slice(0, 10);
  const parsed = signUpSchema(today).safeParse(raw);
  if (!parsed.success) {
    return { ok: false, message: "Check the highlighted fields.", errors: z.flattenError(parsed.error).fieldErrors, values, key: randomUUID() };
  }
  let created: Awaited<ReturnType<typeof createUser>>;
  try {
    created = await createUser(parsed.data);
  } catch (error) {
    if (error instanceof PasswordBusyError) return { ok: false, message: "Sign-up is busy right now. Try again in a moment.", values, key: randomUUID() };
    throw error;
  }
  if (!created.ok) return { ok: false, message: created.message, errors: { [created.field]: [created.message] }, values, key: randomUUID() };
  await signIn("credentials", {
    email: parsed.data.email,
    password: parsed.data.password,
    redirectTo: safeReturnPath(formText(form, "callbackUrl"), "/wallet"),
  });
  return { ok: true };
}

export async function signOutAction(): Promise<void> {
  await signOut({ redirectTo: "/" });
}
