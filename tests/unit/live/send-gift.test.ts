import { describe, expect, test } from "vitest";
import { createTapSender, sendGiftRequest, sendTapsRequest } from "../../../components/live/send-gift";

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
    const server = fakeServer([
      new TypeError("Failed to fetch"),
      json(503, { ok: false, code: "BUSY", error: "Busy" }),
      new Response("bad gateway", { status: 502 }),
      json(200, { ok: true, balance: "4500", transferId: "123", replayed: true }),
    ]);
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

describe("createTapSender: a streak's taps made while a request is in flight go together", () => {
  test("the first tap goes at once; the next four wait for it and go in one request, each with its own key", async () => {
    const bodies: unknown[] = [];
    let release!: () => void;
    const firstReply = new Promise<void>((resolve) => (release = resolve));
    const fetch = (async (_url: string, init: RequestInit) => {
      const body = JSON.parse(String(init.body)) as { taps?: Array<{ clientKey: string }> };
      bodies.push(body);
      if (bodies.length === 1) {
        await firstReply;
        return json(200, { ok: true, balance: "99", transferId: "1", replayed: false });
      }
      return json(200, {
        ok: true,
        balance: "95",
        results: body.taps!.map((tap, i) =>
          i === 3
            ? { clientKey: tap.clientKey, ok: false, code: "RATE_LIMITED", error: "Too fast" }
            : { clientKey: tap.clientKey, ok: true, transferId: String(i + 2), replayed: false },
        ),
      });
    }) as unknown as typeof globalThis.fetch;
    const sender = createTapSender("s-1", { fetch, sleep: async () => undefined, random: () => 1 });
    const first = sender.send("rose", "key-first-1");
    const rest = ["key-a-123", "key-b-123", "key-c-123", "key-d-123"].map((key) => sender.send("rose", key));
    await Promise.resolve();
    expect(bodies).toHaveLength(1);
    release();
    expect(await first).toEqual({ ok: true, balance: 99n, transferId: "1", replayed: false });
    const results = await Promise.all(rest);
    expect(bodies[1]).toEqual({ taps: ["key-a-123", "key-b-123", "key-c-123", "key-d-123"].map((clientKey) => ({ giftId: "rose", clientKey })) });
    expect(results.map((r) => r.ok)).toEqual([true, true, true, false]);
    expect(results[0]).toEqual({ ok: true, balance: 95n, transferId: "2", replayed: false });
    expect(results[3]).toMatchObject({ ok: false, code: "RATE_LIMITED", message: "Too fast" });
    expect(bodies).toHaveLength(2);
  });

  test("a coalesced request lost on the network is retried with the same keys", async () => {
    const server = fakeServer([
      new TypeError("Failed to fetch"),
      json(200, {
        ok: true,
        balance: "7",
        results: [
          { clientKey: "key-a-123", ok: true, transferId: "5", replayed: true },
          { clientKey: "key-b-123", ok: true, transferId: "6", replayed: false },
        ],
      }),
    ]);
    const results = await sendTapsRequest(
      "s-1",
      [
        { giftId: "rose", clientKey: "key-a-123" },
        { giftId: "rose", clientKey: "key-b-123" },
      ],
      server.options,
    );
    expect(results).toEqual([
      { ok: true, balance: 7n, transferId: "5", replayed: true },
      { ok: true, balance: 7n, transferId: "6", replayed: false },
    ]);
    expect(server.calls.map((c) => c.body)).toEqual(
      [0, 1].map(() => ({
        taps: [
          { giftId: "rose", clientKey: "key-a-123" },
          { giftId: "rose", clientKey: "key-b-123" },
        ],
      })),
    );
  });
});
