// Checks on what clients send to the live features, before any of it reaches
// PostgreSQL (the general ones are in lib/validation/input.ts).
import { MAX_BIGINT, parseBigintId, type ParsedId } from "../validation/input";

/** Largest live_events id (a PostgreSQL bigint). */
export const MAX_EVENT_ID = MAX_BIGINT;

export type ParsedEventId = ParsedId;

/**
 * Parses a live event id sent back by a client (Last-Event-ID, ?after=): null
 * or "" means none; otherwise decimal digits for a value from 0 up to the
 * largest bigint. Anything else (signs, junk, values past the bigint range) is
 * refused with a message.
 */
export function parseEventId(value: string | null, name = "Last-Event-ID"): ParsedEventId {
  return parseBigintId(value, name, "event id");
}
