-- The ledger's one-round-trip batch write (lib/ledger/ledger.ts, writeFast) as a
-- function, so its steps run in a fixed order: transfers and postings are
-- written first, while no account is locked, and only then are the accounts
-- locked (in id order), checked and updated. The hot rows (a popular creator,
-- the platform's gift accounts) stay locked just for the balance update and the
-- commit, so concurrent batches do their inserts in parallel.
--
-- Any problem (a key already used, a transfer that would overdraw at its turn)
-- raises and rolls the whole batch back; the caller then settles the batch one
-- transfer at a time on its careful path.
CREATE FUNCTION ledger_write_batch(
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
     WHERE NOT a.allow_negative AND a.balance + d.low < 0
     LIMIT 1;
    IF short_id IS NOT NULL THEN
        RAISE EXCEPTION 'ledger: account % would go below zero in this batch', short_id
            USING ERRCODE = 'check_violation';
    END IF;
    UPDATE ledger_accounts a SET balance = a.balance + d.delta
      FROM unnest(a_id, a_delta) AS d(id, delta)
     WHERE a.id = d.id;

    FOR i IN 1 .. coalesce(cardinality(n_n), 0) LOOP
        PERFORM pg_notify(n_channel[i], replace(n_payload[i], '{id}', ids[n_n[i]]::text));
    END LOOP;

    RETURN QUERY SELECT ids[k], now(), k FROM generate_series(1, cardinality(keys)) AS k;
END $$;
