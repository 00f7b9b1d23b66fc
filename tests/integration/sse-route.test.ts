// The SSE route handler itself (app/api/streams/[id]/events/route.ts), called
// with Web Requests as Next calls it, on the process-wide bus and a real
// database: bad input is a 4xx with a JSON error, connections are capped per
// client address, and whatever way a connection ends, its bus subscription,
// presence and connection slot are given back.
import { randomUUID } from "node:crypto";
import { afterAll, afterEach, describe, expect, test } from "vitest";
import { GET } from "../../app/api/streams/[id]/events/route";
import { getLiveBus } from "../../lib/live/bus";
import { getSseConnectionLimiter, SSE_CONNECTIONS_PER_CLIENT } from "../../lib/live/sse";
import { goLive, postChat } from "../../lib/live/streams";
import { newUser } from "./helpers";

const open: AbortController[] = [];

function call(
  streamId: string,
  { after, lastEventId, address = "192.0.2.10", signal }: { after?: string; lastEventId?: string; address?: string; signal?: AbortSignal } = {},
) {
  const url = new URL(`http://localhost/api/streams/${encodeURIComponent(streamId)}/events`);
  if (after !== undefined) url.searchParams.set("after", after);
  const headers = new Headers({ Accept: "text/event-stream", "x-forwarded-for": address });
  if (lastEventId !== undefined) headers.set("Last-Event-ID", lastEventId);
  const abort = new AbortController();
  open.push(abort);
  signal?.addEventListener("abort", () => abort.abort());
  return { abort, response: GET(new Request(url, { headers, signal: signal ?? abort.signal }), { params: Promise.resolve({ id: streamId }) }) };
}

