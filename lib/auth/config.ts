import NextAuth, { CredentialsSignin } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { describeDatabaseError } from "../db/errors";
import { clientAddress } from "../http/address";
import { isSameOrigin } from "../http/return-path";
import { ZSignIn } from "./schemas";
import { verifyCredentials, type Role } from "./users";

export class InvalidCredentials extends CredentialsSignin {
  code = "invalid_credentials";
}

export class TooManyAttempts extends CredentialsSignin {
  code = "rate_limited";
  constructor(readonly retryAfterSeconds: number) {
    super();
  }
}

export class SignInBusy extends CredentialsSignin {
  code = "busy";
}

/** Sign-in failed on the server's side (a bug, logged with its cause): the person is told to try again. */
export class SignInFailed extends CredentialsSignin {
  code = "server_error";
}

declare module "next-auth" {
  interface User {
    role?: Role;
  }
  interface Session {
    user: { id: string; name: string; email: string; role: Role };
  }
}

export const { handlers, auth, signIn, signOut } = NextAuth({
  session: { strategy: "jwt", maxAge: 30 * 24 * 60 * 60 },
  trustHost: true,
  pages: { signIn: "/sign-in" },
  logger: {
    // Failed sign-ins are an expected outcome, shown to the user; not server errors.
    error(error) {
      if (error instanceof CredentialsSignin || (error as { type?: string }).type === "CredentialsSignin") return;
      console.error(error);
    },
  },
  providers: [
    Credentials({
      credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
      async authorize(raw, request) {
        const parsed = ZSignIn.safeParse(raw);
        if (!parsed.success) throw new InvalidCredentials();
        let result: Awaited<ReturnType<typeof verifyCredentials>>;
        try {
          result = await verifyCredentials(parsed.data, new Date(), clientAddress(request.headers));
        } catch (error) {
          // A bug (passing database faults come back as "busy"): Auth.js would turn it into a
          // bare error page; the person gets a message instead and the log the cause.
          console.error(
            `sign-in failed on the server: ${error instanceof Error && error.stack ? error.stack.replace(/\n\s*/g, " ") : describeDatabaseError(error)}`,
          );
          throw new SignInFailed();
        }
        if (!result.ok) {
          if (result.reason === "rate_limited") throw new TooManyAttempts(result.retryAfterSeconds);
          if (result.reason === "busy") throw new SignInBusy();
          throw new InvalidCredentials();
        }
        return { id: result.user.id, name: result.user.displayName, email: result.user.email, role: result.user.role };
      },
    }),
  ],
  callbacks: {
    // Where Auth.js sends the browser after signing in or out: this site only,
    // judged by parsing the URL as a browser does (lib/http/return-path.ts).
    redirect({ url, baseUrl }) {
      if (!isSameOrigin(url, baseUrl)) return baseUrl;
      const target = new URL(url, baseUrl);
      return target.pathname.startsWith("//") ? baseUrl : target.href;
    },
    jwt({ token, user }) {
      if (user) {
        token.sub = user.id;
        token.role = user.role;
      }
      return token;
    },
    session({ session, token }) {
      session.user.id = token.sub as string;
      session.user.role = (token.role as Role | undefined) ?? "VIEWER";
      return session;
    },
  },
});
