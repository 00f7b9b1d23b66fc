-- Diamonds reserved by pending withdrawals (see 20261122001000_withdrawals).
INSERT INTO "ledger_accounts" ("code", "asset", "kind", "allow_negative") VALUES
    ('platform:diamonds_held', 'DIAMOND', 'DIAMOND_HELD', false);

-- Creator earnings, summed from the ledger's gift postings in the transaction
-- that writes them (docs/decisions/006-earnings-aggregates.md). A gift is a GIFT
-- transfer: its positive DIAMOND posting is the creator's credit, its negative
-- COIN posting the supporter's payment. Gifts that name no stream are filed
-- under the nil UUID, gifts that name no gift type under ''.

-- CreateTable
CREATE TABLE "earnings_hourly" (
    "account_id" BIGINT NOT NULL,
    "hour" TIMESTAMPTZ(6) NOT NULL,
    "stream_id" UUID NOT NULL,
    "gift_id" TEXT NOT NULL,
    "gifts" BIGINT NOT NULL DEFAULT 0,
    "coins" BIGINT NOT NULL DEFAULT 0,
    "diamonds" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "earnings_hourly_pkey" PRIMARY KEY ("account_id","hour","stream_id","gift_id")
) WITH (fillfactor = 70);

-- CreateTable
CREATE TABLE "earnings_supporters" (
    "account_id" BIGINT NOT NULL,
    "stream_id" UUID NOT NULL,
    "supporter_account_id" BIGINT NOT NULL,
    "gifts" BIGINT NOT NULL DEFAULT 0,
    "coins" BIGINT NOT NULL DEFAULT 0,
    "diamonds" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "earnings_supporters_pkey" PRIMARY KEY ("account_id","stream_id","supporter_account_id")
) WITH (fillfactor = 70);

-- CreateTable
CREATE TABLE "earnings_supporter_totals" (
    "account_id" BIGINT NOT NULL,
    "supporter_account_id" BIGINT NOT NULL,
    "gifts" BIGINT NOT NULL DEFAULT 0,
    "coins" BIGINT NOT NULL DEFAULT 0,
    "diamonds" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "earnings_supporter_totals_pkey" PRIMARY KEY ("account_id","supporter_account_id")
) WITH (fillfactor = 70);

-- The sums are updated in place many times; free space on each page lets
-- PostgreSQL do that without touching the indexes (HOT updates).

-- CreateIndex
CREATE INDEX "earnings_hourly_account_id_stream_id_idx" ON "earnings_hourly"("account_id", "stream_id");

