// Sign-in and sign-up as the forms ask for them: Auth.js's refusals and
// sign-up's own become AppErrors with the words the person reads; a success
// ends in Auth.js's redirect (thrown, as Next's redirect is).
import "server-only";
import { CredentialsSignin } from "next-auth";
import { AppError } from "../errors";
import { signIn, TooManyAttempts } from "./config";
import { PasswordBusyError } from "./password";
import type { TSignIn, TSignUp } from "./schemas";
import { formatWait } from "./throttle";
import { createUser, type UserProfile } from "./users";

function signInFailure(error: CredentialsSignin): string {
  if (error.code === "rate_limited") {
    const wait = error instanceof TooManyAttempts ? formatWait(error.retryAfterSeconds) : "a few minutes";
    return `Too many failed attempts. Wait ${wait}, then try again.`;
  }
  if (error.code === "busy") return "Sign-in is busy right now. Try again in a moment.";
  if (error.code === "server_error") return "Sign-in failed on our side. Try again in a moment.";
  return "That email and password do not match an account.";
}

/** Signs in with a password, then Auth.js redirects to `redirectTo`; refused (AppError) with why, in words. */
export async function signInWithPassword(credentials: TSignIn, redirectTo: string): Promise<void> {
  try {
    await signIn("credentials", { ...credentials, redirectTo });
  } catch (error) {
    if (error instanceof CredentialsSignin) throw new AppError(error.code.toUpperCase(), signInFailure(error), {}, { cause: error });
    throw error; // the redirect after a successful sign-in
  }
}

/** Opens a viewer's account; refused (AppError) when sign-up is busy, or at the field at fault (an email already taken). */
export async function register(input: TSignUp): Promise<UserProfile> {
  let created: Awaited<ReturnType<typeof createUser>>;
  try {
    created = await createUser(input);
  } catch (error) {
    if (error instanceof PasswordBusyError) throw new AppError("BUSY", "Sign-up is busy right now. Try again in a moment.", {}, { cause: error });
    throw error;
  }
  if (!created.ok) throw new AppError("EMAIL_TAKEN", created.message, { [created.field]: created.message });
  return created.user;
}
