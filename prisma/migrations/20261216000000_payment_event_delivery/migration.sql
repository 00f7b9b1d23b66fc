-- The provider's side of webhook delivery: each event is delivered until our
-- handler acknowledges it (processed_at), by a background job, with growing
-- delays between attempts. attempts counts the job's attempts; next_attempt_at
-- is when the event is next due (also a lease: a job that claims an event moves
-- it on first, so two instances never deliver it at the same moment);
-- last_error is the latest failure, for operators.
-- AlterTable
ALTER TABLE "payment_events" ADD COLUMN "attempts" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN "next_attempt_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
ADD COLUMN "last_error" TEXT;

-- CreateIndex
CREATE INDEX "payment_events_next_attempt_at_idx" ON "payment_events"("next_attempt_at");

-- Intents a processing payment leaves behind are found by the same job.
-- CreateIndex
CREATE INDEX "payment_intents_processing_until_idx" ON "payment_intents"("processing_until");
