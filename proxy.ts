// Runs before every page (not /api/*, not static files: see `config.matcher`):
// a fresh CSP nonce per request, given to Next in the request's
// Content-Security-Policy header (Next puts it on its own scripts) and as
// `x-nonce`, and sent to the browser in the response's policy; HSTS when the
// site is served over HTTPS. JSON routes, the gift route among them, skip this
// entirely, so the hot path pays nothing for it.
import { NextResponse, type NextRequest } from "next/server";
import { setting } from "@/lib/env";
import { HSTS, newNonce, pageCsp, servedOverHttps } from "@/lib/http/security-headers";

export function proxy(request: NextRequest) {
  const nonce = newNonce();
  const https = servedOverHttps(request.headers.get("x-forwarded-proto"), request.nextUrl.protocol, setting("AUTH_URL"));
  const csp = pageCsp(nonce, { dev: process.env.NODE_ENV === "development", https });
  const headers = new Headers(request.headers);
  headers.set("x-nonce", nonce);
  headers.set("Content-Security-Policy", csp);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("Content-Security-Policy", csp);
  if (https) response.headers.set("Strict-Transport-Security", HSTS);
  return response;
}

export const config = {
  matcher: [
    {
      // Everything but /api/*, Next's static files and the files in public/ (they have an extension).
      source: "/((?!api(?:/|$)|_next/static|_next/image|favicon\\.ico|.*\\.(?:svg|png|jpg|jpeg|webp|gif|ico|mp4|webm|vtt|txt|xml|json|map)$).*)",
      // Link prefetches carry no HTML document: no policy needed.
      missing: [
        { type: "header", key: "next-router-prefetch" },
        { type: "header", key: "purpose", value: "prefetch" },
      ],
    },
  ],
};
