-- The set-based balance check on ledger_postings (20261121000000_init), without
-- dynamic SQL. Its EXECUTE planned two lookup queries on every statement, which
-- was a quarter of the database time of a gift batch (about 12 µs of 47 µs per
-- gift in a 32-gift batch, measured with track_functions). These queries are
-- planned once per connection and the plan is kept. So that a plan made while
-- the tables are still tiny can never become a full scan of a large table, each
-- lookup is a correlated subquery fenced with OFFSET 0: it runs once per distinct
-- transfer or account of the statement, as a primary-key probe, whatever the
-- table sizes were when it was planned (tests/integration/ledger.test.ts checks
-- the plan).
CREATE OR REPLACE FUNCTION ledger_check_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    bad RECORD;
BEGIN
    SELECT transfer_id, asset, SUM(amount) AS total INTO bad
      FROM new_postings GROUP BY transfer_id, asset HAVING SUM(amount) <> 0 LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'ledger: transfer % does not balance in % (sum %)', bad.transfer_id, bad.asset, bad.total
            USING ERRCODE = 'check_violation';
    END IF;
    SELECT p.transfer_id, NULL::bigint AS account_id, NULL::"Asset" AS asset INTO bad
      FROM (SELECT DISTINCT transfer_id FROM new_postings) p
     WHERE NOT EXISTS (SELECT 1 FROM "ledger_transfers" t WHERE t.id = p.transfer_id OFFSET 0)
     LIMIT 1;
    IF NOT FOUND THEN
        SELECT NULL::bigint AS transfer_id, p.account_id, p.asset INTO bad
          FROM (SELECT DISTINCT account_id, asset FROM new_postings) p
         WHERE NOT EXISTS (SELECT 1 FROM "ledger_accounts" a WHERE a.id = p.account_id AND a.asset = p.asset OFFSET 0)
         LIMIT 1;
    END IF;
    IF FOUND THEN
        RAISE EXCEPTION 'ledger: a posting names no transfer % or no % account % (foreign key check)', bad.transfer_id, bad.asset, bad.account_id
            USING ERRCODE = 'foreign_key_violation';
    END IF;
    RETURN NULL;
END $$;

-- ledger_write_batch (20261122000100) with every account lookup by primary key.
-- PL/pgSQL keeps a generic plan for each statement; for the funds check and the
-- balance update, which joined the accounts to unnest(...) with no condition on
-- the accounts themselves, that plan was a sequential scan of ledger_accounts
-- hashed against the batch: harmless with a few hundred accounts, one full scan
-- per batch with millions of users. `a.id = ANY(a_id)` makes both an index
-- lookup of the batch's accounts whatever the table size at planning time
-- (tests/integration/ledger.test.ts checks the plans).

CREATE OR REPLACE FUNCTION ledger_write_batch(
    keys TEXT[], kinds "TransferKind"[], hashes TEXT[], metas JSONB[],
    p_n INT[], p_account BIGINT[], p_asset "Asset"[], p_amount BIGINT[],
    a_id BIGINT[], a_delta BIGINT[], a_low BIGINT[],
    n_n INT[], n_channel TEXT[], n_payload TEXT[])
RETURNS TABLE (id BIGINT, created_at TIMESTAMPTZ, n INT)
LANGUAGE plpgsql AS $$
DECLARE
    ids BIGINT[];
    short_id BIGINT;
BEGIN
    -- Ids in arrival order, so the journal reads in the order transfers were settled.
    ids := ARRAY(SELECT nextval('ledger_transfers_id_seq') FROM generate_series(1, cardinality(keys)));
    INSERT INTO ledger_transfers (id, idempotency_key, kind, content_hash, metadata)
        SELECT * FROM unnest(ids, keys, kinds, hashes, metas);
    INSERT INTO ledger_postings (transfer_id, account_id, asset, amount)
        SELECT ids[x.n], x.account_id, x.asset, x.amount
          FROM unnest(p_n, p_account, p_asset, p_amount) AS x(n, account_id, asset, amount);

    PERFORM 1 FROM ledger_accounts WHERE ledger_accounts.id = ANY(a_id) ORDER BY ledger_accounts.id FOR UPDATE;
    -- `low` is the lowest point the account reaches when the batch's transfers
    -- are applied in arrival order.
    SELECT a.id INTO short_id
      FROM ledger_accounts a JOIN unnest(a_id, a_low) AS d(id, low) ON d.id = a.id
     WHERE a.id = ANY(a_id) AND NOT a.allow_negative AND a.balance + d.low < 0
     LIMIT 1;
    IF short_id IS NOT NULL THEN
        RAISE EXCEPTION 'ledger: account % would go below zero in this batch', short_id
            USING ERRCODE = 'check_violation';
    END IF;
    UPDATE ledger_accounts a SET balance = a.balance + d.delta
      FROM unnest(a_id, a_delta) AS d(id, delta)
     WHERE a.id = d.id AND a.id = ANY(a_id);

    FOR i IN 1 .. coalesce(cardinality(n_n), 0) LOOP
        PERFORM pg_notify(n_channel[i], replace(n_payload[i], '{id}', ids[n_n[i]]::text));
    END LOOP;

    RETURN QUERY SELECT ids[k], now(), k FROM generate_series(1, cardinality(keys)) AS k;
END $$;
