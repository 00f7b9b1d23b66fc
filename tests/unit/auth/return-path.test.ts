import { describe, expect, test } from "vitest";
import { isSameOrigin, safeReturnPath } from "../../../lib/http/return-path";

describe("safeReturnPath", () => {
  // What the browser would make of each: another site.
  test.each([
    ["/\t/evil.example"],
    ["/\n/evil.example"],
    ["/\r\n/evil.example"],
    ["/\\evil.example"],
    ["/\\/evil.example"],
    ["//evil.example"],
    ["///evil.example"],
    ["/.//evil.example"],
    ["/./\t/evil.example"],
    ["/..//evil.example"],
    ["https://evil.example"],
    ["https:evil.example"],
    ["javascript:alert(1)"],
    ["\t/\t/evil.example"],
    [" //evil.example"],
    [""],
    [42],
    [null],
    [undefined],
  ])("%j goes to the fallback", (value) => {
    expect(safeReturnPath(value, "/wallet")).toBe("/wallet");
  });

  // Same-site paths come back as the browser will read them.
  test.each([
    ["/wallet", "/wallet"],
    ["/live/0d4e6f3a-0000-4000-8000-000000000000", "/live/0d4e6f3a-0000-4000-8000-000000000000"],
    ["/recharge?returnTo=/live", "/recharge?returnTo=/live"],
    ["/wallet#budget", "/wallet#budget"],
    ["/%2F%2Fevil.example", "/%2F%2Fevil.example"],
    ["/a/../wallet", "/wallet"],
    ["/caf\u00e9", "/caf%C3%A9"],
  ])("%j is followed as %j", (value, expected) => {
    expect(safeReturnPath(value, "/wallet")).toBe(expected);
  });

  test("whatever it returns, a browser resolves it on this site", () => {
    const hostile = ["/\t/x", "/\\x", "/.//x", "/%09/x", "/%5C/x", "/%2e%2e//x", "/.%2e//x"];
    for (const value of hostile) {
      const path = safeReturnPath(value, "/");
      expect(new URL(path, "https://coins.example").origin, value).toBe("https://coins.example");
    }
  });
});

describe("isSameOrigin", () => {
  test.each([
    ["/wallet", true],
    ["http://localhost:3000/wallet", true],
    ["http://localhost:3001/wallet", false],
    ["//evil.example", false],
    ["/\t/evil.example", false],
    ["https://evil.example", false],
  ])("%j on http://localhost:3000: %s", (url, expected) => {
    expect(isSameOrigin(url as string, "http://localhost:3000")).toBe(expected);
  });
});
