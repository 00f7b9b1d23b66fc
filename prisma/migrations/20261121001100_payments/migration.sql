-- CreateEnum
CREATE TYPE "PaymentStatus" AS ENUM ('REQUIRES_CONFIRMATION', 'REQUIRES_ACTION', 'PROCESSING', 'SUCCEEDED', 'FAILED', 'CANCELED');

-- CreateEnum
CREATE TYPE "PaymentMethod" AS ENUM ('CARD', 'PAYPAL', 'WALLET');

-- CreateTable
CREATE TABLE "payment_intents" (
    "id" TEXT NOT NULL,
    "user_id" UUID NOT NULL,
    "idempotency_key" TEXT NOT NULL,
    "status" "PaymentStatus" NOT NULL DEFAULT 'REQUIRES_CONFIRMATION',
    "package_id" TEXT,
    "coins" BIGINT NOT NULL,
    "bonus_coins" BIGINT NOT NULL DEFAULT 0,
    "bonus_lines" JSONB NOT NULL DEFAULT '[]',
    "amount" BIGINT NOT NULL,
    "currency" "Asset" NOT NULL,
    "platform" TEXT NOT NULL,
    "method" "PaymentMethod",
    "card_brand" TEXT,
    "card_last4" TEXT,
    "test_outcome" TEXT,
    "failure_code" TEXT,
    "failure_message" TEXT,
    "processing_until" TIMESTAMPTZ(6),
    "credited_transfer_id" BIGINT,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "payment_intents_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "payment_events" (
    "id" TEXT NOT NULL,
    "intent_id" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "deliveries" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "processed_at" TIMESTAMPTZ(6),

    CONSTRAINT "payment_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "spending_limits" (
    "user_id" UUID NOT NULL,
    "monthly_budget_coins" BIGINT,
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "spending_limits_pkey" PRIMARY KEY ("user_id")
);

-- CreateIndex
CREATE UNIQUE INDEX "payment_intents_idempotency_key_key" ON "payment_intents"("idempotency_key");

-- CreateIndex
CREATE INDEX "payment_intents_user_id_created_at_idx" ON "payment_intents"("user_id", "created_at");

-- CreateIndex
CREATE INDEX "payment_events_intent_id_idx" ON "payment_events"("intent_id");

-- AddForeignKey
ALTER TABLE "payment_intents" ADD CONSTRAINT "payment_intents_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "payment_events" ADD CONSTRAINT "payment_events_intent_id_fkey" FOREIGN KEY ("intent_id") REFERENCES "payment_intents"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "spending_limits" ADD CONSTRAINT "spending_limits_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Amounts are positive; a card is only ever kept as brand and last four.
ALTER TABLE "payment_intents" ADD CONSTRAINT "payment_intents_amounts_positive" CHECK ("coins" > 0 AND "amount" > 0 AND "bonus_coins" >= 0);
ALTER TABLE "payment_intents" ADD CONSTRAINT "payment_intents_last4_only" CHECK ("card_last4" IS NULL OR "card_last4" ~ '^[0-9]{4}$');

-- Clearing and deferred revenue for every currency a purchase can be made in.
INSERT INTO "ledger_accounts" ("code", "asset", "kind", "allow_negative") VALUES
    ('platform:payment_clearing:EUR', 'EUR', 'PAYMENT_CLEARING', true),
    ('platform:payment_clearing:GBP', 'GBP', 'PAYMENT_CLEARING', true),
    ('platform:payment_clearing:JPY', 'JPY', 'PAYMENT_CLEARING', true),
    ('platform:payment_clearing:IDR', 'IDR', 'PAYMENT_CLEARING', true),
    ('platform:deferred_revenue:EUR', 'EUR', 'DEFERRED_REVENUE', false),
    ('platform:deferred_revenue:GBP', 'GBP', 'DEFERRED_REVENUE', false),
    ('platform:deferred_revenue:JPY', 'JPY', 'DEFERRED_REVENUE', false),
    ('platform:deferred_revenue:IDR', 'IDR', 'DEFERRED_REVENUE', false);
