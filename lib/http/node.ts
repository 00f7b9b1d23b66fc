// node:http ends of the routes' transport-neutral HttpRequest/HttpReply
// (lib/http/json.ts): what the hot routes (lib/http/hot-routes.ts) read and write.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { HttpReply, HttpRequest } from "./json";
import { API_CSP, STATIC_HEADERS } from "./security-headers";

/**
 * The node request as the routes see it. As Next's server does, a request
 * without X-Forwarded-For gets the socket's address there, so per-address
 * limits (lib/http/address.ts) see each client, not one "unknown" for all.
 */
export function fromNodeRequest(req: IncomingMessage, res: ServerResponse): HttpRequest {
  const aborted = new AbortController();
  res.once("close", () => aborted.abort());
  return {
    headers: {
      get(name) {
        const key = name.toLowerCase();
        const value = req.headers[key];
        if (value === undefined) return key === "x-forwarded-for" ? (req.socket.remoteAddress ?? null) : null;
        return Array.isArray(value) ? value.join(", ") : value;
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

export async function writeReply(res: ServerResponse, reply: HttpReply): Promise<void> {
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
