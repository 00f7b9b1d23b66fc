// Retry delays for the stream page's connections: exponential, capped, with
// jitter so that thousands of viewers cut off at once do not come back at once.
// Pure: the random number is passed in.

export interface Backoff {
  baseMs: number;
  capMs: number;
}

export const LIVE_RECONNECT: Backoff = { baseMs: 1_000, capMs: 15_000 };

/** Delay before retry number `attempt` (0 first): between half and all of min(cap, base·2^attempt). */
export function backoffDelay(attempt: number, random: number, { baseMs, capMs }: Backoff = LIVE_RECONNECT): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.min(Math.max(0, attempt), 30));
  const unit = Math.min(Math.max(random, 0), 1);
  return Math.round(ceiling / 2 + (unit * ceiling) / 2);
}
