import { hash, verify } from "@node-rs/argon2";
import { AppError } from "../errors";

// argon2id (the library's default algorithm) with OWASP's suggested minimums.
const OPTIONS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/**
 * argon2 work is bounded under a flood of sign-ins: at most
 * PASSWORD_CHECKS_AT_ONCE hashes run together (each takes ~19 MiB and tens of
 * milliseconds of a core), at most PASSWORD_CHECKS_QUEUED wait, and beyond that
 * a check is refused at once with PasswordBusyError (the sign-in form says
 * "busy, try again").
 */
export const PASSWORD_CHECKS_AT_ONCE = 2;
export const PASSWORD_CHECKS_QUEUED = 256;

export class PasswordBusyError extends AppError<"BUSY"> {
  static override readonly brand = "PasswordBusyError";

  constructor() {
    super("BUSY", "Too many password checks are waiting.");
  }
}

/** A counting semaphore with a bounded queue, shared by every bundle of the process. */
function createGate(atOnce: number, queued: number) {
  let running = 0;
  const waiting: Array<() => void> = [];
  return {
    async run<T>(work: () => Promise<T>): Promise<T> {
      if (running >= atOnce) {
        if (waiting.length >= queued) throw new PasswordBusyError();
        await new Promise<void>((resolve) => waiting.push(resolve));
      } else {
        running++;
      }
      try {
        return await work();
      } finally {
        const next = waiting.shift();
        if (next)
          next(); // the slot passes straight to the next in line
        else running--;
      }
    },
  };
}

const globalForPasswords = globalThis as unknown as { passwordGate?: ReturnType<typeof createGate> };
const gate = (globalForPasswords.passwordGate ??= createGate(PASSWORD_CHECKS_AT_ONCE, PASSWORD_CHECKS_QUEUED));

export function hashPassword(password: string): Promise<string> {
  return gate.run(() => hash(password, OPTIONS));
}

export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  return gate.run(async () => {
    try {
      return await verify(stored, password);
    } catch (error) {
      // A stored hash argon2 cannot read: nobody can sign in with it, and it needs looking at.
      console.error(`password: a stored hash could not be checked: ${error instanceof Error ? error.message : String(error)}`);
      return false;
    }
  });
}

/** A hash to verify against when the email is unknown, so timing does not reveal it (made once, outside the gate). */
let dummy: Promise<string> | null = null;
export function dummyHash(): Promise<string> {
  dummy ??= hash("no-such-user-password-0", OPTIONS);
  return dummy;
}
