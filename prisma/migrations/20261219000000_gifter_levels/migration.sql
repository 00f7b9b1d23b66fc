-- Gifter levels and who is watching (issue 15).
--
-- gifter_totals: the coins each user has ever spent on gifts, an aggregate of
-- the ledger's GIFT postings kept like the earnings aggregates: folded with
-- them from earnings_pending (decision 008), never written anywhere else, and
-- checked against the ledger by `npm run reconcile`. The level is computed
-- from it with the thresholds in lib/economy/levels.ts.
CREATE TABLE "gifter_totals" (
    "user_id" UUID NOT NULL REFERENCES "users"("id"),
    "gifts" BIGINT NOT NULL DEFAULT 0,
    "coins" BIGINT NOT NULL DEFAULT 0,
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT now(),
    CONSTRAINT "gifter_totals_pkey" PRIMARY KEY ("user_id")
);

-- What the aggregates already hold (the gifts still pending are added when they are folded).
INSERT INTO "gifter_totals" ("user_id", "gifts", "coins")
SELECT a.user_id, sum(t.gifts), sum(t.coins)
  FROM earnings_supporter_totals t JOIN ledger_accounts a ON a.id = t.supporter_account_id
 WHERE a.user_id IS NOT NULL
 GROUP BY a.user_id;

-- Signed-in people watching a stream, per app instance: written by each
-- instance's live bus heartbeat (lib/live/bus.ts) like live_presence, which
-- only counts. Rows of an instance that stopped reporting expire.
CREATE TABLE "live_watchers" (
    "stream_id" UUID NOT NULL REFERENCES "streams"("id") ON DELETE CASCADE,
    "user_id" UUID NOT NULL REFERENCES "users"("id"),
    "instance_id" TEXT NOT NULL,
    "since" TIMESTAMPTZ(6) NOT NULL DEFAULT now(),
    "seen_at" TIMESTAMPTZ(6) NOT NULL DEFAULT now(),
    CONSTRAINT "live_watchers_pkey" PRIMARY KEY ("stream_id", "user_id", "instance_id")
);
CREATE INDEX "live_watchers_instance_id_idx" ON "live_watchers"("instance_id");
CREATE INDEX "live_watchers_user_id_idx" ON "live_watchers"("user_id");

-- A user's level-up notices, newest first (the wallet shows the last one).
CREATE INDEX "live_events_level_user_idx" ON "live_events"("user_id", "id") WHERE "kind" = 'level';

-- The fold, now also adding to gifter_totals and returning what it folded
-- grouped by supporter, creator, stream and gift, so the app can act on it in
-- the same transaction (a level-up notice, fan points): see foldEarnings() in
-- lib/earnings/queries.ts. Same lock, same single pass over the pending rows.
CREATE FUNCTION earnings_fold_groups()
RETURNS TABLE (supporter_id UUID, creator_id UUID, stream_id UUID, gift_id TEXT, gifts BIGINT, coins BIGINT)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
    ids BIGINT[];
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('earnings_fold'));
    WITH moved AS (DELETE FROM earnings_pending RETURNING transfer_ids)
    SELECT array_agg(id) INTO ids FROM moved, unnest(moved.transfer_ids) AS id;
    IF ids IS NULL THEN
        RETURN;
    END IF;
    RETURN QUERY
    WITH g AS MATERIALIZED (SELECT * FROM earnings_gift_sums(ids)),
    h AS (
      INSERT INTO earnings_hourly AS e (account_id, hour, stream_id, gift_id, gifts, coins, diamonds)
      SELECT account_id, hour, stream_id, gift_id, count(*), sum(coins), sum(diamonds)
        FROM g GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
      ON CONFLICT (account_id, hour, stream_id, gift_id) DO UPDATE
         SET gifts = e.gifts + excluded.gifts, coins = e.coins + excluded.coins, diamonds = e.diamonds + excluded.diamonds),
    s AS (
      INSERT INTO earnings_supporters AS e (account_id, stream_id, supporter_account_id, gifts, coins, diamonds)
      SELECT account_id, stream_id, supporter_account_id, count(*), sum(coins), sum(diamonds)
        FROM g WHERE supporter_account_id IS NOT NULL GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
      ON CONFLICT (account_id, stream_id, supporter_account_id) DO UPDATE
         SET gifts = e.gifts + excluded.gifts, coins = e.coins + excluded.coins, diamonds = e.diamonds + excluded.diamonds),
    x AS (
      INSERT INTO earnings_supporter_totals AS e (account_id, supporter_account_id, gifts, coins, diamonds)
      SELECT account_id, supporter_account_id, count(*), sum(coins), sum(diamonds)
        FROM g WHERE supporter_account_id IS NOT NULL GROUP BY 1, 2 ORDER BY 1, 2
      ON CONFLICT (account_id, supporter_account_id) DO UPDATE
         SET gifts = e.gifts + excluded.gifts, coins = e.coins + excluded.coins, diamonds = e.diamonds + excluded.diamonds),
    named AS MATERIALIZED (
      SELECT su.user_id AS supporter_id, cr.user_id AS creator_id, g.stream_id, g.gift_id, g.coins
        FROM g LEFT JOIN ledger_accounts su ON su.id = g.supporter_account_id LEFT JOIN ledger_accounts cr ON cr.id = g.account_id),
    v AS (
      INSERT INTO gifter_totals AS t (user_id, gifts, coins, updated_at)
      SELECT supporter_id, count(*), sum(coins), now() FROM named WHERE supporter_id IS NOT NULL GROUP BY 1 ORDER BY 1
      ON CONFLICT (user_id) DO UPDATE
         SET gifts = t.gifts + excluded.gifts, coins = t.coins + excluded.coins, updated_at = excluded.updated_at)
    SELECT n.supporter_id, n.creator_id, n.stream_id, n.gift_id, count(*)::bigint, sum(n.coins)::bigint
      FROM named n GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4;
END $$;

-- The old entry point, kept for whoever calls it from SQL: the same fold, its gift count.
CREATE OR REPLACE FUNCTION earnings_fold() RETURNS BIGINT LANGUAGE sql AS $$
    SELECT COALESCE(sum(gifts), 0)::bigint FROM earnings_fold_groups()
$$;
