-- LIVE Match: two live creators battle; every gift to a side during the match
-- scores its coins for that side (decision 019).
--
-- Exactness rests on the per-stream live-event lock (lib/live/events.ts): a
-- gift's live event takes its stream's lock and holds it until the gift
-- commits, so live event ids are in commit order per stream. A match's start
-- and end are live events of both streams, written under the same locks, and
-- the gift's scoring runs after its event in the same transaction. So the
-- gifts that score for side A are exactly the gift events of stream A with an
-- id between the match's start event in A and its cut-off in A; the score the
-- batches add up (score_a) must equal that sum, which reconciliation checks.

-- Creators who accept a random opponent.
ALTER TABLE "users" ADD COLUMN "match_opt_in" BOOLEAN NOT NULL DEFAULT false;

CREATE TABLE "live_matches" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    -- Order of creation: a newer match has a higher number (pages keep the newest).
    "no" BIGSERIAL NOT NULL,
    -- Side A invited side B.
    "stream_a" UUID NOT NULL REFERENCES "streams"("id"),
    "stream_b" UUID NOT NULL REFERENCES "streams"("id"),
    "creator_a" UUID NOT NULL REFERENCES "users"("id"),
    "creator_b" UUID NOT NULL REFERENCES "users"("id"),
    "status" TEXT NOT NULL DEFAULT 'INVITED',
    "random" BOOLEAN NOT NULL DEFAULT false,
    "duration_seconds" INTEGER NOT NULL,
    "invited_at" TIMESTAMPTZ(6) NOT NULL DEFAULT clock_timestamp(),
    "expires_at" TIMESTAMPTZ(6) NOT NULL,
    "started_at" TIMESTAMPTZ(6),
    "ends_at" TIMESTAMPTZ(6),
    "ended_at" TIMESTAMPTZ(6),
    "score_a" BIGINT NOT NULL DEFAULT 0,
    "score_b" BIGINT NOT NULL DEFAULT 0,
    -- Incremented by every scoring batch: clients keep the highest version, so a score never goes backwards.
    "score_version" BIGINT NOT NULL DEFAULT 0,
    -- Incremented by every change of status: clients keep the newest state.
    "rev" INTEGER NOT NULL DEFAULT 0,
    -- Live event ids bounding each side's window (see the head of this file).
    "start_event_a" BIGINT,
    "start_event_b" BIGINT,
    "end_event_a" BIGINT,
    "end_event_b" BIGINT,
    -- Set by the first gift batch of a side that reaches the match after its end instant (database clock)
    -- before the match was ended: the side's window closes before that batch's first event.
    "cutoff_a" BIGINT,
    "cutoff_b" BIGINT,
    "outcome" TEXT,
    "forfeited_by" TEXT,
    -- Top gifters per side at the end, names as viewers may see them: [{ "name", "coins" }].
    "top_a" JSONB,
    "top_b" JSONB,

    CONSTRAINT "live_matches_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "live_matches_no_key" UNIQUE ("no"),
    CONSTRAINT "live_matches_status" CHECK ("status" IN ('INVITED', 'ACTIVE', 'ENDED', 'DECLINED', 'EXPIRED', 'CANCELLED')),
    CONSTRAINT "live_matches_outcome" CHECK ("outcome" IS NULL OR "outcome" IN ('A', 'B', 'TIE')),
    CONSTRAINT "live_matches_forfeit" CHECK ("forfeited_by" IS NULL OR "forfeited_by" IN ('A', 'B')),
    CONSTRAINT "live_matches_two_creators" CHECK ("creator_a" <> "creator_b" AND "stream_a" <> "stream_b"),
    CONSTRAINT "live_matches_scores" CHECK ("score_a" >= 0 AND "score_b" >= 0),
    CONSTRAINT "live_matches_active" CHECK ("status" NOT IN ('ACTIVE', 'ENDED') OR ("started_at" IS NOT NULL AND "ends_at" IS NOT NULL AND "start_event_a" IS NOT NULL AND "start_event_b" IS NOT NULL)),
    CONSTRAINT "live_matches_ended" CHECK ("status" <> 'ENDED' OR ("ended_at" IS NOT NULL AND "outcome" IS NOT NULL AND "end_event_a" IS NOT NULL AND "end_event_b" IS NOT NULL))
);

