-- ledger_write_batch (20261201000000) without its announcement parameters
-- (n_n, n_channel, n_payload): nothing posts a transfer with a pg_notify
-- payload any more (live events are written and announced by the batch hook in
-- the same transaction), so the function takes 11 arguments. Otherwise the same.
DROP FUNCTION ledger_write_batch(TEXT[], "TransferKind"[], TEXT[], JSONB[], INT[], BIGINT[], "Asset"[], BIGINT[], BIGINT[], BIGINT[], BIGINT[], INT[], TEXT[], TEXT[]);

CREATE FUNCTION ledger_write_batch(
    keys TEXT[], kinds "TransferKind"[], hashes TEXT[], metas JSONB[],
    p_n INT[], p_account BIGINT[], p_asset "Asset"[], p_amount BIGINT[],
    a_id BIGINT[], a_delta BIGINT[], a_low BIGINT[])
RETURNS TABLE (id BIGINT, created_at TIMESTAMPTZ, n INT, balances BIGINT[])
LANGUAGE plpgsql AS $$
DECLARE
    ids BIGINT[];
    short_id BIGINT;
    after BIGINT[];
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
    WITH updated AS (
        UPDATE ledger_accounts a SET balance = a.balance + d.delta
          FROM unnest(a_id, a_delta) AS d(id, delta)
         WHERE a.id = d.id AND a.id = ANY(a_id)
        RETURNING a.id, a.balance)
    SELECT array_agg(u.balance ORDER BY u.id) INTO after FROM updated u;

    RETURN QUERY SELECT ids[k], now(), k, CASE WHEN k = 1 THEN after END FROM generate_series(1, cardinality(keys)) AS k;
END $$;
