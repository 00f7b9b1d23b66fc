// Reconciliation of LIVE Match scores against the ledger's gifts (npm run
// reconcile, the match tests). No "server-only": scripts run it as well.
import { z } from "zod";
import type { Queryable } from "../db/queryable";
import { column, queryRows } from "../db/rows";
import type { MatchSide } from "../economy/match";

/** A side of a match with its stored score and the coins of its gifts. */
const ZSideScore = z
  .object({ id: column.text, side: z.enum(["A", "B"]), stored: column.int8, gifts: column.int8 })
  .transform((r): { matchId: string; side: MatchSide; stored: bigint; gifts: bigint } => ({ matchId: r.id, side: r.side, stored: r.stored, gifts: r.gifts }));

/**
 * Reconciliation of matches: every side's stored score equals the coins of
 * the gift events of its stream inside its window (after the start event,
 * before the cut-off or the end event; for a running match, everything after
 * the start so far), in one snapshot. Returns the sides that differ.
 */
export async function checkMatchScores(db: Queryable): Promise<Array<{ matchId: string; side: MatchSide; stored: bigint; gifts: bigint }>> {
  const sides = await queryRows(
    db,
    ZSideScore,
    `WITH sides AS (
       SELECT id, 'A'::text AS side, stream_a AS stream_id, score_a AS stored, start_event_a AS start_event, COALESCE(cutoff_a, end_event_a) AS stop_event
         FROM live_matches WHERE status IN ('ACTIVE', 'ENDED')
       UNION ALL
       SELECT id, 'B', stream_b, score_b, start_event_b, COALESCE(cutoff_b, end_event_b)
         FROM live_matches WHERE status IN ('ACTIVE', 'ENDED'))
     SELECT s.id, s.side, s.stored,
            (SELECT COALESCE(SUM(e.coins), 0)::bigint FROM live_events e
              WHERE e.stream_id = s.stream_id AND e.kind = 'gift' AND e.id > s.start_event AND (s.stop_event IS NULL OR e.id < s.stop_event)) AS gifts
       FROM sides s`,
  );
  return sides.filter((s) => s.stored !== s.gifts);
}
