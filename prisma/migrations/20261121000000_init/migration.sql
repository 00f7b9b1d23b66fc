-- CreateEnum
CREATE TYPE "Role" AS ENUM ('VIEWER', 'CREATOR', 'OPERATOR');

-- CreateEnum
CREATE TYPE "Asset" AS ENUM ('COIN', 'DIAMOND', 'USD');

-- CreateEnum
CREATE TYPE "AccountKind" AS ENUM ('VIEWER_COINS', 'CREATOR_DIAMONDS', 'CREATOR_PAYABLE', 'COIN_ISSUANCE', 'GIFT_REVENUE', 'DIAMOND_ISSUANCE', 'DIAMOND_REDEEMED', 'PAYMENT_CLEARING', 'DEFERRED_REVENUE', 'PAYOUTS', 'FEES', 'ROUNDING', 'PROMOTIONS');

-- CreateEnum
CREATE TYPE "TransferKind" AS ENUM ('RECHARGE', 'BONUS', 'GIFT', 'WITHDRAWAL', 'REFUND', 'ADJUSTMENT');

-- CreateTable
CREATE TABLE "users" (
    "id" UUID NOT NULL,
    "email" TEXT NOT NULL,
    "display_name" TEXT NOT NULL,
    "password_hash" TEXT NOT NULL,
    "birth_date" DATE NOT NULL,
    "role" "Role" NOT NULL DEFAULT 'VIEWER',
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "users_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "auth_throttle" (
    "key" TEXT NOT NULL,
    "failures" INTEGER NOT NULL DEFAULT 0,
    "window_start" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "auth_throttle_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "ledger_accounts" (
    "id" BIGSERIAL NOT NULL,
    "code" TEXT NOT NULL,
    "asset" "Asset" NOT NULL,
    "kind" "AccountKind" NOT NULL,
    "user_id" UUID,
    "allow_negative" BOOLEAN NOT NULL DEFAULT false,
    "balance" BIGINT NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ledger_accounts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ledger_transfers" (
    "id" BIGSERIAL NOT NULL,
    "idempotency_key" TEXT NOT NULL,
    "kind" "TransferKind" NOT NULL,
    "content_hash" TEXT NOT NULL,
    "metadata" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ledger_transfers_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ledger_postings" (
    "id" BIGSERIAL NOT NULL,
    "transfer_id" BIGINT NOT NULL,
    "account_id" BIGINT NOT NULL,
    "asset" "Asset" NOT NULL,
    "amount" BIGINT NOT NULL,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ledger_postings_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "users_email_key" ON "users"("email");

-- CreateIndex
CREATE INDEX "ledger_accounts_user_id_idx" ON "ledger_accounts"("user_id");

-- CreateIndex
CREATE UNIQUE INDEX "ledger_accounts_code_key" ON "ledger_accounts"("code");

-- CreateIndex
CREATE UNIQUE INDEX "ledger_accounts_id_asset_key" ON "ledger_accounts"("id", "asset");

-- CreateIndex
CREATE UNIQUE INDEX "ledger_transfers_idempotency_key_key" ON "ledger_transfers"("idempotency_key");

-- CreateIndex
-- BRIN: transfers are appended in time order, so a block-range summary serves
-- time-range reads at a fraction of a B-tree's cost per insert.
CREATE INDEX "ledger_transfers_created_at_idx" ON "ledger_transfers" USING BRIN ("created_at") WITH (autosummarize = on);

-- CreateIndex
CREATE INDEX "ledger_postings_account_id_id_idx" ON "ledger_postings"("account_id", "id");

-- CreateIndex
CREATE INDEX "ledger_postings_transfer_id_idx" ON "ledger_postings"("transfer_id");

-- AddForeignKey
ALTER TABLE "ledger_accounts" ADD CONSTRAINT "ledger_accounts_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;


-- Ledger invariants enforced by the database (beyond what schema.prisma can say).

-- A wallet that may not go negative cannot.
ALTER TABLE "ledger_accounts" ADD CONSTRAINT "ledger_accounts_non_negative"
    CHECK ("allow_negative" OR "balance" >= 0);

-- A posting moves a non-zero amount.
ALTER TABLE "ledger_postings" ADD CONSTRAINT "ledger_postings_amount_non_zero" CHECK ("amount" <> 0);

-- Postings and transfers are append-only.
CREATE FUNCTION ledger_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'ledger: % on % is not allowed, the journal is append-only', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'restrict_violation';
END $$;

CREATE TRIGGER ledger_postings_append_only BEFORE UPDATE OR DELETE ON "ledger_postings"
    FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER ledger_postings_no_truncate BEFORE TRUNCATE ON "ledger_postings"
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER ledger_transfers_append_only BEFORE UPDATE OR DELETE ON "ledger_transfers"
    FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER ledger_transfers_no_truncate BEFORE TRUNCATE ON "ledger_transfers"
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();

-- Accounts are never deleted, and their asset never changes.
CREATE FUNCTION ledger_refuse_account_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' OR NEW.asset <> OLD.asset OR NEW.id <> OLD.id THEN
        RAISE EXCEPTION 'ledger: accounts cannot be deleted or change asset'
            USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN NEW;
END $$;

-- Only updates that name asset or id can change them, so balance updates skip
-- the trigger.
CREATE TRIGGER ledger_accounts_keep BEFORE UPDATE OF "asset", "id" OR DELETE ON "ledger_accounts"
    FOR EACH ROW EXECUTE FUNCTION ledger_refuse_account_change();

-- Every statement that inserts postings is checked as a set (one pass instead of
-- per-row foreign-key triggers, see docs/decisions/002-group-commit-ledger.md):
--   * every transfer balances per asset. A transfer's postings are written by one
--     INSERT statement, so the statement sees them all;
--   * each posting's transfer exists, and its account exists with the same asset.
--     Each distinct transfer and account is looked up once, by primary key, with
--     a plan made afresh (EXECUTE): a plan cached while the tables were small
--     would scan them whole on every batch once they have grown.
CREATE FUNCTION ledger_check_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    bad RECORD;
    transfer_ids BIGINT[];
    account_ids BIGINT[];
    assets "Asset"[];
    refs_ok BOOLEAN;
BEGIN
    SELECT transfer_id, asset, SUM(amount) AS total INTO bad
      FROM new_postings GROUP BY transfer_id, asset HAVING SUM(amount) <> 0 LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'ledger: transfer % does not balance in % (sum %)', bad.transfer_id, bad.asset, bad.total
            USING ERRCODE = 'check_violation';
    END IF;
    SELECT (SELECT array_agg(DISTINCT transfer_id) FROM new_postings), array_agg(account_id), array_agg(asset)
      INTO transfer_ids, account_ids, assets
      FROM (SELECT DISTINCT account_id, asset FROM new_postings) p;
    IF transfer_ids IS NULL THEN
        RETURN NULL;
    END IF;
    EXECUTE 'SELECT (SELECT count(*) FROM "ledger_transfers" WHERE id = ANY($1)) = cardinality($1)
                AND (SELECT count(*) FROM "ledger_accounts" a JOIN unnest($2, $3) AS p(id, asset) ON a.id = p.id AND a.asset = p.asset
                      WHERE a.id = ANY($2)) = cardinality($2)'
        INTO refs_ok USING transfer_ids, account_ids, assets;
    IF NOT refs_ok THEN
        SELECT p.transfer_id, p.account_id, p.asset INTO bad
          FROM new_postings p
          LEFT JOIN "ledger_accounts" a ON a.id = p.account_id AND a.asset = p.asset
          LEFT JOIN "ledger_transfers" t ON t.id = p.transfer_id
         WHERE a.id IS NULL OR t.id IS NULL
         LIMIT 1;
        RAISE EXCEPTION 'ledger: posting of transfer % names no % account % (foreign key check)', bad.transfer_id, bad.asset, bad.account_id
            USING ERRCODE = 'foreign_key_violation';
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER ledger_postings_balanced AFTER INSERT ON "ledger_postings"
    REFERENCING NEW TABLE AS new_postings
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_check_balanced();
