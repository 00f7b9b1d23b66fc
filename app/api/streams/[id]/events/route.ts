import { getLedger } from "@/lib/ledger";
import { getLiveBus } from "@/lib/live/bus";
import { listLiveEvents, type LiveEvent } from "@/lib/live/events";
import { getStream } from "@/lib/live/streams";

export const dynamic = "force-dynamic";

const encoder = new TextEncoder();
const VIEWER_TICK_MS = 2_000;

// The bus hands every connection the same event objects, in the same batch
// arrays: encode each once, not once per viewer (a stream with thousands of
// viewers would otherwise serialise every gift thousands of times).
const frames = new WeakMap<LiveEvent, Uint8Array>();
const batchFrames = new WeakMap<readonly LiveEvent[], Uint8Array>();

function frame(event: LiveEvent): Uint8Array {
  let bytes = frames.get(event);
  if (!bytes) {
    bytes = encoder.encode(`id: ${event.id}\nevent: ${event.kind}\ndata: ${JSON.stringify(event)}\n\n`);
    frames.set(event, bytes);
  }
  return bytes;
}

/** A batch's frames as one chunk: one socket write per connection per batch. */
function batchFrame(events: readonly LiveEvent[]): Uint8Array {
  let bytes = batchFrames.get(events);
  if (!bytes) {
    const parts = events.map(frame);
    bytes = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let offset = 0;
    for (const part of parts) {
      bytes.set(part, offset);
      offset += part.length;
    }
    batchFrames.set(events, bytes);
  }
  return bytes;
}

/**
 * Server-Sent Events for one stream. Events carry their live_events id; a client
 * that reconnects sends Last-Event-ID (or ?after= on first connect) and first
 * receives what it missed, then live events, each exactly once and in order.
 */
export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const stream = await getStream(id);
  if (!stream) return Response.json({ error: "This stream does not exist." }, { status: 404 });
  const resumeFrom = request.headers.get("last-event-id") ?? new URL(request.url).searchParams.get("after");
  if (resumeFrom !== null && !/^\d{1,19}$/.test(resumeFrom)) {
    return Response.json({ error: "Last-Event-ID must be an event id." }, { status: 400 });
  }
  const bus = getLiveBus();
  let cleanup = () => {};

  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      let lastSent = resumeFrom === null ? null : BigInt(resumeFrom);
      let replaying = true;
      const buffered: LiveEvent[] = [];
      let open = true;
      const enqueue = (chunk: Uint8Array) => {
        if (!open) return;
        try {
          controller.enqueue(chunk);
        } catch {
          open = false;
        }
      };
      const send = (event: LiveEvent) => {
        const id = BigInt(event.id);
        if (lastSent !== null && id <= lastSent) return;
        lastSent = id;
        enqueue(frame(event));
      };
      // A batch holds one stream's events in commit (= id) order: when it is all
      // new to this connection it goes out as one shared chunk.
      const sendBatch = (events: readonly LiveEvent[]) => {
        const first = events[0];
        const last = events.at(-1);
        if (!first || !last) return;
        if (lastSent !== null && BigInt(first.id) <= lastSent) return events.forEach(send);
        lastSent = BigInt(last.id);
        enqueue(batchFrame(events));
      };
      // If this instance loses its LISTEN connection, events could be missed
      // silently: end the stream instead; the browser reconnects with
      // Last-Event-ID and gets the gap from the table.
      const unsubscribe = await bus.subscribeBatches(
        id,
        (events) => (replaying ? buffered.push(...events) : sendBatch(events)),
        () => {
          cleanup();
          try {
            controller.close();
          } catch {
            // already closed
          }
        },
      );
      const leave = bus.join(id);
      enqueue(encoder.encode("retry: 1500\n\n"));
      if (lastSent !== null) {
        for (const event of await listLiveEvents(getLedger().pool, id, String(lastSent), 5_000)) send(event);
      }
      replaying = false;
      buffered.splice(0).forEach(send);

      // Viewers across all instances (the bus's presence heartbeat also
      // records the stream's peak).
      const tick = () => enqueue(encoder.encode(`event: viewers\ndata: {"viewers":${bus.viewers(id)}}\n\n`));
      tick();
      const timer = setInterval(tick, VIEWER_TICK_MS);
      cleanup = () => {
        open = false;
        clearInterval(timer);
        unsubscribe();
        leave();
      };
      request.signal.addEventListener("abort", () => {
        cleanup();
        try {
          controller.close();
        } catch {
          // already closed
        }
      });
    },
    cancel() {
      cleanup();
    },
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
