-- Treasure boxes (decision 020): in a LIVE, a viewer (or the creator) drops N
-- coins for K winners with a countdown. The coins go at once from the
-- dropper's wallet into an escrow account; viewers join while the countdown
-- runs; when it ends the box opens once (whichever instance's timer locks it
-- first) and pays up to K entrants drawn from the stored seed, or gives the
-- coins back when nobody joined. Joining moves no value.

-- AlterEnum (new values cannot be used in the transaction that adds them: the
-- escrow account is opened by lib/live/treasure.ts on first use)
-- TREASURE_ESCROW: coins of treasure boxes dropped and not yet opened (never negative).
ALTER TYPE "AccountKind" ADD VALUE 'TREASURE_ESCROW';
-- Dropper's wallet → escrow.
ALTER TYPE "TransferKind" ADD VALUE 'TREASURE_DROP';
-- Escrow → the winners' wallets.
ALTER TYPE "TransferKind" ADD VALUE 'TREASURE_PAYOUT';
-- Escrow → the dropper's wallet (nobody joined).
ALTER TYPE "TransferKind" ADD VALUE 'TREASURE_RETURN';

CREATE TABLE "treasure_boxes" (
    "id" UUID NOT NULL,
    -- Order of creation: pages keep boxes by it.
    "no" BIGSERIAL NOT NULL,
    "stream_id" UUID NOT NULL REFERENCES "streams"("id"),
    "dropper_id" UUID NOT NULL REFERENCES "users"("id"),
    -- The client's key for the drop: a retried drop finds its box.
    "drop_key" TEXT NOT NULL,
    "coins" BIGINT NOT NULL,
    "slots" INTEGER NOT NULL,
    "countdown_seconds" INTEGER NOT NULL,
    -- 32 random bytes as hex, drawn at the drop; the draw is reproducible from it (operators see it once opened).
    "seed" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'OPEN',
    "dropped_at" TIMESTAMPTZ(6) NOT NULL DEFAULT clock_timestamp(),
    "opens_at" TIMESTAMPTZ(6) NOT NULL,
    "opened_at" TIMESTAMPTZ(6),
    "drop_transfer_id" BIGINT NOT NULL,
    "open_transfer_id" BIGINT,
    -- Entrants so far (kept with each join, under the box's row lock).
    "entrants" INTEGER NOT NULL DEFAULT 0,
    -- Incremented by every change (a join, the opening): pages keep the newest.
    "rev" INTEGER NOT NULL DEFAULT 0,
    -- At the opening: [{ "userId", "name", "coins" }] in draw order (empty when the coins went back).
    "result" JSONB,

    CONSTRAINT "treasure_boxes_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "treasure_boxes_no_key" UNIQUE ("no"),
    CONSTRAINT "treasure_boxes_drop_key_key" UNIQUE ("drop_key"),
    CONSTRAINT "treasure_boxes_status" CHECK ("status" IN ('OPEN', 'OPENED', 'RETURNED')),
    CONSTRAINT "treasure_boxes_coins" CHECK ("coins" >= 1 AND "slots" >= 1 AND "countdown_seconds" >= 1 AND "entrants" >= 0),
    CONSTRAINT "treasure_boxes_seed" CHECK ("seed" ~ '^[0-9a-f]{64}$'),
    CONSTRAINT "treasure_boxes_opened" CHECK (
        ("status" = 'OPEN' AND "opened_at" IS NULL AND "open_transfer_id" IS NULL AND "result" IS NULL)
     OR ("status" <> 'OPEN' AND "opened_at" IS NOT NULL AND "open_transfer_id" IS NOT NULL AND "result" IS NOT NULL))
);

-- Boxes the timer opens.
CREATE INDEX "treasure_boxes_due_idx" ON "treasure_boxes"("opens_at") WHERE "status" = 'OPEN';
-- A stream's boxes, newest first.
CREATE INDEX "treasure_boxes_stream_id_no_idx" ON "treasure_boxes"("stream_id", "no");
-- A dropper's boxes today (the daily limits).
CREATE INDEX "treasure_boxes_dropper_id_dropped_at_idx" ON "treasure_boxes"("dropper_id", "dropped_at");

-- One entry per box and viewer: joining twice is joining once.
CREATE TABLE "treasure_entries" (
    "box_id" UUID NOT NULL REFERENCES "treasure_boxes"("id"),
    "user_id" UUID NOT NULL REFERENCES "users"("id"),
    "joined_at" TIMESTAMPTZ(6) NOT NULL DEFAULT clock_timestamp(),

    CONSTRAINT "treasure_entries_pkey" PRIMARY KEY ("box_id", "user_id")
);
CREATE INDEX "treasure_entries_user_id_idx" ON "treasure_entries"("user_id");

-- A treasure event's body is the box as JSON, with at most 20 winners (an
-- opening with more is written as several events: a NOTIFY carries at most
-- 8,000 bytes, lib/live/treasure.ts).
ALTER TABLE "live_events" DROP CONSTRAINT "live_events_body_length";
ALTER TABLE "live_events" ADD CONSTRAINT "live_events_body_length"
  CHECK ("body" IS NULL OR char_length("body") <= 200 OR ("kind" = 'match' AND char_length("body") <= 4000) OR ("kind" = 'treasure' AND char_length("body") <= 7000));
