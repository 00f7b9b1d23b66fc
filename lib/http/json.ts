// JSON request and response helpers for route handlers: bodies are read with a
// size cap, and every refusal is a 4xx with a JSON body `{ ok: false, code, error }`.
import "server-only";

export interface ErrorBody {
  ok: false;
  code: string;
  /** For people: what went wrong and what to do. */
  error: string;
}

export function jsonError(status: number, code: string, error: string, headers?: HeadersInit): Response {
  return Response.json({ ok: false, code, error } satisfies ErrorBody, { status, headers });
}

export type JsonBody = { ok: true; value: unknown } | { ok: false; response: Response };
export type TextBody = { ok: true; value: string } | { ok: false; response: Response };

const tooLarge = (maxBytes: number) => jsonError(413, "TOO_LARGE", `The request body is limited to ${maxBytes} bytes.`);

/**
 * The request's body as UTF-8 text, refused (413) as soon as it passes
 * `maxBytes`: a declared Content-Length over the cap is refused before reading,
 * and a body without one (chunked) is read only up to the cap, never whole.
 */
export async function readTextBody(request: Request, maxBytes: number): Promise<TextBody> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > maxBytes) return { ok: false, response: tooLarge(maxBytes) };
  const text = await readCapped(request, maxBytes);
  if (text === null) return { ok: false, response: tooLarge(maxBytes) };
  return { ok: true, value: text };
}

/** The request's JSON body, refused when it is not JSON or longer than `maxBytes`. */
export async function readJsonBody(request: Request, maxBytes = 4096): Promise<JsonBody> {
  const type = request.headers.get("content-type") ?? "";
  if (!/^application\/json\b/i.test(type)) {
    return { ok: false, response: jsonError(415, "UNSUPPORTED_MEDIA_TYPE", "Send the request as application/json.") };
  }
  const text = await readTextBody(request, maxBytes);
  if (!text.ok) return text;
  try {
    return { ok: true, value: JSON.parse(text.value) };
  } catch {
    return { ok: false, response: jsonError(400, "INVALID_JSON", "The request body is not valid JSON.") };
  }
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
export function isCrossSite(request: Request): boolean {
  const origin = request.headers.get("origin");
  if (!origin) return false;
  const host = request.headers.get("x-forwarded-host") ?? request.headers.get("host");
  try {
    return new URL(origin).host !== host;
  } catch {
    return true;
  }
}
