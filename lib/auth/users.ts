import "server-only";
import { isUsableAccount } from "../db/demo";
import { describeDatabaseError, isTransientDatabaseError } from "../db/errors";
import { getPrisma } from "../db/prisma";
import { getLedger } from "../ledger";
import { isAdultOn } from "./age";
import { getRateLimiter } from "../limits";
import { dummyHash, hashPassword, PasswordBusyError, verifyPassword } from "./password";
import type { TSignIn, TSignUp } from "./schemas";
import { beginAttempt, clearFailures } from "./throttle";

export type Role = "VIEWER" | "CREATOR" | "OPERATOR";

export interface UserProfile {
  id: string;
  email: string;
  displayName: string;
  role: Role;
  birthDate: string;
  isAdult: boolean;
}

export type CreateUserResult = { ok: true; user: UserProfile } | { ok: false; field: "email"; message: string };

function toProfile(user: { id: string; email: string; displayName: string; role: Role; birthDate: Date }, today: Date): UserProfile {
  return {
    id: user.id,
    email: user.email,
    displayName: user.displayName,
    role: user.role,
    birthDate: user.birthDate.toISOString().slice(0, 10),
    isAdult: isAdultOn(user.birthDate, today),
  };
}

/** Creates a user and their coin wallet. A taken email is a field error, not an exception. */
export async function createUser(input: TSignUp & { role?: Role }, today = new Date()): Promise<CreateUserResult> {
  const db = getPrisma();
  const passwordHash = await hashPassword(input.password);
  try {
    const user = await db.user.create({
      data: {
        email: input.email,
        displayName: input.displayName,
        passwordHash,
        birthDate: new Date(`${input.birthDate}T00:00:00Z`),
        role: input.role ?? "VIEWER",
      },
    });
    const ledger = getLedger();
    await ledger.userAccount(user.id, "VIEWER_COINS");
    if (user.role === "CREATOR") await ledger.userAccount(user.id, "CREATOR_DIAMONDS");
    return { ok: true, user: toProfile(user, today) };
  } catch (error) {
    if ((error as { code?: string }).code === "P2002") {
      return { ok: false, field: "email", message: "An account with this email already exists. Sign in instead." };
    }
    throw error;
  }
}

export type VerifyResult =
  | { ok: true; user: UserProfile }
  | { ok: false; reason: "invalid" }
  | { ok: false; reason: "rate_limited"; retryAfterSeconds: number }
  | { ok: false; reason: "busy" };

/** Sign-in attempts for one email waiting on this instance beyond the one being checked; more are refused. */
export const SIGN_IN_QUEUE_PER_EMAIL = 20;

const globalForAttempts = globalThis as unknown as { signInQueues?: Map<string, { tail: Promise<unknown>; waiting: number }> };
const signInQueues = (globalForAttempts.signInQueues ??= new Map());

/**
 * Runs the attempts for one email on this instance one at a time. Each attempt
 * counts as a failure until its password is checked (lib/auth/throttle.ts), so
 * without this, people signing in to one account at once (a shared demo
 * account, two tabs) would see each other's attempts in flight as failures.
 * Across instances the count under the row lock still holds.
 */
async function oneAtATime<T>(key: string, work: () => Promise<T>): Promise<T | null> {
  const queue = signInQueues.get(key) ?? { tail: Promise.resolve(), waiting: 0 };
  if (queue.waiting >= SIGN_IN_QUEUE_PER_EMAIL) return null;
  queue.waiting++;
  signInQueues.set(key, queue);
  const run = queue.tail.then(work);
  queue.tail = run.then(
    () => undefined,
    () => undefined, // the attempt's own caller gets its error; the next attempt still runs
  );
  try {
    return await run;
  } finally {
    if (--queue.waiting === 0) signInQueues.delete(key);
  }
}

/**
 * Checks credentials without revealing whether the email exists. Failures slow
 * the email down (lib/auth/throttle.ts) and count against the client address
 * (RATE_LIMITS.signInAddress, when the caller knows it), both counted before
 * the password is checked so parallel attempts cannot all pass.
 */
export async function verifyCredentials(input: TSignIn, now = new Date(), address?: string): Promise<VerifyResult> {
  try {
    return await checkCredentials(input, now, address);
  } catch (error) {
    // A passing database fault (a restart, a held lock, a full pool): "busy, try again", logged once.
    if (!isTransientDatabaseError(error)) throw error;
    console.warn(`sign-in: the database is busy: ${describeDatabaseError(error)}`);
    return { ok: false, reason: "busy" };
  }
}

async function checkCredentials(input: TSignIn, now: Date, address: string | undefined): Promise<VerifyResult> {
  const db = getPrisma();
  const key = `email:${input.email}`;
  const addressLimit = getRateLimiter("signInAddress");
  if (address !== undefined && !(await addressLimit.take(address, now.getTime()))) {
    return { ok: false, reason: "rate_limited", retryAfterSeconds: 15 * 60 };
  }
  const result = await oneAtATime(key, async (): Promise<VerifyResult> => {
    const attempt = await beginAttempt(getLedger().pool, key, now);
    if (!attempt.allowed) return { ok: false, reason: "rate_limited", retryAfterSeconds: attempt.retryAfterSeconds };
    const user = await db.user.findUnique({ where: { email: input.email }, omit: { passwordHash: false } });
    let valid: boolean;
    try {
      valid = await verifyPassword(user?.passwordHash ?? (await dummyHash()), input.password);
    } catch (error) {
      if (error instanceof PasswordBusyError) return { ok: false, reason: "busy" };
      throw error;
    }
    // A demo account with demo mode off fails like a wrong password (its password is public).
    if (!user || !valid || !isUsableAccount(user.email)) return { ok: false, reason: "invalid" };
    await clearFailures(getLedger().pool, key);
    return { ok: true, user: toProfile(user, now) };
  });
  if (result === null) return { ok: false, reason: "busy" };
  if (result.ok && address !== undefined) await addressLimit.release(address, now.getTime());
  return result;
}

/** The profile of a user who may be signed in (null for an unknown id, or a demo account with demo mode off). */
export async function getUserProfile(id: string, today = new Date()): Promise<UserProfile | null> {
  const user = await getPrisma().user.findUnique({ where: { id } });
  return user && isUsableAccount(user.email) ? toProfile(user, today) : null;
}
