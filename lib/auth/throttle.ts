// Sign-in failures per email slow further attempts down: the first
// FREE_FAILURES cost nothing, then each failure makes the next attempt wait
// twice as long as the one before (FIRST_DELAY_SECONDS, up to
// MAX_DELAY_SECONDS). Failures older than WINDOW_MINUTES are forgotten, and a
// right password clears them. The same rule applies whether or not the email
// has an account, so the delay reveals nothing.
//
// Each attempt is counted as a failure before the password is checked, under
// the row's lock, so parallel attempts cannot all slip under the limit; a
// right password then clears the count.
import type { PrismaClient } from "../db/generated/prisma/client";

export const FREE_FAILURES = 5;
export const FIRST_DELAY_SECONDS = 30;
export const MAX_DELAY_SECONDS = 15 * 60;
export const WINDOW_MINUTES = 60;

/** Seconds the next attempt must wait after `failures` failures (pure). */
export function delayAfterFailures(failures: number): number {
  if (failures < FREE_FAILURES) return 0;
  return Math.min(MAX_DELAY_SECONDS, FIRST_DELAY_SECONDS * 2 ** (failures - FREE_FAILURES));
}

export type AttemptResult = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/** Counts an attempt for `key` as a failure, unless it must wait; then says when it may be made. */
export async function beginAttempt(db: PrismaClient, key: string, now: Date): Promise<AttemptResult> {
  return db.$transaction(async (tx) => {
    await tx.$executeRaw`
      INSERT INTO auth_throttle (key, failures, window_start, next_attempt_at) VALUES (${key}, 0, ${now}, ${now})
      ON CONFLICT (key) DO NOTHING`;
    const [row] = await tx.$queryRaw<Array<{ failures: number; window_start: Date; next_attempt_at: Date }>>`
      SELECT failures, window_start, next_attempt_at FROM auth_throttle WHERE key = ${key} FOR UPDATE`;
    if (!row) throw new Error(`auth_throttle: the row for ${key} vanished under its lock`);
    if (row.next_attempt_at.getTime() > now.getTime()) {
      return { allowed: false as const, retryAfterSeconds: Math.ceil((row.next_attempt_at.getTime() - now.getTime()) / 1000) };
    }
    const fresh = row.window_start.getTime() < now.getTime() - WINDOW_MINUTES * 60_000;
    const failures = (fresh ? 0 : row.failures) + 1;
    const nextAttemptAt = new Date(now.getTime() + delayAfterFailures(failures) * 1000);
    await tx.$executeRaw`
      UPDATE auth_throttle SET failures = ${failures}, window_start = ${fresh ? now : row.window_start}, next_attempt_at = ${nextAttemptAt}
      WHERE key = ${key}`;
    return { allowed: true as const };
  });
}

/** The password was right: the attempt (and every earlier failure) is forgotten. */
export async function clearFailures(db: PrismaClient, key: string): Promise<void> {
  await db.authThrottle.deleteMany({ where: { key } });
}

/** "30 seconds", "2 minutes": how long to wait, for people. */
export function formatWait(seconds: number): string {
  if (seconds < 90) return `${seconds} second${seconds === 1 ? "" : "s"}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minute${minutes === 1 ? "" : "s"}`;
}
