// Repeated sign-in failures for one email are slowed down: after MAX_FAILURES
// within WINDOW_MINUTES the email is refused until the window passes. The same
// rule applies whether or not the email has an account.
import type { PrismaClient } from "../db/generated/prisma/client";

export const MAX_FAILURES = 5;
export const WINDOW_MINUTES = 15;

export async function isThrottled(db: PrismaClient, key: string, now: Date): Promise<{ limited: boolean; retryAfterMinutes: number }> {
  const row = await db.authThrottle.findUnique({ where: { key } });
  if (!row) return { limited: false, retryAfterMinutes: 0 };
  const ends = row.windowStart.getTime() + WINDOW_MINUTES * 60_000;
  if (now.getTime() >= ends || row.failures < MAX_FAILURES) return { limited: false, retryAfterMinutes: 0 };
  return { limited: true, retryAfterMinutes: Math.max(1, Math.ceil((ends - now.getTime()) / 60_000)) };
}

export async function recordFailure(db: PrismaClient, key: string, now: Date): Promise<void> {
  const windowStart = new Date(now.getTime() - WINDOW_MINUTES * 60_000);
  await db.$executeRaw`
    INSERT INTO auth_throttle (key, failures, window_start) VALUES (${key}, 1, ${now})
    ON CONFLICT (key) DO UPDATE SET
      failures = CASE WHEN auth_throttle.window_start < ${windowStart} THEN 1 ELSE auth_throttle.failures + 1 END,
      window_start = CASE WHEN auth_throttle.window_start < ${windowStart} THEN ${now} ELSE auth_throttle.window_start END`;
}

export async function clearFailures(db: PrismaClient, key: string): Promise<void> {
  await db.authThrottle.deleteMany({ where: { key } });
}
