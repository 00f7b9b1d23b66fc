// The withdrawal amount as typed, for the form in the browser and the server
// alike. No zod here: the browser bundle imports this, and zod probes for eval
// when it builds a schema, which a strict CSP reports as a violation.
import { DIAMOND_MINOR_PER_DIAMOND } from "../economy";

/** "1,234.5" → 1234500n milli-diamonds; null when it is not a plain non-negative number with ≤ 3 decimals. */
export function parseDiamonds(text: string): bigint | null {
  const value = text.trim().replace(/,/g, "");
  const match = /^(\d{1,12})(?:\.(\d{1,3}))?$/.exec(value);
  if (!match) return null;
  return BigInt(match[1]!) * DIAMOND_MINOR_PER_DIAMOND + BigInt((match[2] ?? "").padEnd(3, "0"));
}
