-- Fraud flags raised by the rules in lib/economy/fraud.ts (written by the job in
-- lib/fraud), and account freezes with their history. Nothing here is deleted:
-- a flag is dismissed or actioned, a freeze is lifted (lifted_at/lifted_by).

-- CreateEnum
CREATE TYPE "FraudFlagStatus" AS ENUM ('OPEN', 'DISMISSED', 'ACTIONED');

-- CreateTable
CREATE TABLE "fraud_flags" (
    "id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "rule" TEXT NOT NULL,
    "evidence" JSONB NOT NULL,
    "status" "FraudFlagStatus" NOT NULL DEFAULT 'OPEN',
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "resolved_by" UUID,
    "resolved_at" TIMESTAMPTZ(6),
    "note" TEXT,

    CONSTRAINT "fraud_flags_pkey" PRIMARY KEY ("id")
);

-- One open flag per user and rule, however often (and on however many instances) the job runs.
-- CreateIndex
CREATE UNIQUE INDEX "fraud_flags_open_user_rule_key" ON "fraud_flags"("user_id", "rule") WHERE "status" = 'OPEN';

-- CreateIndex
CREATE INDEX "fraud_flags_status_created_at_idx" ON "fraud_flags"("status", "created_at");

-- AddForeignKey
ALTER TABLE "fraud_flags" ADD CONSTRAINT "fraud_flags_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "fraud_flags" ADD CONSTRAINT "fraud_flags_resolved_by_fkey" FOREIGN KEY ("resolved_by") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- CreateTable
CREATE TABLE "account_freezes" (
    "id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "reason" TEXT NOT NULL,
    "frozen_by" UUID NOT NULL,
    "frozen_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lifted_by" UUID,
    "lifted_at" TIMESTAMPTZ(6),
    "lift_reason" TEXT,

    CONSTRAINT "account_freezes_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "account_freezes_lifted_check" CHECK (("lifted_at" IS NULL) = ("lifted_by" IS NULL))
);

-- At most one freeze in force per account.
-- CreateIndex
CREATE UNIQUE INDEX "account_freezes_active_user_key" ON "account_freezes"("user_id") WHERE "lifted_at" IS NULL;

-- CreateIndex
CREATE INDEX "account_freezes_user_id_frozen_at_idx" ON "account_freezes"("user_id", "frozen_at");

-- AddForeignKey
ALTER TABLE "account_freezes" ADD CONSTRAINT "account_freezes_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "account_freezes" ADD CONSTRAINT "account_freezes_frozen_by_fkey" FOREIGN KEY ("frozen_by") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "account_freezes" ADD CONSTRAINT "account_freezes_lifted_by_fkey" FOREIGN KEY ("lifted_by") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
