// Pure helpers shared by the server and the stream page (no I/O, no clock:
// "now" is always passed in).

/** What leaderboards call a viewer who opted out of rankings. */
export const ANONYMOUS_NAME = "Anonymous supporter";

/**
 * Start of the ranking week that contains `now`: Monday 00:00 UTC (ISO weeks).
 * Weekly leaderboards count gifts from then on, so they reset every Monday.
 */
export function startOfWeekUtc(now: Date): Date {
  const day = now.getUTCDay(); // 0 = Sunday
  const sinceMonday = (day + 6) % 7;
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - sinceMonday));
}
