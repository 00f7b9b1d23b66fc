-- CreateEnum
CREATE TYPE "StreamStatus" AS ENUM ('LIVE', 'ENDED');

-- AlterTable
ALTER TABLE "users" ADD COLUMN "hide_from_rankings" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "streams" (
    "id" UUID NOT NULL,
    "creator_id" UUID NOT NULL,
    "title" TEXT NOT NULL,
    "status" "StreamStatus" NOT NULL DEFAULT 'LIVE',
    "goal_coins" BIGINT,
    "peak_viewers" INTEGER NOT NULL DEFAULT 0,
    "started_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "ended_at" TIMESTAMPTZ(6),

    CONSTRAINT "streams_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "live_events" (
    "id" BIGSERIAL NOT NULL,
    "stream_id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "user_id" UUID,
    "gift_id" TEXT,
    "coins" BIGINT,
    "diamonds" BIGINT,
    "transfer_id" BIGINT,
    "body" TEXT,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "live_events_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "streams_creator_id_started_at_idx" ON "streams"("creator_id", "started_at");

-- CreateIndex
CREATE INDEX "streams_status_idx" ON "streams"("status");

-- CreateIndex
CREATE INDEX "live_events_stream_id_id_idx" ON "live_events"("stream_id", "id");

-- CreateIndex
CREATE UNIQUE INDEX "live_events_transfer_id_key" ON "live_events"("transfer_id");

-- AddForeignKey
ALTER TABLE "streams" ADD CONSTRAINT "streams_creator_id_fkey" FOREIGN KEY ("creator_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "live_events" ADD CONSTRAINT "live_events_stream_id_fkey" FOREIGN KEY ("stream_id") REFERENCES "streams"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Chat messages are short; the page escapes them when it renders.
ALTER TABLE "live_events" ADD CONSTRAINT "live_events_body_length" CHECK ("body" IS NULL OR char_length("body") <= 200);
