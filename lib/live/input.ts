// Checks on what clients send to the live features, before any of it reaches
// PostgreSQL: a malformed id or a NUL byte is the client's mistake (a 4xx or a
// validation message), never a database error.

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Largest live_events id (a PostgreSQL bigint). */
export const MAX_EVENT_ID = 9_223_372_036_854_775_807n;

/** True for a UUID in its usual 8-4-4-4-12 hex form (what streams.id holds). */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}

export type ParsedEventId = { ok: true; value: bigint | null } | { ok: false; message: string };

/**
 * Parses a live event id sent back by a client (Last-Event-ID, ?after=): null
 * or "" means none; otherwise decimal digits for a value from 0 up to the
 * largest bigint. Anything else (signs, junk, values past the bigint range) is
 * refused with a message.
 */
export function parseEventId(value: string | null, name = "Last-Event-ID"): ParsedEventId {
  if (value === null || value === "") return { ok: true, value: null };
  if (!/^\d{1,19}$/.test(value)) return { ok: false, message: `${name} must be an event id (a whole number).` };
  const id = BigInt(value);
  if (id > MAX_EVENT_ID) return { ok: false, message: `${name} is past the largest event id.` };
  return { ok: true, value: id };
}

/**
 * The first character of `text` that has no place in a chat line or a title:
 * a control character (U+0000–U+001F, U+007F) or half of a surrogate pair
 * without its other half (not valid Unicode; it cannot be stored as UTF-8).
 * Returns a description such as "U+0000", or null when the text is clean.
 */
export function findUnsafeCharacter(text: string): string | null {
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit <= 0x1f || unit === 0x7f) return `U+${unit.toString(16).toUpperCase().padStart(4, "0")}`;
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = i + 1 < text.length ? text.charCodeAt(i + 1) : 0;
      if (next >= 0xdc00 && next <= 0xdfff) {
        i++;
        continue;
      }
      return "an unpaired surrogate";
    }
    if (unit >= 0xdc00 && unit <= 0xdfff) return "an unpaired surrogate";
  }
  return null;
}

/** The validation message for text with an unsafe character, or null (see findUnsafeCharacter). */
export function unsafeCharacterMessage(text: string, what: string): string | null {
  const found = findUnsafeCharacter(text);
  if (!found) return null;
  return `${what} cannot contain control characters such as line breaks, tabs or NUL (found ${found}).`;
}
