import { describe, expect, test } from "vitest";
import { sendGiftRequest } from "../../../components/live/send-gift";

type Reply = Response | Error;

function fakeServer(replies: Reply[]) {
  const calls: Array<{ url: string; body: unknown }> = [];
  const fetch = (async (url: string, init: RequestInit) => {
    calls.push({ url, body: JSON.parse(String(init.body)) });
    const reply = replies.shift();
    if (!reply) throw new Error("no more replies");
    if (reply instanceof Error) throw reply;
    return reply;
  }) as unknown as typeof globalThis.fetch;
  const waits: number[] = [];
  const sleep = async (ms: number) => {
    waits.push(ms);
  };
  return { calls, waits, options: { fetch, sleep, random: () => 1 } };
}

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
const OK = json(200, { ok: true, balance: "4500", transferId: "123", replayed: false });

describe("sendGiftRequest", () => {
  test("posts the gift and the tap's key, returns the new balance", async () => {
    const server = fakeServer([OK]);
    const result = await sendGiftRequest("s-1", "money-gun", "key-12345678", server.options);
    expect(result).toEqual({ ok: true, balance: 4500n, transferId: "123", replayed: false });
    expect(server.calls).toEqual([{ url: "/api/streams/s-1/gifts", body: { giftId: "money-gun", clientKey: "key-12345678" } }]);
  });

  test("a lost reply or a 503 is retried with the same key, with growing waits", async () => {
    const server = fakeServer([new TypeError("Failed to fetch"), json(503, { ok: false, code: "BUSY", error: "Busy" }), new Response("bad gateway", { status: 502 }), json(200, { ok: true, balance: "4500", transferId: "123", replayed: true })]);
    const result = await sendGiftRequest("s-1", "rose", "key-12345678", server.options);
    expect(result).toMatchObject({ ok: true, replayed: true, balance: 4500n });
    expect(new Set(server.calls.map((c) => (c.body as { clientKey: string }).clientKey))).toEqual(new Set(["key-12345678"]));
    expect(server.waits).toEqual([500, 1_000, 2_000]);
  });

  test("gives up after the last attempt and says why", async () => {
    const cause = new TypeError("Failed to fetch");
    const server = fakeServer([cause, cause, cause, cause]);
    const result = await sendGiftRequest("s-1", "rose", "key-12345678", server.options);
    expect(result).toMatchObject({ ok: false, code: "NETWORK", cause });
    expect(server.calls).toHaveLength(4);
  });

  test.each([
    [402, "INSUFFICIENT_COINS"],
    [409, "ENDED"],
    [429, "RATE_LIMITED"],
    [401, "UNAUTHENTICATED"],
  ])("a %i refusal (%s) is returned at once with its message", async (status, code) => {
    const server = fakeServer([json(status, { ok: false, code, error: `Refused: ${code}` })]);
    expect(await sendGiftRequest("s-1", "rose", "key-12345678", server.options)).toEqual({ ok: false, code, message: `Refused: ${code}` });
    expect(server.calls).toHaveLength(1);
  });

  test("a 500 is a bug: not retried, reported with its cause", async () => {
    const server = fakeServer([new Response("Internal Server Error", { status: 500 })]);
    const result = await sendGiftRequest("s-1", "rose", "key-12345678", server.options);
    expect(result).toMatchObject({ ok: false, code: "SERVER_ERROR" });
    expect(result.ok ? null : String(result.cause)).toContain("500");
    expect(server.calls).toHaveLength(1);
  });

  test("a 200 that is not the contract is not taken for a success", async () => {
    const server = fakeServer([json(200, { ok: true, balance: 12 })]);
    expect(await sendGiftRequest("s-1", "rose", "key-12345678", server.options)).toMatchObject({ ok: false, code: "SERVER_ERROR" });
  });
});
