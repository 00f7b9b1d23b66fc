// The Auth.js route handler (/api/auth/*) behind a check of what Auth.js
// itself treats as a server misconfiguration: a callbackUrl query parameter or
// callback-url cookie that is not an http(s) URL makes Auth.js answer 500
// ("There was a problem with the server configuration"). It is the client's
// mistake, so it is refused here with a 400 JSON error before Auth.js sees it.
import "server-only";
import type { NextRequest } from "next/server";
import { handlers } from "./config";
import { jsonError } from "../http/json";

const CALLBACK_COOKIES = ["authjs.callback-url", "__Secure-authjs.callback-url"];

/** Auth.js's own rule for a callback URL: absolute http(s), or a path on this origin. */
function isHttpUrl(value: string, origin: string): boolean {
  try {
    return /^https?:$/.test(new URL(value, value.startsWith("/") ? origin : undefined).protocol);
  } catch {
    return false;
  }
}

function cookieValues(header: string | null, names: string[]): string[] {
  if (!header) return [];
  return header.split(";").flatMap((part) => {
    const eq = part.indexOf("=");
    if (eq < 0 || !names.includes(part.slice(0, eq).trim())) return [];
    const raw = part.slice(eq + 1).trim();
    try {
      return [decodeURIComponent(raw)];
    } catch {
      return [raw];
    }
  });
}

/** The reason `request` would make Auth.js fail as misconfigured, or null. */
export function badCallbackUrl(request: Request): string | null {
  const url = new URL(request.url);
  const param = url.searchParams.get("callbackUrl");
  if (param && !isHttpUrl(param, url.origin)) return "callbackUrl must be a path on this site or an http(s) URL.";
  for (const value of cookieValues(request.headers.get("cookie"), CALLBACK_COOKIES)) {
    if (value && !isHttpUrl(value, url.origin)) return "The callback-url cookie is not a URL. Clear this site's cookies and sign in again.";
  }
  return null;
}

function guarded(handler: (request: NextRequest) => Promise<Response>) {
  return async (request: NextRequest): Promise<Response> => {
    const bad = badCallbackUrl(request);
    if (bad) return jsonError(400, "INVALID_CALLBACK_URL", bad);
    return handler(request);
  };
}

export const GET = guarded(handlers.GET);
export const POST = guarded(handlers.POST);
