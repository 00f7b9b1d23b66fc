// The badges beside a viewer's name in a LIVE, for names that do not come
// with a live event's own sender (whose badges appendLiveEvents and
// listLiveEvents compute in the same SQL): a treasure box's dropper and
// winners. Read on the caller's connection, inside its transaction where the
// badges go into what it announces. No "server-only": the simulated audience
// (and so the benchmarks) opens boxes through it.
import { z } from "zod";
import type { Queryable } from "../db/queryable";
import { column, queryRows } from "../db/rows";
import { setting } from "../env";
import { fanBadgeSql, fanJoinSql, gifterLevelSql, LEVEL_THRESHOLDS_PARAM } from "./events";
import { FAN_THRESHOLDS_PARAM, ZFanBadge } from "./fan-sql";
import type { FanBadge } from "./room-state";

/** A viewer's gifter level (null before their first gift) and their badge in the stream's creator's fan club (null when not an active member). */
export interface ViewerBadges {
  level: number | null;
  fan: FanBadge | null;
}

export const NO_BADGES: ViewerBadges = { level: null, fan: null };

const ZBadgesRow = z
  .object({ user_id: column.text, level: column.int4, fan: ZFanBadge.nullable() })
  .transform((r) => [r.user_id, { level: r.level > 0 ? r.level : null, fan: r.fan }] as const);

/** The badges of these users in stream `streamId`'s LIVE, by user id (one query; users that do not exist are absent). */
export async function badgesInStream(db: Queryable, streamId: string, userIds: readonly string[]): Promise<Map<string, ViewerBadges>> {
  const ids = [...new Set(userIds)];
  if (!ids.length) return new Map();
  const rows = await queryRows(
    db,
    ZBadgesRow,
    `SELECT x.user_id::text AS user_id, ${gifterLevelSql("gt.coins", "$3")} AS level, ${fanBadgeSql("fm", "fc", "$5")} AS fan
       FROM unnest($2::uuid[]) AS x(user_id) JOIN streams s ON s.id = $1
            LEFT JOIN gifter_totals gt ON gt.user_id = x.user_id
            ${fanJoinSql("x", "s", "$4")}`,
    [streamId, ids, LEVEL_THRESHOLDS_PARAM, setting("FAN_CLUB_LAPSE_DAYS"), FAN_THRESHOLDS_PARAM],
  );
  return new Map(rows);
}
