// Builders of live events for the room-state tests.
import type { LiveEvent } from "../../../lib/live/events";

const T0 = Date.parse("2026-11-23T20:00:00.000Z");

export function giftEvent(id: number | bigint, { user = "u1", name = "Ana", gift = "rose", coins = "1", atMs = 0 } = {}): LiveEvent {
  return {
    id: String(id),
    streamId: "s1",
    kind: "gift",
    userId: user,
    userName: name,
    giftId: gift,
    coins,
    diamonds: null,
    body: null,
    at: new Date(T0 + atMs).toISOString(),
  };
}

export function chatEvent(id: number | bigint, body = "hi", name = "Ana"): LiveEvent {
  return { id: String(id), streamId: "s1", kind: "chat", userId: "u1", userName: name, giftId: null, coins: null, diamonds: null, body, at: new Date(T0).toISOString() };
}

export function endedEvent(id: number | bigint): LiveEvent {
  return { id: String(id), streamId: "s1", kind: "ended", userId: null, userName: null, giftId: null, coins: null, diamonds: null, body: null, at: new Date(T0).toISOString() };
}
