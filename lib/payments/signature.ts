/**
 * Webhook signatures in the style of real payment providers.
 *
 * Header format: `t=<unix seconds>,v1=<hex HMAC-SHA256>` where the MAC is computed with the
 * shared secret over `${t}.${body}`. Several `v1=` entries may be present (e.g. while a
 * secret is being rotated); the header verifies when any of them matches. Entries with other
 * keys (future schemes) are ignored.
 *
 * The body is hashed as UTF-8, so always sign and verify the exact raw request text (e.g. from
 * `await request.text()`), never a re-serialised object.
 *
 * Pure: no I/O and no clock — the current time is passed in as seconds.
 */
import { createHmac, timingSafeEqual } from "node:crypto";

/** Default accepted distance between the signed timestamp and now, in seconds. */
export const DEFAULT_SIGNATURE_TOLERANCE_SECONDS = 300;

/** Why a signature was rejected. */
export type SignatureFailureReason = "missing" | "malformed" | "mismatch" | "expired";

/** Result of {@link verifySignature}. */
export type SignatureVerification = { readonly ok: true } | { readonly ok: false; readonly reason: SignatureFailureReason };

function assertSecret(secret: string): void {
  if (secret.length === 0) throw new RangeError("Webhook signing secret must not be empty");
}

function computeMac(timestamp: string, body: string, secret: string): Buffer {
  return createHmac("sha256", secret).update(`${timestamp}.${body}`, "utf8").digest();
}

/**
 * Signs a webhook body: returns the header value `t=<ts>,v1=<hex>`.
 * Throws `RangeError` for an empty secret or a timestamp that is not a non-negative safe integer.
 */
export function signPayload(body: string, secret: string, timestampSeconds: number): string {
  assertSecret(secret);
  if (!Number.isSafeInteger(timestampSeconds) || timestampSeconds < 0) {
    throw new RangeError(`timestampSeconds must be a non-negative integer, got ${timestampSeconds}`);
  }
  const timestamp = String(timestampSeconds);
  return `t=${timestamp},v1=${computeMac(timestamp, body, secret).toString("hex")}`;
}

type ParsedHeader = { readonly timestamp: string; readonly seconds: number; readonly signatures: readonly Buffer[] };

function parseHeader(header: string): ParsedHeader | null {
  let timestamp: string | null = null;
  const signatures: Buffer[] = [];
  for (const part of header.split(",")) {
    const separator = part.indexOf("=");
    if (separator <= 0) return null;
    const key = part.slice(0, separator).trim();
    const value = part.slice(separator + 1).trim();
    if (key === "t") {
      if (timestamp !== null || !/^\d{1,15}$/.test(value)) return null;
      timestamp = value;
    } else if (key === "v1") {
      if (value.length === 0 || value.length % 2 !== 0 || !/^[0-9a-fA-F]+$/.test(value)) return null;
      signatures.push(Buffer.from(value, "hex"));
    }
  }
  if (timestamp === null || signatures.length === 0) return null;
  return { timestamp, seconds: Number(timestamp), signatures };
}

/**
 * Verifies a webhook signature header against the raw body.
 *
 * - `missing`: no header (null, undefined or blank);
 * - `malformed`: not `t=<digits>` plus at least one `v1=<hex>`;
 * - `mismatch`: no `v1` matches the MAC of `${t}.${body}` (compared in constant time);
 * - `expired`: the signature is authentic but `t` is more than `toleranceSeconds` away from
 *   `nowSeconds` (in either direction), so a captured delivery cannot be replayed later.
 */
export function verifySignature(
  body: string,
  header: string | null | undefined,
  secret: string,
  nowSeconds: number,
  toleranceSeconds: number = DEFAULT_SIGNATURE_TOLERANCE_SECONDS,
): SignatureVerification {
  assertSecret(secret);
  if (!Number.isFinite(nowSeconds)) throw new RangeError(`nowSeconds must be finite, got ${nowSeconds}`);
  if (!Number.isFinite(toleranceSeconds) || toleranceSeconds < 0) {
    throw new RangeError(`toleranceSeconds must be a non-negative number, got ${toleranceSeconds}`);
  }
  if (header === null || header === undefined || header.trim() === "") return { ok: false, reason: "missing" };

  const parsed = parseHeader(header);
  if (!parsed) return { ok: false, reason: "malformed" };

  const expected = computeMac(parsed.timestamp, body, secret);
  // Compare every candidate (no early exit) so timing does not reveal which one matched.
  let matched = false;
  for (const candidate of parsed.signatures) {
    if (candidate.length === expected.length && timingSafeEqual(candidate, expected)) matched = true;
  }
  if (!matched) return { ok: false, reason: "mismatch" };

  if (Math.abs(nowSeconds - parsed.seconds) > toleranceSeconds) return { ok: false, reason: "expired" };
  return { ok: true };
}
