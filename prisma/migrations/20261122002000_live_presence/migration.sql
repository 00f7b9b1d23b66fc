-- Viewer presence shared by every app instance: each instance reports how many
-- Server-Sent-Event connections it holds per stream, with a heartbeat. Rows
-- whose heartbeat is older than a few intervals belong to a dead instance and
-- are ignored (and swept).

-- A secret per stream: gifts of viewers who opted out of rankings are shown
-- under a key derived from it, never under their user id (which chat shows).
-- AlterTable
ALTER TABLE "streams" ADD COLUMN "anon_salt" UUID NOT NULL DEFAULT gen_random_uuid();

-- CreateTable
CREATE TABLE "live_presence" (
    "instance_id" TEXT NOT NULL,
    "stream_id" UUID NOT NULL,
    "viewers" INTEGER NOT NULL,
    "seen_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "live_presence_pkey" PRIMARY KEY ("instance_id", "stream_id")
);

-- CreateIndex
CREATE INDEX "live_presence_stream_id_idx" ON "live_presence"("stream_id");

-- AddForeignKey
ALTER TABLE "live_presence" ADD CONSTRAINT "live_presence_stream_id_fkey" FOREIGN KEY ("stream_id") REFERENCES "streams"("id") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "live_presence" ADD CONSTRAINT "live_presence_viewers_positive" CHECK ("viewers" > 0);
