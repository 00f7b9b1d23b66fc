import { describe, expect, test } from "vitest";
import { newNonce, pageCsp, servedOverHttps } from "../../../lib/http/security-headers";

describe("page CSP", () => {
  test("scripts need the nonce; no 'unsafe-inline' or 'unsafe-eval' for scripts in production", () => {
    const csp = pageCsp("abc123==");
    const script = csp.split("; ").find((d) => d.startsWith("script-src"))!;
    expect(script).toBe("script-src 'self' 'nonce-abc123==' 'strict-dynamic'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).not.toContain("upgrade-insecure-requests");
    expect(pageCsp("n", { dev: true })).toContain("'unsafe-eval'");
    expect(pageCsp("n", { https: true })).toContain("upgrade-insecure-requests");
  });

  test("nonces are fresh and base64", () => {
    const seen = new Set(Array.from({ length: 100 }, () => newNonce()));
    expect(seen.size).toBe(100);
    for (const nonce of seen) expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
  });
});

describe("servedOverHttps", () => {
  test.each([
    ["https", "http:", undefined, true],
    ["https, http", "http:", undefined, true],
    ["HTTPS", "http:", undefined, true],
    ["http", "http:", undefined, false],
    [null, "http:", undefined, false],
    [null, "https:", undefined, true],
    [null, "http:", "https://coins.example", true],
    [null, "http:", "http://localhost:3000", false],
  ])("x-forwarded-proto %j, request %s, AUTH_URL %j → %s", (proto, protocol, authUrl, expected) => {
    expect(servedOverHttps(proto, protocol, authUrl)).toBe(expected);
  });
});