-- CreateIndex (a stream's top gifters: one index probe per stream)
CREATE INDEX "earnings_supporters_account_id_stream_id_coins_idx" ON "earnings_supporters"("account_id", "stream_id", "coins");

-- One statement-level trigger per INSERT into the postings (not one per gift):
-- a batch of 1,000 gifts to one creator in one stream becomes a handful of
-- upserts. Rows are upserted in key order; batches that share a creator are
-- already serialised by the creator account's row lock. Lookups by id go through
-- EXECUTE so that the plan is made for the current table sizes.
CREATE FUNCTION earnings_capture() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    gift_transfers BIGINT[];
BEGIN
    SELECT array_agg(DISTINCT transfer_id) INTO gift_transfers
      FROM new_postings WHERE asset = 'DIAMOND' AND amount > 0;
    IF gift_transfers IS NULL THEN
        RETURN NULL;
    END IF;
    EXECUTE $sql$
    WITH t AS (
      SELECT id, created_at,
             CASE WHEN metadata->>'streamId' ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
                  THEN (metadata->>'streamId')::uuid ELSE '00000000-0000-0000-0000-000000000000'::uuid END AS stream_id,
             COALESCE(left(metadata->>'giftId', 64), '') AS gift_id
        FROM ledger_transfers WHERE id = ANY($1) AND kind = 'GIFT'),
    g AS (
      SELECT t.id, t.created_at, t.stream_id, t.gift_id,
             max(p.account_id) FILTER (WHERE p.asset = 'DIAMOND' AND p.amount > 0) AS account_id,
             COALESCE(sum(p.amount) FILTER (WHERE p.asset = 'DIAMOND' AND p.amount > 0), 0) AS diamonds,
             max(p.account_id) FILTER (WHERE p.asset = 'COIN' AND p.amount < 0) AS supporter,
             COALESCE(-sum(p.amount) FILTER (WHERE p.asset = 'COIN' AND p.amount < 0), 0) AS coins
        FROM new_postings p JOIN t ON t.id = p.transfer_id
       GROUP BY t.id, t.created_at, t.stream_id, t.gift_id),
    h AS (
      INSERT INTO earnings_hourly AS e (account_id, hour, stream_id, gift_id, gifts, coins, diamonds)
      SELECT account_id, date_trunc('hour', created_at, 'UTC'), stream_id, gift_id, count(*), sum(coins), sum(diamonds)
        FROM g GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
      ON CONFLICT (account_id, hour, stream_id, gift_id) DO UPDATE
         SET gifts = e.gifts + excluded.gifts, coins = e.coins + excluded.coins, diamonds = e.diamonds + excluded.diamonds),
    s AS (
      INSERT INTO earnings_supporters AS e (account_id, stream_id, supporter_account_id, gifts, coins, diamonds)
      SELECT account_id, stream_id, supporter, count(*), sum(coins), sum(diamonds)
        FROM g WHERE supporter IS NOT NULL GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
      ON CONFLICT (account_id, stream_id, supporter_account_id) DO UPDATE
         SET gifts = e.gifts + excluded.gifts, coins = e.coins + excluded.coins, diamonds = e.diamonds + excluded.diamonds)
    INSERT INTO earnings_supporter_totals AS e (account_id, supporter_account_id, gifts, coins, diamonds)
    SELECT account_id, supporter, count(*), sum(coins), sum(diamonds)
      FROM g WHERE supporter IS NOT NULL GROUP BY 1, 2 ORDER BY 1, 2
    ON CONFLICT (account_id, supporter_account_id) DO UPDATE
       SET gifts = e.gifts + excluded.gifts, coins = e.coins + excluded.coins, diamonds = e.diamonds + excluded.diamonds
    $sql$ USING gift_transfers;
    RETURN NULL;
END $$;

CREATE TRIGGER earnings_capture AFTER INSERT ON "ledger_postings"
    REFERENCING NEW TABLE AS new_postings
    FOR EACH STATEMENT EXECUTE FUNCTION earnings_capture();

-- The aggregates are derived data: nothing but the trigger (and a rebuild) writes them.
-- Gifts already in the ledger are summed once here.
INSERT INTO earnings_hourly (account_id, hour, stream_id, gift_id, gifts, coins, diamonds)
SELECT account_id, date_trunc('hour', created_at, 'UTC'), stream_id, gift_id, count(*), sum(coins), sum(diamonds)
  FROM (
    SELECT t.id, t.created_at,
           CASE WHEN t.metadata->>'streamId' ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
                THEN (t.metadata->>'streamId')::uuid ELSE '00000000-0000-0000-0000-000000000000'::uuid END AS stream_id,
           COALESCE(left(t.metadata->>'giftId', 64), '') AS gift_id,
           max(p.account_id) FILTER (WHERE p.asset = 'DIAMOND' AND p.amount > 0) AS account_id,
           COALESCE(sum(p.amount) FILTER (WHERE p.asset = 'DIAMOND' AND p.amount > 0), 0) AS diamonds,
           COALESCE(-sum(p.amount) FILTER (WHERE p.asset = 'COIN' AND p.amount < 0), 0) AS coins
      FROM ledger_transfers t JOIN ledger_postings p ON p.transfer_id = t.id
     WHERE t.kind = 'GIFT'
     GROUP BY t.id) g
 WHERE account_id IS NOT NULL
 GROUP BY 1, 2, 3, 4;

INSERT INTO earnings_supporters (account_id, stream_id, supporter_account_id, gifts, coins, diamonds)
SELECT account_id, stream_id, supporter, count(*), sum(coins), sum(diamonds)
  FROM (
    SELECT CASE WHEN t.metadata->>'streamId' ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
                THEN (t.metadata->>'streamId')::uuid ELSE '00000000-0000-0000-0000-000000000000'::uuid END AS stream_id,
           max(p.account_id) FILTER (WHERE p.asset = 'DIAMOND' AND p.amount > 0) AS account_id,
           COALESCE(sum(p.amount) FILTER (WHERE p.asset = 'DIAMOND' AND p.amount > 0), 0) AS diamonds,
           max(p.account_id) FILTER (WHERE p.asset = 'COIN' AND p.amount < 0) AS supporter,
           COALESCE(-sum(p.amount) FILTER (WHERE p.asset = 'COIN' AND p.amount < 0), 0) AS coins
      FROM ledger_transfers t JOIN ledger_postings p ON p.transfer_id = t.id
     WHERE t.kind = 'GIFT'
     GROUP BY t.id) g
 WHERE account_id IS NOT NULL AND supporter IS NOT NULL
 GROUP BY 1, 2, 3;

INSERT INTO earnings_supporter_totals (account_id, supporter_account_id, gifts, coins, diamonds)
SELECT account_id, supporter_account_id, sum(gifts), sum(coins), sum(diamonds)
  FROM earnings_supporters GROUP BY 1, 2;
