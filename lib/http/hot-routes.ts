// The two routes a LIVE calls most, answered on node:http by the production
// server (scripts/server.mjs) without Next's request pipeline: a gift tap and
// the live events stream (decision 015). Same functions as their Next route
// handlers (lib/live/gift-endpoint.ts, lib/live/events-endpoint.ts), which
// still answer under `next dev`. instrumentation.ts registers the handler on
// globalThis, so it runs from the app's own bundle.
import "server-only";
import type { IncomingMessage, ServerResponse } from "node:http";
import { answerLiveEvents } from "../live/events-endpoint";
import { answerGiftTaps } from "../live/gift-endpoint";
import type { HttpReply, HttpRequest } from "./json";
import { API_CSP, STATIC_HEADERS } from "./security-headers";

const GIFTS = /^\/api\/streams\/([^/?#]+)\/gifts(?:\?.*)?$/;
const EVENTS = /^\/api\/streams\/([^/?#]+)\/events(?:\?.*)?$/;

/** The node request as the routes see it. */
function fromNodeRequest(req: IncomingMessage, res: ServerResponse): HttpRequest {
  const aborted = new AbortController();
  res.once("close", () => aborted.abort());
  return {
    headers: {
      get(name) {
        const value = req.headers[name.toLowerCase()];
        return value === undefined ? null : Array.isArray(value) ? value.join(", ") : value;
      },
    },
    url: new URL(req.url ?? "/", `http://${req.headers.host ?? "localhost"}`),
    signal: aborted.signal,
    text: (maxBytes) =>
      new Promise((resolve, reject) => {
        const chunks: Buffer[] = [];
        let size = 0;
        const onData = (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxBytes) {
            req.off("data", onData);
            req.resume(); // the rest is dropped unread
            resolve(null);
            return;
          }
          chunks.push(chunk);
        };
        req.on("data", onData);
        req.once("end", () => size <= maxBytes && resolve(new TextDecoder().decode(Buffer.concat(chunks))));
        req.once("error", reject);
      }),
  };
}

// The headers next.config.ts gives Next's own /api/* answers.
const SECURITY_HEADERS: Record<string, string> = { ...Object.fromEntries(STATIC_HEADERS.map((h) => [h.key, h.value])), "Content-Security-Policy": API_CSP };

/** Resolves when the response can take more, or has closed (one listener each, removed after). */
function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off("drain", done);
      res.off("close", done);
      resolve();
    };
    res.on("drain", done);
    res.on("close", done);
  });
}

async function writeReply(res: ServerResponse, reply: HttpReply): Promise<void> {
  if (!reply.stream) {
    const text = JSON.stringify(reply.json ?? null);
    res.writeHead(reply.status, { ...SECURITY_HEADERS, ...reply.headers, "Content-Type": "application/json", "Content-Length": Buffer.byteLength(text) });
    res.end(text);
    return;
  }
  res.writeHead(reply.status, { ...SECURITY_HEADERS, ...reply.headers });
  res.flushHeaders();
  const reader = reply.stream.getReader();
  res.once("close", () => void reader.cancel().catch((error: unknown) => console.error(`Live events: closing a stream failed: ${String(error)}`)));
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    // A slow client: wait for its socket to drain, so the stream's own queue
    // fills and lib/live/sse.ts ends the connection past its limit.
    if (!res.write(value)) await drained(res);
    if (res.destroyed) break;
  }
  res.end();
}

async function serve(req: IncomingMessage, res: ServerResponse, answer: (request: HttpRequest, id: string) => Promise<HttpReply>, id: string) {
  try {
    // The id as sent: a stream id is a UUID, which has nothing to decode (anything else is refused as not one).
    await writeReply(res, await answer(fromNodeRequest(req, res), id));
  } catch (error) {
    console.error(`${req.method} ${req.url}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    if (!res.headersSent) {
      res.writeHead(500, { "Content-Type": "application/json" });
      res.end(JSON.stringify({ ok: false, code: "INTERNAL", error: "Something went wrong on our side. Try again." }));
    } else {
      res.destroy();
    }
  }
}

/** Answers the request and returns true when it is one of the hot routes; false leaves it to Next. */
export function handleHotRoute(req: IncomingMessage, res: ServerResponse): boolean {
  const url = req.url ?? "";
  let match: RegExpExecArray | null;
  if (req.method === "POST" && (match = GIFTS.exec(url))) {
    void serve(req, res, answerGiftTaps, match[1]!);
    return true;
  }
  if (req.method === "GET" && (match = EVENTS.exec(url))) {
    void serve(req, res, answerLiveEvents, match[1]!);
    return true;
  }
  return false;
}

/** For scripts/server.mjs, which runs outside the app's bundle. */
export function registerHotRoutes(): void {
  (globalThis as unknown as { coinEconomyHotRoutes?: typeof handleHotRoute }).coinEconomyHotRoutes = handleHotRoute;
}
