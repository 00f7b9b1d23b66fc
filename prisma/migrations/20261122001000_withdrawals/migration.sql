-- Withdrawals: a creator turns diamonds into (simulated) cash in two ledger steps.
-- Requesting reserves the diamonds (creator wallet → platform:diamonds_held);
-- paying redeems them (held → platform:diamond_redeemed, with the cash lines in
-- USD); rejecting or cancelling releases them (held → creator wallet). This table
-- is the workflow around those transfers; the ledger stays the source of value.

-- AlterEnum (used from the next migration on: a new enum value cannot be used in
-- the transaction that adds it)
ALTER TYPE "AccountKind" ADD VALUE 'DIAMOND_HELD';

-- CreateEnum
CREATE TYPE "WithdrawalStatus" AS ENUM ('PENDING', 'PAID', 'REJECTED', 'CANCELLED');

-- CreateTable
CREATE TABLE "withdrawals" (
    "id" UUID NOT NULL,
    "creator_id" UUID NOT NULL,
    "idempotency_key" TEXT NOT NULL,
    "status" "WithdrawalStatus" NOT NULL DEFAULT 'PENDING',
    "method" TEXT NOT NULL,
    "destination" TEXT NOT NULL,
    "diamonds" BIGINT NOT NULL,
    "gross_cents" BIGINT NOT NULL,
    "fee_cents" BIGINT NOT NULL,
    "net_cents" BIGINT NOT NULL,
    "reserve_transfer_id" BIGINT NOT NULL,
    "settle_transfer_id" BIGINT,
    "payable_at" TIMESTAMPTZ(6) NOT NULL,
    "decided_at" TIMESTAMPTZ(6),
    "decided_by" UUID,
    "reason" TEXT,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "withdrawals_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "withdrawals_idempotency_key_key" ON "withdrawals"("idempotency_key");

-- CreateIndex
CREATE INDEX "withdrawals_creator_id_created_at_idx" ON "withdrawals"("creator_id", "created_at");

-- CreateIndex
CREATE INDEX "withdrawals_status_payable_at_idx" ON "withdrawals"("status", "payable_at");

-- AddForeignKey
ALTER TABLE "withdrawals" ADD CONSTRAINT "withdrawals_creator_id_fkey" FOREIGN KEY ("creator_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Amounts are whole minor units and add up; only masked payout details are stored.
ALTER TABLE "withdrawals" ADD CONSTRAINT "withdrawals_amounts" CHECK (
    "diamonds" > 0 AND "fee_cents" >= 0 AND "net_cents" > 0 AND "gross_cents" = "fee_cents" + "net_cents");
ALTER TABLE "withdrawals" ADD CONSTRAINT "withdrawals_method" CHECK ("method" IN ('bank', 'paypal'));
ALTER TABLE "withdrawals" ADD CONSTRAINT "withdrawals_decided" CHECK (("status" = 'PENDING') = ("decided_at" IS NULL));