-- What the scoring looks up for every gift batch: the active match of a stream.
CREATE INDEX "live_matches_active_a_idx" ON "live_matches"("stream_a") WHERE "status" = 'ACTIVE';
CREATE INDEX "live_matches_active_b_idx" ON "live_matches"("stream_b") WHERE "status" = 'ACTIVE';
-- Open matches the timer ends or expires.
CREATE INDEX "live_matches_open_idx" ON "live_matches"("status", "ends_at", "expires_at") WHERE "status" IN ('INVITED', 'ACTIVE');
-- A creator's match history.
CREATE INDEX "live_matches_creator_a_no_idx" ON "live_matches"("creator_a", "no");
CREATE INDEX "live_matches_creator_b_no_idx" ON "live_matches"("creator_b", "no");

-- One open match (invited or active) per creator, enforced here whatever the code does.
CREATE TABLE "live_match_members" (
    "creator_id" UUID NOT NULL REFERENCES "users"("id"),
    "match_id" UUID NOT NULL REFERENCES "live_matches"("id"),
    CONSTRAINT "live_match_members_pkey" PRIMARY KEY ("creator_id")
);
CREATE INDEX "live_match_members_match_id_idx" ON "live_match_members"("match_id");

-- A match event's body is the match as JSON (longer than a chat line).
ALTER TABLE "live_events" DROP CONSTRAINT "live_events_body_length";
ALTER TABLE "live_events" ADD CONSTRAINT "live_events_body_length"
  CHECK ("body" IS NULL OR char_length("body") <= 200 OR ("kind" = 'match' AND char_length("body") <= 4000));

-- Scores one gift batch, in the batch's transaction, after its live events
-- (their stream locks are held). p_streams: the batch's gift streams;
-- p_transfers: its gift transfer ids. For each active match of those streams
-- (row locked, in id order): before the end instant by the database clock,
-- each side's gifts in the batch add their coins and one notification carries
-- the new scores; at or after it, nothing scores and the side's window is cut
-- before the batch (the timer job ends the match). Returns quickly when no
-- stream of the batch is in a match.
CREATE FUNCTION live_match_score(p_streams uuid[], p_transfers bigint[]) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  m record;
  now_ts timestamptz;
  add_a bigint;
  add_b bigint;
  first_a bigint;
  first_b bigint;
  scored record;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM live_matches WHERE status = 'ACTIVE' AND (stream_a = ANY (p_streams) OR stream_b = ANY (p_streams))) THEN
    RETURN;
  END IF;
  FOR m IN
    SELECT id, stream_a, stream_b, ends_at FROM live_matches
     WHERE status = 'ACTIVE' AND (stream_a = ANY (p_streams) OR stream_b = ANY (p_streams))
     ORDER BY id FOR UPDATE
  LOOP
    SELECT COALESCE(SUM(e.coins) FILTER (WHERE e.stream_id = m.stream_a), 0)::bigint,
           COALESCE(SUM(e.coins) FILTER (WHERE e.stream_id = m.stream_b), 0)::bigint,
           MIN(e.id) FILTER (WHERE e.stream_id = m.stream_a),
           MIN(e.id) FILTER (WHERE e.stream_id = m.stream_b)
      INTO add_a, add_b, first_a, first_b
      FROM live_events e
     WHERE e.transfer_id = ANY (p_transfers) AND e.kind = 'gift' AND e.stream_id IN (m.stream_a, m.stream_b);
    IF first_a IS NULL AND first_b IS NULL THEN
      CONTINUE;
    END IF;
    -- Read after the row lock: the clock a gift is judged by is the one at which it holds the match.
    now_ts := clock_timestamp();
    IF now_ts >= m.ends_at THEN
      UPDATE live_matches
         SET cutoff_a = CASE WHEN first_a IS NOT NULL THEN COALESCE(cutoff_a, first_a) ELSE cutoff_a END,
             cutoff_b = CASE WHEN first_b IS NOT NULL THEN COALESCE(cutoff_b, first_b) ELSE cutoff_b END
       WHERE id = m.id;
      CONTINUE;
    END IF;
    UPDATE live_matches
       SET score_a = score_a + add_a, score_b = score_b + add_b, score_version = score_version + 1
     WHERE id = m.id
    RETURNING score_a, score_b, score_version INTO scored;
    PERFORM pg_notify('live_match', json_build_object(
      'match', m.id, 'streams', json_build_array(m.stream_a, m.stream_b),
      'a', scored.score_a::text, 'b', scored.score_b::text, 'v', scored.score_version::text,
      'at', to_char(now_ts AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))::text);
  END LOOP;
END;
$$;
