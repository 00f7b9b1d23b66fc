// The fan club lapse period as configured (FAN_CLUB_LAPSE_DAYS, default 7
// days; lib/economy/fans.ts), and the SQL that says whether a membership is
// active: computed from last_active_at wherever a membership is read, so no
// sweep can miss one.
import { fanLapseDays, FAN_LEVEL_THRESHOLDS } from "../economy/fans";

/** The configured lapse period in days (throws on a bad FAN_CLUB_LAPSE_DAYS). */
export function configuredFanLapseDays(env: Record<string, string | undefined> = process.env): number {
  return fanLapseDays(env.FAN_CLUB_LAPSE_DAYS);
}

/** Whether membership row `m` is active at `at` (SQL timestamptz) with the lapse period in days as parameter `days`. */
export function activeFanSql(m: string, days: string, at = "now()"): string {
  return `(${m}.last_active_at > ${at} - make_interval(days => ${days}::int))`;
}

/** A member's fan points (SQL). */
export function fanPointsSql(m: string): string {
  return `(${m}.watch_points + ${m}.chat_points + ${m}.gift_points)`;
}

/** A member's fan level (SQL) with the thresholds as the bigint[] parameter `param`, as fanLevel() computes it. */
export function fanLevelSql(m: string, param: string): string {
  return `width_bucket(${fanPointsSql(m)}, ${param}::bigint[])`;
}

/** The thresholds as fanLevelSql() takes them. */
export const FAN_THRESHOLDS_PARAM: readonly string[] = FAN_LEVEL_THRESHOLDS.map(String);
