// The SQL that says whether a fan club membership is active, with the lapse
// period as a parameter (the FAN_CLUB_LAPSE_DAYS setting, lib/env.ts): computed
// from last_active_at wherever a membership is read, so no sweep can miss one.
import { z } from "zod";
import { FAN_LEVEL_THRESHOLDS } from "../economy/fans";
import { column } from "../db/rows";

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

/** A member's badge as the SQL above builds it (json_build_object of the club's name and the fan level), parsed from a row. */
export const ZFanBadge = z.object({ club: column.text, level: column.int4 });
