import { describeDatabaseError, isTransientDatabaseError } from "@/lib/db/errors";
import { getLedger } from "@/lib/ledger";
import { getLiveBus } from "@/lib/live/bus";
import { listLiveEvents } from "@/lib/live/events";
import { parseEventId } from "@/lib/live/input";
import { isUuid } from "@/lib/validation/input";
import { clientAddress } from "@/lib/http/address";
import { getSseConnectionLimiter, openLiveEventStream } from "@/lib/live/sse";
import { getStream } from "@/lib/live/streams";

export const dynamic = "force-dynamic";

/**
 * Server-Sent Events for one stream (protocol: lib/live/sse.ts). Events carry
 * their live_events id; a client that reconnects sends Last-Event-ID (or
 * ?after= on first connect) and first receives what it missed, then live
 * events, each exactly once and in order. Each client address holds a limited
 * number of connections on this instance.
 */
export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  if (!isUuid(id)) return Response.json({ error: "The stream id is not a valid id." }, { status: 400 });
  const header = parseEventId(request.headers.get("last-event-id"), "Last-Event-ID");
  if (!header.ok) return Response.json({ error: header.message }, { status: 400 });
  const after = parseEventId(new URL(request.url).searchParams.get("after"), "after");
  if (!after.ok) return Response.json({ error: after.message }, { status: 400 });

  let stream: Awaited<ReturnType<typeof getStream>>;
  try {
    stream = await getStream(id);
  } catch (error) {
    if (!isTransientDatabaseError(error)) throw error;
    // The browser reconnects after Retry-After with its Last-Event-ID.
    console.error(`Live events: stream ${id}: database unavailable: ${describeDatabaseError(error)}`);
    return Response.json({ error: "The LIVE is busy right now. Reconnecting in a moment." }, { status: 503, headers: { "Retry-After": "1" } });
  }
  if (!stream) return Response.json({ error: "This stream does not exist." }, { status: 404 });

  const bus = getLiveBus();
  const slot = getSseConnectionLimiter().acquire(clientAddress(request.headers));
  if (!slot.ok) {
    return Response.json(
      { error: slot.reason === "CLIENT" ? "Too many live connections from this address. Close another tab and try again." : "This server is full. Try again in a moment." },
      { status: slot.reason === "CLIENT" ? 429 : 503, headers: { "Retry-After": "5" } },
    );
  }
  const body = openLiveEventStream({
    streamId: id,
    resumeFrom: header.value ?? after.value,
    bus,
    replay: (afterId, limit) => listLiveEvents(getLedger().pool, id, afterId, limit),
    signal: request.signal,
    onClose: slot.release,
    onError: (error) => console.error(`Live events: could not open the event stream of ${id}:`, error),
  });

  return new Response(body, {
    headers: {
      "Content-Type": "text/event-stream; charset=utf-8",
      "Cache-Control": "no-cache, no-transform",
      Connection: "keep-alive",
      "X-Accel-Buffering": "no",
    },
  });
}
