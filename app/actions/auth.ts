"use server";

import { z } from "zod";
import { action, type ActionState } from "@/lib/action";
import { signIn, signOut } from "@/lib/auth/config";
import { signUpSchema, ZSignIn } from "@/lib/auth/schemas";
import { register, signInWithPassword } from "@/lib/auth/sign-in";
import { safeReturnPath } from "@/lib/http/return-path";
import { formText } from "@/lib/validation/input";

/** Where the person goes once signed in: back where they came from (on this site), or their wallet. */
const ZAfterSignIn = z.string().transform((callbackUrl) => safeReturnPath(callbackUrl, "/wallet"));
const today = () => new Date().toISOString().slice(0, 10);

export const signInAction = action({
  roles: "anyone",
  input: (_prev: ActionState, form: unknown) => ({
    email: formText(form, "email"),
    password: formText(form, "password"),
    redirectTo: formText(form, "callbackUrl"),
  }),
  args: { redirectTo: ZAfterSignIn },
  form: ZSignIn,
  invalid: "Check the highlighted fields.",
  refill: ["email"],
  key: true,
  run: (_, { email, password, redirectTo }) => signInWithPassword({ email, password }, redirectTo),
});

export const signUpAction = action({
  roles: "anyone",
  input: (_prev: ActionState, form: unknown) => ({
    email: formText(form, "email"),
    displayName: formText(form, "displayName"),
    password: formText(form, "password"),
    birthDate: formText(form, "birthDate"),
    redirectTo: formText(form, "callbackUrl"),
  }),
  args: { redirectTo: ZAfterSignIn },
  form: signUpSchema(today),
  invalid: "Check the highlighted fields.",
  refill: ["email", "displayName", "birthDate"],
  key: true,
  run: (_, { email, displayName, password, birthDate }) => register({ email, displayName, password, birthDate }),
  done: async (_, { email, password, redirectTo }) => {
    await signIn("credentials", { email, password, redirectTo });
    return {};
  },
});

export async function signOutAction(): Promise<void> {
  await signOut({ redirectTo: "/" });
}
