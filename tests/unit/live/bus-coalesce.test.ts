import { describe, expect, test } from "vitest";
import { LIVE_COALESCE_MAX_MS, LiveBus } from "@/lib/live/bus";

/** A bus with `count` subscribers on one stream (no database: nothing is delivered here). */
function busWith(count: number, writesPerSecond?: number): LiveBus {
  const bus = new LiveBus("postgresql://unused@127.0.0.1:1/unused", { coalesceMs: 20, writesPerSecond });
  const listeners = (bus as unknown as { listeners: Map<string, Set<() => void>> }).listeners;
  listeners.set("stream", new Set(Array.from({ length: count }, () => () => undefined)));
  return bus;
}

describe("delivery spacing grows with the audience, so fan-out writes per second stay bounded", () => {
  test.each([
    [0, 20],
    [50, 20],
    [200, 20],
    [500, 50],
    [1_000, 100],
    [2_000, 200],
    [10_000, LIVE_COALESCE_MAX_MS],
  ])("%i connections: a delivery every %i ms at most (10,000 writes a second)", (connections, ms) => {
    expect(busWith(connections).coalesceWindow()).toBe(ms);
  });

  test("the budget is a setting (LIVE_WRITES_PER_SECOND): 5,000 writes a second space 1,000 connections' deliveries 200 ms apart", () => {
    expect(busWith(1_000, 5_000).coalesceWindow()).toBe(200);
    expect(busWith(500, 5_000).coalesceWindow()).toBe(100);
  });
});
