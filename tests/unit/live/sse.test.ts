import { describe, expect, test } from "vitest";
import type { LiveEvent } from "../../../lib/live/events";
import { clientAddress } from "../../../lib/http/address";
import { createConnectionLimiter, openLiveEventStream, type LiveEventSource } from "../../../lib/live/sse";

const STREAM = "6f1c2b9e-2d1a-4c3b-9e8f-0a1b2c3d4e5f";

function event(id: number, kind: LiveEvent["kind"] = "gift"): LiveEvent {
  return {
    id: String(id),
    streamId: STREAM,
    kind,
    userId: null,
    userName: null,
    level: null,
    fan: null,
    giftId: "rose",
    coins: "1",
    diamonds: "500",
    body: null,
    at: "2026-01-01T00:00:00.000Z",
  };
}

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** A bus whose subscribe resolves when the test says so, counting what is held. */
function fakeBus() {
  const subscribed = deferred<void>();
  const state = {
    subscribers: 0,
    viewers: 0,
    lostHandlers: 0,
    deliver: (() => undefined) as (events: readonly LiveEvent[]) => void,
    lose: () => undefined as void,
  };
  const bus: LiveEventSource = {
    async subscribeBatches(_streamId, listener, onLost) {
      await subscribed.promise;
      state.subscribers++;
      state.lostHandlers += onLost ? 1 : 0;
      state.deliver = listener;
      state.lose = () => onLost?.();
      let done = false;
      return () => {
        if (done) return;
        done = true;
        state.subscribers--;
        state.lostHandlers -= onLost ? 1 : 0;
      };
    },
    join() {
      state.viewers++;
      let left = false;
      return () => {
        if (left) return;
        left = true;
        state.viewers--;
      };
    },
    viewers: () => state.viewers,
  };
  return { bus, state, subscribed };
}

async function readAll(body: ReadableStream<Uint8Array>): Promise<string> {
  let text = "";
  const decoder = new TextDecoder();
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return text;
    text += decoder.decode(value, { stream: true });
  }
}

const ids = (text: string) => [...text.matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1]));
const tick = () => new Promise((r) => setTimeout(r, 0));

