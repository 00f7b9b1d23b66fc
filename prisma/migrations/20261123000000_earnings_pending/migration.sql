-- Earnings aggregates folded outside the gift transaction
-- (docs/decisions/008-earnings-folded-off-the-gift-path.md).
--
-- Until now the earnings trigger upserted the aggregate rows in the gift's own
-- transaction. During a gift storm every batch to a hot creator updates the same
-- hourly row and the same supporter rows, so the next batch waited for that row
-- lock before it could even finish inserting its postings: batches ran one after
-- the other and the trigger cost a third of peak throughput.
--
-- Now the trigger only notes which transfers of the statement credit diamonds:
-- one row per statement in earnings_pending (an array of transfer ids), a heap
-- with no index that nobody else writes, so it never waits and costs one small
-- insert per batch. earnings_fold() reads those transfers' postings and moves
-- the sums into the aggregates (DELETE … RETURNING and the upserts in one
-- transaction, one folder at a time), so each committed gift is counted exactly
-- once. The app folds in the background every second and before every earnings
-- read, so what the dashboard shows is exact at the moment it reads.

CREATE TABLE "earnings_pending" (
    "transfer_ids" BIGINT[] NOT NULL
);

CREATE OR REPLACE FUNCTION earnings_capture() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO earnings_pending (transfer_ids)
    SELECT array_agg(DISTINCT transfer_id) FROM new_postings WHERE asset = 'DIAMOND' AND amount > 0
    HAVING count(*) > 0;
    RETURN NULL;
END $$;

-- One row per GIFT transfer among `ids`: the creator's diamond account (the
-- positive DIAMOND posting), the UTC hour, the stream and gift the metadata
-- names (nil UUID and '' when it names none), the supporter (the negative COIN
-- posting's account) and the coins and diamonds. Used by the fold and by the
-- drift check, so both count a gift the same way.
CREATE FUNCTION earnings_gift_sums(ids BIGINT[])
RETURNS TABLE (account_id BIGINT, hour TIMESTAMPTZ, stream_id UUID, gift_id TEXT, supporter_account_id BIGINT, coins BIGINT, diamonds BIGINT)
LANGUAGE sql STABLE AS $$
    SELECT max(p.account_id) FILTER (WHERE p.asset = 'DIAMOND' AND p.amount > 0),
           date_trunc('hour', t.created_at, 'UTC'),
           CASE WHEN t.metadata->>'streamId' ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
                THEN (t.metadata->>'streamId')::uuid ELSE '00000000-0000-0000-0000-000000000000'::uuid END,
           COALESCE(left(t.metadata->>'giftId', 64), ''),
           max(p.account_id) FILTER (WHERE p.asset = 'COIN' AND p.amount < 0),
           COALESCE(-sum(p.amount) FILTER (WHERE p.asset = 'COIN' AND p.amount < 0), 0)::bigint,
           COALESCE(sum(p.amount) FILTER (WHERE p.asset = 'DIAMOND' AND p.amount > 0), 0)::bigint
      FROM ledger_transfers t JOIN ledger_postings p ON p.transfer_id = t.id
     WHERE t.id = ANY(ids) AND t.kind = 'GIFT'
     GROUP BY t.id
$$;

-- Moves every committed pending row into the aggregates; returns how many gifts
-- it folded. Folders take turns (a transaction-level advisory lock), so the
-- upserts of two folders never interleave; gift transactions never touch the
-- aggregates, so they never wait for a folder.
CREATE FUNCTION earnings_fold() RETURNS BIGINT LANGUAGE plpgsql AS $$
DECLARE
    ids BIGINT[];
    folded BIGINT;
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('earnings_fold'));
    WITH moved AS (DELETE FROM earnings_pending RETURNING transfer_ids)
    SELECT array_agg(id) INTO ids FROM moved, unnest(moved.transfer_ids) AS id;
    IF ids IS NULL THEN
        RETURN 0;
    END IF;
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
         SET gifts = e.gifts + excluded.gifts, coins = e.coins + excluded.coins, diamonds = e.diamonds + excluded.diamonds)
    SELECT count(*) INTO folded FROM g;
    RETURN folded;
END $$;