async function until(check: () => boolean, what: string, timeoutMs = 10_000) {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Nothing held on this instance for the stream: no bus subscription, no presence, no connection slot. */
async function nothingHeld(streamId: string) {
  const bus = getLiveBus();
  const limiter = getSseConnectionLimiter();
  await until(() => bus.subscriberCount(streamId) === 0 && bus.localViewers(streamId) === 0 && limiter.count() === 0, "every connection to be released");
  expect([bus.subscriberCount(), bus.localViewers(streamId), limiter.count()]).toEqual([0, 0, 0]);
}

async function liveStream() {
  return goLive(await newUser("CREATOR"), { title: "SSE route", goalCoins: null });
}

afterEach(() => {
  for (const abort of open.splice(0)) abort.abort();
});

afterAll(async () => {
  await getLiveBus().close();
  delete (globalThis as { liveBus?: unknown }).liveBus;
});

describe("SSE route: bad input is a 4xx with a JSON error and opens nothing", () => {
  test.each<[string, number, { id?: string; after?: string; lastEventId?: string }]>([
    ["?after= past any bigint (20 digits)", 400, { after: "99999999999999999999" }],
    ["?after= one past the largest bigint", 400, { after: "9223372036854775808" }],
    ["Last-Event-ID one past the largest bigint", 400, { lastEventId: "9223372036854775808" }],
    ["Last-Event-ID past any bigint", 400, { lastEventId: "99999999999999999999" }],
    ["a negative ?after=", 400, { after: "-1" }],
    ["a junk ?after=", 400, { after: "12abc" }],
    ["a junk Last-Event-ID", 400, { lastEventId: "last" }],
    ["a decimal Last-Event-ID", 400, { lastEventId: "1.5" }],
    ["a valid Last-Event-ID with a junk ?after=", 400, { lastEventId: "1", after: "x" }],
    ["a stream id that is not a UUID", 400, { id: "not-a-stream" }],
    ["a stream id of 36 dashes", 400, { id: "------------------------------------" }],
    ["a negative stream id", 400, { id: "-1" }],
    ["an unknown stream", 404, { id: randomUUID() }],
  ])("%s → %i", async (_label, status, input) => {
    const stream = await liveStream();
    const id = input.id ?? stream.id;
    const response = await call(id, input).response;
    expect(response.status).toBe(status);
    expect(response.headers.get("content-type")).toContain("application/json");
    const body = (await response.json()) as { error?: unknown };
    expect(typeof body.error).toBe("string");
    expect(String(body.error).length).toBeGreaterThan(0);
    await nothingHeld(stream.id);
  });

  test("the largest bigint itself is a valid Last-Event-ID (nothing to replay)", async () => {
    const stream = await liveStream();
    const { abort, response } = call(stream.id, { lastEventId: "9223372036854775807" });
    const res = await response;
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    expect(first).toContain("retry: 1500");
    abort.abort();
    await nothingHeld(stream.id);
  });
});

describe("SSE route: nothing leaks when a client leaves early", () => {
  test("a client already gone when the handler runs", async () => {
    const stream = await liveStream();
    const gone = new AbortController();
    gone.abort();
    const res = await call(stream.id, { signal: gone.signal, after: "0" }).response;
    const reader = res.body!.getReader();
    while (!(await reader.read()).done); // the body just ends
    await nothingHeld(stream.id);
  });

  test("a client that leaves while the subscription and replay are being set up", async () => {
    const stream = await liveStream();
    const viewer = await newUser();
    for (let i = 0; i < 3; i++) await postChat(viewer, stream.id, `before ${i}`, Date.now() + i * 1_000);
    // Several at once, each aborted right after the handler returns: the bus
    // subscribe and the replay query are still pending.
    const calls = Array.from({ length: 6 }, () => call(stream.id, { after: "0", address: `198.51.100.${Math.floor(Math.random() * 250)}` }));
    const responses = await Promise.all(
      calls.map(async (c) => {
        const res = await c.response;
        c.abort.abort();
        return res;
      }),
    );
    expect(responses.every((r) => r.status === 200)).toBe(true);
    await nothingHeld(stream.id);
  });

  test("a client that leaves during the replay (after the first chunk)", async () => {
    const stream = await liveStream();
    const viewer = await newUser();
    for (let i = 0; i < 3; i++) await postChat(viewer, stream.id, `gap ${i}`, Date.now() + i * 1_000);
    const { abort, response } = call(stream.id, { lastEventId: "0" });
    const res = await response;
    await res.body!.getReader().read(); // "retry:", written just before the replay starts
    abort.abort();
    await nothingHeld(stream.id);
  });

  test("a normal connection counts as a viewer while open and is released when it closes", async () => {
    const stream = await liveStream();
    const { abort, response } = call(stream.id);
    const reader = (await response).body!.getReader();
    let text = "";
    while (!text.includes("event: viewers")) text += new TextDecoder().decode((await reader.read()).value);
    expect(getLiveBus().localViewers(stream.id)).toBe(1);
    expect(getLiveBus().subscriberCount(stream.id)).toBe(1);
    abort.abort();
    await nothingHeld(stream.id);
  });
});

describe("SSE route: connections per client address", () => {
  test(`at most ${SSE_CONNECTIONS_PER_CLIENT} per address; the next is 429 JSON; a closed one frees its slot`, async () => {
    const stream = await liveStream();
    const address = "203.0.113.50";
    const mine = await Promise.all(
      Array.from({ length: SSE_CONNECTIONS_PER_CLIENT }, async () => {
        const c = call(stream.id, { address });
        return { abort: c.abort, res: await c.response };
      }),
    );
    expect(mine.map((c) => c.res.status)).toEqual(Array(SSE_CONNECTIONS_PER_CLIENT).fill(200));
    const refused = await call(stream.id, { address }).response;
    expect(refused.status).toBe(429);
    expect(((await refused.json()) as { error: string }).error).toMatch(/Too many live connections/);
    // A first hop of X-Forwarded-For is what counts, whatever follows it.
    expect((await call(stream.id, { address: `${address}, 10.0.0.1` }).response).status).toBe(429);
    // Another address is not held back.
    const other = call(stream.id, { address: "203.0.113.51" });
    expect((await other.response).status).toBe(200);
    await until(() => getLiveBus().localViewers(stream.id) === SSE_CONNECTIONS_PER_CLIENT + 1, "every viewer to be counted");

    mine[0]!.abort.abort();
    await until(() => getSseConnectionLimiter().count(address) === SSE_CONNECTIONS_PER_CLIENT - 1, "the slot to be freed");
    const again = call(stream.id, { address });
    expect((await again.response).status).toBe(200);

    for (const c of [...mine, other, again]) c.abort.abort();
    await nothingHeld(stream.id);
  });
});
