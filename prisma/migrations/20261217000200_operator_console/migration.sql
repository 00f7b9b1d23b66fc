-- The operator console (app/operator).
--
-- Each reconciliation an operator (or `npm run reconcile`) runs is kept, so the
-- console shows the last one and its drift without recomputing every balance
-- from the postings on each page view (seconds with millions of gifts).
CREATE TABLE "reconciliation_runs" (
    "id" BIGSERIAL NOT NULL,
    "started_at" TIMESTAMPTZ(6) NOT NULL,
    "finished_at" TIMESTAMPTZ(6) NOT NULL DEFAULT now(),
    "ok" BOOLEAN NOT NULL,
    "transfers" BIGINT NOT NULL,
    "postings" BIGINT NOT NULL,
    "drift" JSONB NOT NULL,
    "unbalanced" JSONB NOT NULL,
    "asset_totals" JSONB NOT NULL,
    "run_by" UUID,

    CONSTRAINT "reconciliation_runs_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "reconciliation_runs_run_by_fkey" FOREIGN KEY ("run_by") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- The transfer browser filters by kind, newest first. Gifts are nearly every
-- transfer and are listed from the primary key; every other kind is rare and
-- found through this index, which no gift ever writes to (the gift path's
-- inserts stay as they were).
CREATE INDEX "ledger_transfers_kind_id_idx" ON "ledger_transfers"("kind", "id") WHERE "kind" <> 'GIFT';
