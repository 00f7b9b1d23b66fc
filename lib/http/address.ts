// Who is calling, as far as this instance can tell (per-address limits on live
// connections and on sign-in failures).

/**
 * The client's address as this instance sees it: the first hop of
 * X-Forwarded-For (Next's server sets it to the socket's address when the
 * request has none; a proxy in front puts the client it saw first). A client
 * talking to the app directly can claim any first hop, which is why the
 * per-instance total also holds.
 */
export function clientAddress(headers: { get(name: string): string | null }): string {
  const first = headers.get("x-forwarded-for")?.split(",")[0]?.trim();
  return first ? first.slice(0, 64) : "unknown";
}
