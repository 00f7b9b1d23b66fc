// Who is watching a stream: signed-in viewers with an events connection open
// on some app instance (and the simulated audience's bots), as each
// instance's live bus heartbeat reports them in live_watchers. A row of an
// instance that stopped reporting counts for PRESENCE_TTL_HEARTBEATS
// heartbeats at most.
import { z } from "zod";
import type { Queryable } from "../db/queryable";
import { column, queryOne, queryRows } from "../db/rows";
import { getLiveBus, PRESENCE_HEARTBEAT_MS, PRESENCE_TTL_HEARTBEATS } from "./bus";

const TTL_SECONDS = (PRESENCE_HEARTBEAT_MS * PRESENCE_TTL_HEARTBEATS) / 1000;

const ZPresent = z.object({ present: column.bool }).transform((r) => r.present);
const ZWatcher = z.object({ stream_id: column.text, user_id: column.text }).transform((r) => ({ streamId: r.stream_id, userId: r.user_id }));

/** Whether the user is watching the stream now, on this instance or any other. */
export async function isViewerPresent(db: Queryable, streamId: string, userId: string): Promise<boolean> {
  if (getLiveBus().watchingHere(streamId, userId)) return true;
  return queryOne(
    db,
    ZPresent,
    `SELECT EXISTS (SELECT 1 FROM live_watchers WHERE stream_id = $1 AND user_id = $2 AND seen_at > now() - make_interval(secs => $3::float8)) AS present`,
    [streamId, userId, TTL_SECONDS],
  );
}

/** The users watching each of the given streams now (all streams when none are given). */
export async function watchersOf(db: Queryable, streamIds?: readonly string[]): Promise<Array<{ streamId: string; userId: string }>> {
  return queryRows(
    db,
    ZWatcher,
    `SELECT DISTINCT stream_id::text AS stream_id, user_id::text AS user_id FROM live_watchers
      WHERE seen_at > now() - make_interval(secs => $1::float8) AND ($2::uuid[] IS NULL OR stream_id = ANY($2::uuid[]))`,
    [TTL_SECONDS, streamIds ? [...streamIds] : null],
  );
}
