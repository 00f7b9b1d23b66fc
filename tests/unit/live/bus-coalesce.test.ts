import { describe, expect, test } from "vitest";
import { LIVE_COALESCE_MAX_MS, LiveBus } from "@/lib/live/bus";

/** A bus with `count` subscribers on one stream (no database: nothing is delivered here). */
function busWith(count: number): LiveBus {
  const bus = new LiveBus("postgresql://unused@127.0.0.1:1/unused", { coalesceMs: 20 });
  const listeners = (bus as unknown as { listeners: Map<string, Set<() => void>> }).listeners;
  listeners.set("stream", new Set(Array.from({ length: count }, () => () => undefined)));
  return bus;
}

describe("delivery spacing grows with the audience, so fan-out writes per second stay bounded", () => {
  test.each([
    [0, 20],
    [50, 20],
    [100, 20],
    [500, 100],
    [1_000, 200],
    [10_000, LIVE_COALESCE_MAX_MS],
  ])("%i connections: a delivery every %i ms at most", (connections, ms) => {
    expect(busWith(connections).coalesceWindow()).toBe(ms);
  });
});
