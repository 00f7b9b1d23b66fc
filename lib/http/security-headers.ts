// The Content-Security-Policy and HSTS the app sends with its pages (set per
// request by proxy.ts), and the fixed headers every response carries
// (next.config.ts). Pure: inputs in, header values out.
//
// Scripts run only with this response's nonce ('strict-dynamic' lets those
// scripts load the app's chunks): an injected <script> or inline handler does
// not run. Styles keep 'unsafe-inline': React's style attributes cannot carry a
// nonce, and a style cannot run code.

/** A fresh nonce: 16 random bytes, base64 (a CSP nonce-source). */
export function newNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes));
}

/** The policy for a page rendered with `nonce`. `dev` adds 'unsafe-eval' (React's dev tooling needs it). */
export function pageCsp(nonce: string, { dev = false, https = false }: { dev?: boolean; https?: boolean } = {}): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "media-src 'self' blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(https ? ["upgrade-insecure-requests"] : []),
  ].join("; ");
}

/** For JSON and file responses, which run no script: nothing may load, nobody may frame them. */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'";

/** Two years, subdomains included: sent only over HTTPS (browsers ignore it over HTTP anyway). */
export const HSTS = "max-age=63072000; includeSubDomains";

/**
 * True when the browser reached the app over HTTPS: the proxy in front says so
 * (`x-forwarded-proto: https`), or the request itself is https, or the app's
 * public URL (AUTH_URL) is https.
 */
export function servedOverHttps(forwardedProto: string | null, requestProtocol: string, authUrl: string | undefined): boolean {
  const first = forwardedProto?.split(",")[0]?.trim().toLowerCase();
  return first === "https" || requestProtocol === "https:" || (authUrl?.startsWith("https://") ?? false);
}

/** Headers on every response (pages, API and files alike). */
export const STATIC_HEADERS = [
  { key: "X-Frame-Options", value: "DENY" },
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=(self)" },
];
