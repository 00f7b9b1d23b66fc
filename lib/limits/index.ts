// The app's rate limits, one shared limiter per process for each (Next.js loads
// server modules in more than one bundle), all counted in PostgreSQL so that N
// app instances allow what one does. lib/limits/rate-limit.ts has the protocol.
import { getPool } from "../db/pool";
import { setting, SETTING_DEFAULTS } from "../env";
import { createSharedRateLimiter, pgHitStore, type SharedRateLimiter } from "./rate-limit";

export const RATE_LIMITS = {
  /** Gift taps per viewer per second (check(): no round trip on the gift path). */
  gifts: { limit: 20, windowMs: 1_000 },
  /** Chat messages per viewer per second. */
  chat: { limit: 2, windowMs: 1_000 },
  /** Checkouts opened per viewer per minute. */
  recharge: { limit: 10, windowMs: 60_000 },
  /**
   * Failed sign-ins per client address per 15 minutes (take(): counted before
   * the password is checked, given back when it was right), whatever the email.
   * SIGN_IN_FAILURES_PER_ADDRESS overrides it (the test harness, where every
   * client is 127.0.0.1).
   */
  signInAddress: { limit: SETTING_DEFAULTS.SIGN_IN_FAILURES_PER_ADDRESS, windowMs: 15 * 60_000 },
} as const;

export type RateLimitName = keyof typeof RATE_LIMITS;

const globalForLimits = globalThis as unknown as { rateLimiters?: Map<RateLimitName, SharedRateLimiter> };

function limitFor(name: RateLimitName): number {
  return name === "signInAddress" ? setting("SIGN_IN_FAILURES_PER_ADDRESS") : RATE_LIMITS[name].limit;
}

/** The process's limiter for `name`, on the app's pool. */
export function getRateLimiter(name: RateLimitName): SharedRateLimiter {
  const limiters = (globalForLimits.rateLimiters ??= new Map());
  let limiter = limiters.get(name);
  if (!limiter) {
    limiter = createSharedRateLimiter(pgHitStore(getPool()), { name, limit: limitFor(name), windowMs: RATE_LIMITS[name].windowMs });
    limiters.set(name, limiter);
  }
  return limiter;
}

/** Shares the pending counts and stops every limiter of the process (before its pool is closed). */
export async function stopRateLimiters(): Promise<void> {
  const limiters = globalForLimits.rateLimiters;
  delete globalForLimits.rateLimiters;
  for (const limiter of limiters?.values() ?? []) await limiter.stop();
}
