-- The postings' primary key becomes (transfer_id, id), replacing both the key on
-- id alone and the index on transfer_id. Nothing looks a posting up by its id
-- alone (history pages use (account_id, id); a transfer's postings are read by
-- transfer_id), so one index per posting less to write — four per gift — with
-- every read path kept. id stays unique: it comes from its own sequence.
ALTER TABLE "ledger_postings" DROP CONSTRAINT "ledger_postings_pkey";
ALTER TABLE "ledger_postings" ADD CONSTRAINT "ledger_postings_pkey" PRIMARY KEY ("transfer_id", "id");
DROP INDEX "ledger_postings_transfer_id_idx";

-- Every transfer rewrites the balance of the accounts it touches. Room on each
-- page (fill factor 80) lets PostgreSQL keep the new row version on the same
-- page without touching the account indexes (a HOT update); with full pages,
-- each balance change would also insert into all four account indexes.
ALTER TABLE "ledger_accounts" SET (fillfactor = 80);
