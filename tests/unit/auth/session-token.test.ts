import { encode } from "next-auth/jwt";
import { beforeAll, describe, expect, test } from "vitest";
import { sessionUserId } from "@/lib/auth/session-token";

const SECRET = "unit-test-secret-0123456789abcdefghijklmnop";
const NAME = "authjs.session-token";

beforeAll(() => {
  process.env.AUTH_SECRET = SECRET;
});

function requestWith(cookie: string): Request {
  return new Request("http://localhost/api/streams/x/gifts", { method: "POST", headers: { cookie } });
}

async function token(claims: Record<string, unknown>, { secret = SECRET, maxAge = 3600 } = {}) {
  return encode({ token: claims, secret, salt: NAME, maxAge });
}

describe("the session cookie on the gift path", () => {
  test("a token Auth.js made names its user", async () => {
    const value = await token({ sub: "user-1", role: "VIEWER" });
    expect(await sessionUserId(requestWith(`other=1; ${NAME}=${value}`))).toBe("user-1");
  });

  test("a cookie split into chunks is joined", async () => {
    const value = await token({ sub: "user-2" });
    const half = Math.floor(value.length / 2);
    expect(await sessionUserId(requestWith(`${NAME}.0=${value.slice(0, half)}; ${NAME}.1=${value.slice(half)}`))).toBe("user-2");
  });

  test.each([
    ["no cookie", ""],
    ["another site's cookie", "session=abc"],
    ["garbage", `${NAME}=not-a-token`],
  ])("%s: not signed in", async (_label, cookie) => {
    expect(await sessionUserId(requestWith(cookie))).toBeNull();
  });

  test("a token made with another secret, or one that has expired, is refused", async () => {
    expect(await sessionUserId(requestWith(`${NAME}=${await token({ sub: "x" }, { secret: "another-secret-0123456789abcdefghijklmn" })}`))).toBeNull();
    const expired = await token({ sub: "y" }, { maxAge: 1 });
    expect(await sessionUserId(requestWith(`${NAME}=${expired}`), Date.now() + 5_000)).toBeNull();
  });

  test("a cached token expires with the token, not later", async () => {
    const value = await token({ sub: "user-3" }, { maxAge: 2 });
    const now = Date.now();
    expect(await sessionUserId(requestWith(`${NAME}=${value}`), now)).toBe("user-3");
    expect(await sessionUserId(requestWith(`${NAME}=${value}`), now + 1_000)).toBe("user-3");
    expect(await sessionUserId(requestWith(`${NAME}=${value}`), now + 3_000)).toBeNull();
  });
});
