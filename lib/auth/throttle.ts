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
import type pg from "pg";
import { inTransaction } from "../db/transaction";
import { z } from "zod";
import { column, queryRow } from "../db/rows";

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

const ZThrottleRow = z.object({ failures: column.int4, window_start: column.time, next_attempt_at: column.time });

/**
 * Counts an attempt for `key` as a failure, unless it must wait; then says when
 * it may be made. One short transaction on the pool (the row locked from the
 * insert to the update), so a busy server cannot time it out half-way.
 */
export async function beginAttempt(pool: pg.Pool, key: string, now: Date): Promise<AttemptResult> {
  return inTransaction(pool, async (client) => {
    const row = await queryRow(
      client,
      ZThrottleRow,
      `INSERT INTO auth_throttle AS t (key, failures, window_start, next_attempt_at) VALUES ($1, 0, $2, $2)
       ON CONFLICT (key) DO UPDATE SET key = t.key
       RETURNING failures, window_start, next_attempt_at`,
      [key, now],
    );
    if (!row) throw new Error(`auth_throttle: no row for ${key} after its upsert`);
    if (row.next_attempt_at.getTime() > now.getTime()) {
      return { allowed: false as const, retryAfterSeconds: Math.ceil((row.next_attempt_at.getTime() - now.getTime()) / 1000) };
    }
    const fresh = row.window_start.getTime() < now.getTime() - WINDOW_MINUTES * 60_000;
    const failures = (fresh ? 0 : row.failures) + 1;
    const nextAttemptAt = new Date(now.getTime() + delayAfterFailures(failures) * 1000);
    await client.query("UPDATE auth_throttle SET failures = $2, window_start = $3, next_attempt_at = $4 WHERE key = $1", [
      key,
      failures,
      fresh ? now : row.window_start,
      nextAttemptAt,
    ]);
    return { allowed: true as const };
  });
}

/** The password was right: the attempt (and every earlier failure) is forgotten. */
export async function clearFailures(pool: pg.Pool, key: string): Promise<void> {
  await pool.query("DELETE FROM auth_throttle WHERE key = $1", [key]);
}

/** "30 seconds", "2 minutes": how long to wait, for people. */
export function formatWait(seconds: number): string {
  if (seconds < 90) return `${seconds} second${seconds === 1 ? "" : "s"}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minute${minutes === 1 ? "" : "s"}`;
}
