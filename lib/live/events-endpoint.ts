import "server-only";
import { sessionUserId } from "../auth/session-token";
import { describeDatabaseError, isTransientDatabaseError } from "../db/errors";
import { clientAddress } from "../http/address";
import type { HttpReply, HttpRequest } from "../http/json";
import { getLedger } from "../ledger";
import { isUuid } from "../validation/input";
import { getLiveBus } from "./bus";
import { listLiveEvents } from "./events";
import { currentMatchOf } from "./match";
import { parseEventId } from "./input";
import { getSseConnectionLimiter, openLiveEventStream } from "./sse";
import { getStreamStatus } from "./stream-status";

const refusal = (status: number, error: string, headers?: Record<string, string>): HttpReply => ({ status, json: { error }, headers });

/**
 * GET /api/streams/<id>/events: Server-Sent Events for one stream (protocol:
 * lib/live/sse.ts). Events carry their live_events id; a client that
 * reconnects sends Last-Event-ID (or ?after= on first connect) and first
 * receives what it missed, then live events, each exactly once and in order.
 * Each client address holds a limited number of connections on this instance.
 * Served by node:http and by Next's route handler alike.
 */
export async function answerLiveEvents(request: HttpRequest, id: string): Promise<HttpReply> {
  if (!isUuid(id)) return refusal(400, "The stream id is not a valid id.");
  const header = parseEventId(request.headers.get("last-event-id"), "Last-Event-ID");
  if (!header.ok) return refusal(400, header.message);
  const after = parseEventId(request.url.searchParams.get("after"), "after");
  if (!after.ok) return refusal(400, after.message);

  // Only whether the stream exists: the status the gift path reads too, from memory (one query for a burst of reconnects).
  let stream: Awaited<ReturnType<typeof getStreamStatus>>;
  let viewerId: string | null;
  try {
    [stream, viewerId] = await Promise.all([getStreamStatus(id), sessionUserId(request)]);
  } catch (error) {
    if (!isTransientDatabaseError(error)) throw error;
    // The browser reconnects after Retry-After with its Last-Event-ID.
    console.error(`Live events: stream ${id}: database unavailable: ${describeDatabaseError(error)}`);
    return refusal(503, "The LIVE is busy right now. Reconnecting in a moment.", { "Retry-After": "1" });
  }
  if (!stream) return refusal(404, "This stream does not exist.");

  const bus = getLiveBus();
  const slot = getSseConnectionLimiter().acquire(clientAddress(request.headers));
  if (!slot.ok) {
    return slot.reason === "CLIENT"
      ? refusal(429, "Too many live connections from this address. Close another tab and try again.", { "Retry-After": "5" })
      : refusal(503, "This server is full. Try again in a moment.", { "Retry-After": "5" });
  }
  const body = openLiveEventStream({
    streamId: id,
    // Listed as watching (live_watchers): a signed-in viewer, by the id their session names.
    userId: viewerId && isUuid(viewerId) ? viewerId : null,
    resumeFrom: header.value ?? after.value,
    bus,
    replay: (afterId, limit) => listLiveEvents(getLedger().pool, id, afterId, limit),
    matchSnapshot: () => currentMatchOf(id),
    signal: request.signal,
    onClose: slot.release,
    onError: (error) => console.error(`Live events: could not open the event stream of ${id}:`, error),
  });
  return {
    status: 200,
    stream: body,
    headers: {
      "Content-Type": "text/event-stream; charset=utf-8",
      "Cache-Control": "no-cache, no-transform",
      Connection: "keep-alive",
      "X-Accel-Buffering": "no",
    },
  };
}