describe("openLiveEventStream", () => {
  test("replays the gap, buffers live events meanwhile, and sends each event once in order", async () => {
    const { bus, state, subscribed } = fakeBus();
    const replay = deferred<LiveEvent[]>();
    const abort = new AbortController();
    let closes = 0;
    const body = openLiveEventStream({ streamId: STREAM, resumeFrom: 2n, bus, replay: () => replay.promise, signal: abort.signal, onClose: () => closes++ });
    const text = readAll(body);
    subscribed.resolve();
    await tick();
    // Live events arrive while the replay is still reading the table: some overlap it.
    state.deliver(Object.freeze([event(4), event(5)]));
    state.deliver(Object.freeze([event(6)]));
    replay.resolve([event(3), event(4)]);
    await tick();
    state.deliver(Object.freeze([event(6), event(7), event(8)])); // 6 again (a duplicate): dropped
    state.deliver(Object.freeze([event(9)]));
    abort.abort();
    const out = await text;
    expect(ids(out)).toEqual([3, 4, 5, 6, 7, 8, 9]);
    expect(out).toContain("retry: 1500");
    expect(out).toContain('event: viewers\ndata: {"viewers":1}');
    expect([state.subscribers, state.viewers, state.lostHandlers, closes]).toEqual([0, 0, 0, 1]);
  });

  test("live events held during a long replay are bounded: past the cap the connection ends (the client replays on reconnect)", async () => {
    const { bus, state, subscribed } = fakeBus();
    const replay = deferred<LiveEvent[]>();
    let closes = 0;
    const body = openLiveEventStream({
      streamId: STREAM,
      resumeFrom: 0n,
      bus,
      replay: () => replay.promise,
      signal: new AbortController().signal,
      onClose: () => closes++,
      maxBufferedEvents: 10,
    });
    const text = readAll(body);
    subscribed.resolve();
    await tick();
    for (let id = 1; id <= 8; id++) state.deliver(Object.freeze([event(id)]));
    expect(closes).toBe(0);
    state.deliver(Object.freeze([event(9), event(10), event(11)]));
    expect(closes).toBe(1);
    replay.resolve([]);
    expect(ids(await text)).toEqual([]);
    expect([state.subscribers, state.viewers]).toEqual([0, 0]);
  });

  test("a replay longer than one page is read page by page: no gap before the live events", async () => {
    const { bus, state, subscribed } = fakeBus();
    const table = Array.from({ length: 12 }, (_, i) => event(i + 1));
    const asked: string[] = [];
    const abort = new AbortController();
    const body = openLiveEventStream({
      streamId: STREAM,
      resumeFrom: 0n,
      bus,
      replay: async (after, limit) => {
        asked.push(after);
        return table.filter((e) => BigInt(e.id) > BigInt(after)).slice(0, limit);
      },
      signal: abort.signal,
      replayPageSize: 5,
    });
    const text = readAll(body);
    subscribed.resolve();
    await tick();
    state.deliver(Object.freeze([event(13)]));
    await tick();
    await tick();
    abort.abort();
    expect(ids(await text)).toEqual(Array.from({ length: 13 }, (_, i) => i + 1));
    expect(asked).toEqual(["0", "5", "10"]);
  });

  test.each([
    ["before the stream opens", "before"],
    ["while subscribing", "subscribing"],
    ["while replaying", "replaying"],
  ] as const)("a client that leaves %s holds no subscription, no presence and no slot", async (_label, when) => {
    const { bus, state, subscribed } = fakeBus();
    const replay = deferred<LiveEvent[]>();
    const abort = new AbortController();
    let closes = 0;
    if (when === "before") abort.abort();
    const body = openLiveEventStream({ streamId: STREAM, resumeFrom: 0n, bus, replay: () => replay.promise, signal: abort.signal, onClose: () => closes++ });
    const text = readAll(body);
    if (when === "subscribing") abort.abort();
    subscribed.resolve();
    await tick();
    if (when === "replaying") {
      expect([state.subscribers, state.viewers]).toEqual([1, 1]);
      abort.abort();
    }
    replay.resolve([event(1)]);
    await text;
    await tick();
    expect([state.subscribers, state.viewers, state.lostHandlers, closes]).toEqual([0, 0, 0, 1]);
  });

  test("a lost LISTEN connection ends the stream and releases everything once", async () => {
    const { bus, state, subscribed } = fakeBus();
    subscribed.resolve();
    let closes = 0;
    const body = openLiveEventStream({
      streamId: STREAM,
      resumeFrom: null,
      bus,
      replay: async () => [],
      signal: new AbortController().signal,
      onClose: () => closes++,
    });
    const text = readAll(body);
    await tick();
    expect([state.subscribers, state.viewers]).toEqual([1, 1]);
    state.lose();
    await text;
    expect([state.subscribers, state.viewers, closes]).toEqual([0, 0, 1]);
  });

  test("cancelling the body releases everything once", async () => {
    const { bus, state, subscribed } = fakeBus();
    subscribed.resolve();
    let closes = 0;
    const body = openLiveEventStream({
      streamId: STREAM,
      resumeFrom: null,
      bus,
      replay: async () => [],
      signal: new AbortController().signal,
      onClose: () => closes++,
    });
    const reader = body.getReader();
    await reader.read();
    await tick();
    await reader.cancel();
    expect([state.subscribers, state.viewers, closes]).toEqual([0, 0, 1]);
  });

  test("a client that stops reading is disconnected once its queue passes the limit, and everything is released", async () => {
    const { bus, state, subscribed } = fakeBus();
    subscribed.resolve();
    let closes = 0;
    const body = openLiveEventStream({
      streamId: STREAM,
      resumeFrom: null,
      bus,
      replay: async () => [],
      signal: new AbortController().signal,
      onClose: () => closes++,
      maxQueuedBytes: 4_096,
    });
    await tick();
    expect(state.subscribers).toBe(1);
    // Nobody reads: events pile up until the limit, then the connection ends.
    for (let id = 1; id <= 100 && closes === 0; id++) state.deliver(Object.freeze([event(id)]));
    expect([state.subscribers, state.viewers, closes]).toEqual([0, 0, 1]);
    // What was queued is still delivered, in order, before the end.
    const got = ids(await readAll(body));
    expect(got.length).toBeGreaterThan(5);
    expect(got).toEqual(Array.from({ length: got.length }, (_, i) => i + 1));
  });

  test("a failed set-up is reported once, ends the stream and releases what it took", async () => {
    const { bus, state, subscribed } = fakeBus();
    subscribed.resolve();
    const errors: unknown[] = [];
    let closes = 0;
    const failure = new Error("replay failed");
    const body = openLiveEventStream({
      streamId: STREAM,
      resumeFrom: 5n,
      bus,
      replay: async () => Promise.reject(failure),
      signal: new AbortController().signal,
      onClose: () => closes++,
      onError: (e) => errors.push(e),
    });
    await readAll(body);
    expect(errors).toEqual([failure]);
    expect([state.subscribers, state.viewers, closes]).toEqual([0, 0, 1]);
  });
});

describe("createConnectionLimiter", () => {
  test("caps connections per client and in all; every release gives one slot back, once", () => {
    const limiter = createConnectionLimiter({ perClient: 2, total: 3 });
    const a1 = limiter.acquire("a");
    const a2 = limiter.acquire("a");
    expect(limiter.acquire("a")).toEqual({ ok: false, reason: "CLIENT" });
    const b1 = limiter.acquire("b");
    expect(limiter.acquire("c")).toEqual({ ok: false, reason: "INSTANCE" });
    expect([a1.ok, a2.ok, b1.ok]).toEqual([true, true, true]);
    if (!a1.ok || !a2.ok || !b1.ok) return;
    a1.release();
    a1.release(); // a second release changes nothing
    expect([limiter.count("a"), limiter.count()]).toEqual([1, 2]);
    expect(limiter.acquire("a").ok).toBe(true);
    expect(limiter.acquire("a")).toEqual({ ok: false, reason: "CLIENT" });
    a2.release();
    b1.release();
    expect(limiter.count("b")).toBe(0);
  });
});

describe("clientAddress", () => {
  test.each([
    [{ "x-forwarded-for": "203.0.113.7" }, "203.0.113.7"],
    [{ "x-forwarded-for": " 203.0.113.7 , 10.0.0.1" }, "203.0.113.7"],
    [{ "x-forwarded-for": "" }, "unknown"],
    [{}, "unknown"],
  ])("%j → %s", (headers, expected) => {
    expect(clientAddress(new Headers(headers))).toBe(expected);
  });
});
