// Shared checks on what clients send, before any of it reaches PostgreSQL or a
// library that trusts its input: a malformed id, a number past the bigint
// range, a NUL byte or a value of the wrong type is the client's mistake (a
// 4xx or a validation message), never a database error or a 500. Pure.
import { z } from "zod";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True for a UUID in its usual 8-4-4-4-12 hex form (streams, users, withdrawals). */
export function isUuid(value: unknown): value is string {
  return typeof value === "string" && UUID.test(value);
}

/** The one UUID schema: ids of streams, users and withdrawals as clients send them. */
export const ZUuid = z.string({ error: "An id is text." }).regex(UUID, "That is not a valid id.");

/**
 * The id of a thing (a stream, an account, an invitation…) as a client sent it,
 * refused with `message` ("This stream does not exist."): one that is not a
 * UUID names nothing. The refusal carries the code NOT_FOUND (server actions
 * answer with it, lib/action.ts).
 */
export function idOf(message: string) {
  return z.custom<string>(isUuid, { error: message, params: { code: "NOT_FOUND" } });
}

/**
 * A text schema checked by a rule written as a function returning a result
 * (lib/economy's style): the rule's value, or an issue with its message.
 */
export function checkedText<T>(check: (text: string) => { ok: true; value: T } | { ok: false; message: string }, missing?: string) {
  return z.string(missing === undefined ? undefined : { error: missing }).transform((text, ctx) => {
    const checked = check(text);
    if (checked.ok) return checked.value;
    ctx.addIssue({ code: "custom", message: checked.message });
    return z.NEVER;
  });
}

const CLIENT_KEY = /^[A-Za-z0-9_-]{8,64}$/;

/** True for an idempotency key made by a form or the browser (8–64 of A–Z a–z 0–9 _ -). */
export function isClientKey(value: unknown): value is string {
  return typeof value === "string" && CLIENT_KEY.test(value);
}

/** An idempotency key made per attempt by a form or the browser; a retry sends the same one. */
export const ZClientKey = z.string({ error: "Reload the page and try again." }).regex(CLIENT_KEY, "Reload the page and try again.");

/** Largest PostgreSQL bigint (ids of transfers and live events). */
export const MAX_BIGINT = 9_223_372_036_854_775_807n;

export type ParsedId = { ok: true; value: bigint | null } | { ok: false; message: string };

/**
 * Parses a bigint id sent back by a client (an event id, a page cursor): null,
 * undefined or "" mean none; otherwise decimal digits for a value from 0 up to
 * the largest bigint. Anything else (signs, junk, a list, values past the
 * bigint range) is refused with a message naming `name`.
 */
export function parseBigintId(value: unknown, name: string, what = "id"): ParsedId {
  if (value === null || value === undefined || value === "") return { ok: true, value: null };
  if (typeof value !== "string" || !/^\d{1,19}$/.test(value))
    return { ok: false, message: `${name} must be ${/^[aeiou]/.test(what) ? "an" : "a"} ${what} (a whole number).` };
  const id = BigInt(value);
  if (id > MAX_BIGINT) return { ok: false, message: `${name} is past the largest ${what}.` };
  return { ok: true, value: id };
}

/**
 * The first character of `text` that has no place in a chat line, a title or
 * an id: a control character (U+0000–U+001F, U+007F) or half of a surrogate
 * pair without its other half (not valid Unicode; it cannot be stored as
 * UTF-8). Returns a description such as "U+0000", or null when the text is clean.
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

/** An argument a server action expected as text (a hostile client may send any type): the string, or "". */
export function textArg(value: unknown): string {
  return typeof value === "string" ? value : "";
}

/** textArg as a schema: for arguments the lib call checks itself (its rules, its messages). */
export const ZTextArg = z.unknown().transform(textArg);

/** A text field of a form a server action received (anything but FormData, a missing field or a file gives ""). */
export function formText(form: unknown, name: string): string {
  return formField(form, name) ?? "";
}

/** A text field of a form a server action received, or undefined when there is none (not FormData, missing, a file). */
export function formField(form: unknown, name: string): string | undefined {
  const value = form instanceof FormData ? form.get(name) : null;
  return typeof value === "string" ? value : undefined;
}

/** The text fields `names` of a form a server action received, each as formField reads it. */
export function formFields<N extends string>(form: unknown, names: readonly N[]): Record<N, string | undefined> {
  return Object.fromEntries(names.map((name) => [name, formField(form, name)])) as Record<N, string | undefined>;
}

const EARLIEST = Date.UTC(1970, 0, 1);
const LATEST = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/**
 * A point in time sent back by a client (a page cursor such as ?before=): a
 * date JavaScript can read, from 1970 up to the year 9999 — what PostgreSQL's
 * timestamptz and the app's own links can hold. Anything else is null.
 */
export function parseTimestampParam(value: unknown): Date | null {
  if (typeof value !== "string" || value.length > 40) return null;
  const time = Date.parse(value);
  if (Number.isNaN(time) || time < EARLIEST || time > LATEST) return null;
  return new Date(time);
}
