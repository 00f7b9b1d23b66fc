-- Money that comes back: an operator's refund or the provider's chargeback of a
-- purchase. Every correction is a new reversing transfer (lib/refunds); this
-- records on the intent that it was reversed, by whom, when and why, and which
-- transfer did it. See docs/decisions/016-refunds-and-clawback.md.

-- AlterEnum (new values cannot be used in the transaction that adds them: the
-- accounts of these kinds are opened by lib/refunds on first use)
-- VIEWER_COIN_DEBT: a viewer's coins owed from a refunded purchase they had spent (may go negative).
ALTER TYPE "AccountKind" ADD VALUE 'VIEWER_COIN_DEBT';
-- REFUND_LOSS: diamonds a refund could not claw back from creators (the platform's loss).
ALTER TYPE "AccountKind" ADD VALUE 'REFUND_LOSS';
ALTER TYPE "TransferKind" ADD VALUE 'CHARGEBACK';

-- AlterTable
ALTER TABLE "payment_intents" ADD COLUMN "refunded_at" TIMESTAMPTZ(6),
ADD COLUMN "refunded_by" UUID,
ADD COLUMN "refund_reason" TEXT,
ADD COLUMN "refund_kind" TEXT,
ADD COLUMN "refund_transfer_id" BIGINT,
ADD COLUMN "refund_outcome" JSONB;

-- A reversal is either an operator's refund or a chargeback, and carries its when and why.
ALTER TABLE "payment_intents" ADD CONSTRAINT "payment_intents_refund_check" CHECK (
    ("refunded_at" IS NULL AND "refund_kind" IS NULL AND "refund_transfer_id" IS NULL AND "refund_reason" IS NULL)
 OR ("refunded_at" IS NOT NULL AND "refund_kind" IN ('REFUND', 'CHARGEBACK') AND "refund_transfer_id" IS NOT NULL AND "refund_reason" IS NOT NULL)
);

-- The operator's list of purchases, newest first.
-- CreateIndex
CREATE INDEX "payment_intents_paid_at_id_idx" ON "payment_intents"("paid_at", "id");
