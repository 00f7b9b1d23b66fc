-- The daily cap and the monthly budget count a purchase when its money is taken
-- (the intent turns PROCESSING or SUCCEEDED), not when its checkout was opened:
-- checkouts opened ahead and paid on another day or in another month add up.
ALTER TABLE "payment_intents" ADD COLUMN "paid_at" TIMESTAMPTZ(6);

-- Purchases made before this column existed: the best record of when they were
-- paid is their last update.
UPDATE "payment_intents" SET "paid_at" = "updated_at" WHERE "status" IN ('PROCESSING', 'SUCCEEDED');

-- CreateIndex
CREATE INDEX "payment_intents_user_id_paid_at_idx" ON "payment_intents"("user_id", "paid_at");
