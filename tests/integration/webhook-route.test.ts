// The payment webhook route handler called with Web Requests as Next calls it:
// a large body is refused while it is being read (the handler never waits for
// the rest of it), and every refusal is a JSON error that writes nothing.
import { describe, expect, test } from "vitest";
import { POST } from "../../app/api/payments/webhook/route";
import { WEBHOOK_MAX_BYTES } from "../../lib/payments/webhooks";
import { snapshot } from "./db-snapshot";

/** A body that sends `bytes` and then never ends (a client trickling or stalling the rest). */
function endlessBody(bytes: number): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      controller.enqueue(new TextEncoder().encode("x".repeat(bytes)));
      // never closed
    },
  });
}

const request = (body: BodyInit, headers: Record<string, string> = {}) =>
  new Request("http://localhost/api/payments/webhook", {
    method: "POST",
    body,
    headers: { "Content-Type": "application/json", ...headers },
    duplex: "half",
  } as RequestInit);

describe("POST /api/payments/webhook", () => {
  test("a body past the cap without a length is refused while reading (413), without waiting for its end", async () => {
    const before = await snapshot();
    const started = Date.now();
    const reply = await Promise.race([
      POST(request(endlessBody(WEBHOOK_MAX_BYTES + 1))),
      new Promise<"waiting">((resolve) => setTimeout(() => resolve("waiting"), 3_000)),
    ]);
    expect(reply, "the handler is still waiting for the end of the body").not.toBe("waiting");
    const response = reply as Response;
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ ok: false, code: "TOO_LARGE", error: expect.stringContaining(String(WEBHOOK_MAX_BYTES)) });
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(await snapshot()).toEqual(before);
  });

  test("a declared length past the cap is refused before reading", async () => {
    const response = await POST(request(endlessBody(10), { "Content-Length": String(WEBHOOK_MAX_BYTES * 100) }));
    expect(response.status).toBe(413);
  });

  test.each([
    ["no signature", "{}", {}, 400],
    ["a bad signature", "{}", { "x-provider-signature": "t=1,v1=00" }, 400],
  ])("%s: a 4xx with a JSON error", async (_label, body, headers, status) => {
    const before = await snapshot();
    const response = await POST(request(body, headers));
    expect(response.status).toBe(status);
    expect(await response.json()).toMatchObject({ ok: false, code: expect.any(String), error: expect.stringMatching(/signature/i) });
    expect(await snapshot()).toEqual(before);
  });
});
