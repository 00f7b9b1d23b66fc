// What the server-action tests (fuzz-actions, authorization) put in place of
// Next and Auth.js, so an action can be called as Next calls it with a session
// the test chooses. Each test file registers them with one line per module
// (vi.mock is hoisted per file; its factory imports this module lazily):
//   vi.mock("next/navigation", async () => (await import("./action-mocks")).navigation());
import type { UserProfile } from "../../lib/auth/users";

/** The signed-in user the mocked lib/auth/session reports (null: anonymous). */
export const session = { user: null as UserProfile | null };

export async function authSession(importOriginal: <T>() => Promise<T>) {
  return {
    ...(await importOriginal<typeof import("../../lib/auth/session")>()),
    getCurrentUser: async () => session.user,
    forgetProfile: () => undefined,
  };
}

/** redirect() and notFound() throw what the tests look for, as Next's throw its own signals. */
export function navigation() {
  return {
    redirect: (url: string) => {
      throw new Error(`REDIRECT:${url}`);
    },
    notFound: () => {
      throw new Error("NOT_FOUND");
    },
  };
}

export function cache() {
  return { revalidatePath: () => undefined, revalidateTag: () => undefined };
}

/** next-auth does not load outside Next; its error class is all the actions use of it. */
export function nextAuth() {
  return {
    CredentialsSignin: class CredentialsSignin extends Error {
      code = "credentials";
    },
  };
}

/** lib/auth/config: what Auth.js does with the credentials provider (authorize), then its redirect. */
export async function authConfig() {
  const { CredentialsSignin } = await import("next-auth");
  const { ZSignIn } = await import("../../lib/auth/schemas");
  const { verifyCredentials } = await import("../../lib/auth/users");
  return {
    signIn: async (_provider: string, options: { email: unknown; password: unknown; redirectTo: string }) => {
      const parsed = ZSignIn.safeParse(options);
      if (!parsed.success) throw new CredentialsSignin();
      const result = await verifyCredentials(parsed.data);
      if (!result.ok) throw Object.assign(new CredentialsSignin(), { code: result.reason === "rate_limited" ? "rate_limited" : "invalid_credentials" });
      throw new Error(`REDIRECT:${options.redirectTo}`);
    },
    signOut: async () => {
      throw new Error("REDIRECT:/");
    },
    TooManyAttempts: class TooManyAttempts extends CredentialsSignin {
      code = "rate_limited";
      constructor(readonly retryAfterSeconds = 60) {
        super();
      }
    },
    auth: async () => null,
  };
}
