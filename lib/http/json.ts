// JSON request and response helpers for routes: bodies are read with a size
// cap, and every refusal is a 4xx with a JSON body `{ ok: false, code, error }`.
// The hot routes are served both by Next's route handlers and by node:http
// (lib/http/hot-routes.ts, decision 015), so their logic works on HttpRequest
// and answers an HttpReply; fromFetchRequest/toResponse adapt them to Next.
import "server-only";

export interface ErrorBody {
  ok: false;
  code: string;
  /** For people: what went wrong and what to do. */
  error: string;
}

export interface HeaderGetter {
  get(name: string): string | null;
}

/** What a route needs of a request, whichever server received it. */
export interface HttpRequest {
  headers: HeaderGetter;
  url: URL;
  /** Aborted when the client goes away. */
  signal: AbortSignal;
  /** The body as UTF-8 text, or null as soon as it passes `maxBytes` (the rest is not read). */
  text(maxBytes: number): Promise<string | null>;
}

/** A route's answer: a JSON body, or a stream of bytes (Server-Sent Events). */
export interface HttpReply {
  status: number;
  headers?: Record<string, string>;
  json?: unknown;
  stream?: ReadableStream<Uint8Array>;
}

export function errorReply(status: number, code: string, error: string, headers?: Record<string, string>): HttpReply {
  return { status, headers, json: { ok: false, code, error } satisfies ErrorBody };
}

export function toResponse(reply: HttpReply): Response {
  if (reply.stream) return new Response(reply.stream, { status: reply.status, headers: reply.headers });
  return Response.json(reply.json ?? null, { status: reply.status, headers: reply.headers });
}

export function jsonError(status: number, code: string, error: string, headers?: Record<string, string>): Response {
  return toResponse(errorReply(status, code, error, headers));
}

export function fromFetchRequest(request: Request): HttpRequest {
  return { headers: request.headers, url: new URL(request.url), signal: request.signal, text: (maxBytes) => readCapped(request, maxBytes) };
}

const tooLarge = (maxBytes: number) => errorReply(413, "TOO_LARGE", `The request body is limited to ${maxBytes} bytes.`);

export type TextResult = { ok: true; value: string } | { ok: false; reply: HttpReply };
export type JsonResult = { ok: true; value: unknown } | { ok: false; reply: HttpReply };

/**
 * The body as UTF-8 text, refused (413) as soon as it passes `maxBytes`: a
 * declared Content-Length over the cap is refused before reading, and a body
 * without one (chunked) is read only up to the cap, never whole.
 */
export async function readText(request: HttpRequest, maxBytes: number): Promise<TextResult> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > maxBytes) return { ok: false, reply: tooLarge(maxBytes) };
  const text = await request.text(maxBytes);
  if (text === null) return { ok: false, reply: tooLarge(maxBytes) };
  return { ok: true, value: text };
}

/** The JSON body, refused when it is not JSON or longer than `maxBytes`. */
export async function readJson(request: HttpRequest, maxBytes = 4096): Promise<JsonResult> {
  const type = request.headers.get("content-type") ?? "";
  if (!/^application\/json\b/i.test(type)) return { ok: false, reply: errorReply(415, "UNSUPPORTED_MEDIA_TYPE", "Send the request as application/json.") };
  const text = await readText(request, maxBytes);
  if (!text.ok) return text;
  try {
    return { ok: true, value: JSON.parse(text.value) };
  } catch {
    return { ok: false, reply: errorReply(400, "INVALID_JSON", "The request body is not valid JSON.") };
  }
}

export type TextBody = { ok: true; value: string } | { ok: false; response: Response };

/** readText for a route handler's Request. */
export async function readTextBody(request: Request, maxBytes: number): Promise<TextBody> {
  const result = await readText(fromFetchRequest(request), maxBytes);
  return result.ok ? result : { ok: false, response: toResponse(result.reply) };
}

async function readCapped(request: Request, maxBytes: number): Promise<string | null> {
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  return new TextDecoder().decode(Buffer.concat(chunks));
}

/**
 * Cookie-authenticated writes must come from this site: a browser always sends
 * Origin on a cross-site POST, so one naming another host is refused.
 */
export function isCrossSite(request: { headers: HeaderGetter }): boolean {
  const origin = request.headers.get("origin");
  if (!origin) return false;
  const host = request.headers.get("x-forwarded-host") ?? request.headers.get("host");
  try {
    return new URL(origin).host !== host;
  } catch {
    return true;
  }
}
