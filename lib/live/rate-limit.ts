// A per-key sliding-window rate limiter for this process (gifts, chat): at most
// `perSecond` accepted calls per key in any `windowMs`. Memory stays bounded:
// each key keeps at most `perSecond` timestamps, and keys idle for a whole
// window are swept out (at most once per window, on a check), so the map only
// holds keys that were active in the last two windows.

export interface RateLimiterOptions {
  /** Calls accepted per key per window. */
  perSecond: number;
  /** The window, 1000 ms by default. */
  windowMs?: number;
}

export interface RateLimiter {
  /** Records a call for `key` at `now` and returns true, or returns false (nothing recorded) when over the limit. */
  check(key: string, now?: number): boolean;
  /** Keys currently held (for tests and diagnostics). */
  size(): number;
}

export function createRateLimiter({ perSecond, windowMs = 1_000 }: RateLimiterOptions): RateLimiter {
  if (!Number.isInteger(perSecond) || perSecond < 1) throw new RangeError(`perSecond must be a positive integer, got ${perSecond}.`);
  if (!(windowMs > 0)) throw new RangeError(`windowMs must be positive, got ${windowMs}.`);
  /** Accepted calls per key, oldest first. */
  const calls = new Map<string, number[]>();
  let lastSweep = -Infinity;

  const sweep = (now: number) => {
    lastSweep = now;
    for (const [key, times] of calls) if (now - times[times.length - 1]! >= windowMs) calls.delete(key);
  };

  return {
    check(key, now = Date.now()) {
      if (now - lastSweep >= windowMs) sweep(now);
      const times = calls.get(key) ?? [];
      let start = 0;
      while (start < times.length && now - times[start]! >= windowMs) start++;
      if (start) times.splice(0, start);
      if (times.length >= perSecond) return false;
      times.push(now);
      if (times.length === 1) calls.set(key, times);
      return true;
    },
    size: () => calls.size,
  };
}
