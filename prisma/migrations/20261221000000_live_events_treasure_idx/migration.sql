-- A stream's treasure box events in order, for the operators' audit of a box
-- (its first event carries the seed commitment announced at the drop): without
-- it, finding that event scans every gift of the stream before the box.
CREATE INDEX "live_events_treasure_idx" ON "live_events"("stream_id", "id") WHERE "kind" = 'treasure';
