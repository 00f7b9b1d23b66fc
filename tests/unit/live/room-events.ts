// Builders of live events for the room-state tests.
import type { LiveEvent } from "../../../lib/live/events";

const T0 = Date.parse("2026-11-23T20:00:00.000Z");

export function giftEvent(
  id: number | bigint,
  { user = "u1", name = "Ana" as string | null, gift = "rose", coins = "1", atMs = 0, level = 1 as number | null, fan = null as LiveEvent["fan"] } = {},
): LiveEvent {
  return {
    id: String(id),
    streamId: "s1",
    kind: "gift",
    userId: user,
    userName: name,
    level,
    fan,
    giftId: gift,
    coins,
    diamonds: null,
    body: null,
    at: new Date(T0 + atMs).toISOString(),
  };
}

export function chatEvent(id: number | bigint, body = "hi", name = "Ana"): LiveEvent {
  return {
    id: String(id),
    streamId: "s1",
    kind: "chat",
    userId: "u1",
    userName: name,
    level: 3,
    fan: null,
    giftId: null,
    coins: null,
    diamonds: null,
    body,
    at: new Date(T0).toISOString(),
  };
}

export function endedEvent(id: number | bigint): LiveEvent {
  return {
    id: String(id),
    streamId: "s1",
    kind: "ended",
    userId: null,
    userName: null,
    level: null,
    fan: null,
    giftId: null,
    coins: null,
    diamonds: null,
    body: null,
    at: new Date(T0).toISOString(),
  };
}

export function levelEvent(id: number | bigint, level: number, { user = "u1", name = "Ana" as string | null } = {}): LiveEvent {
  return {
    id: String(id),
    streamId: "s1",
    kind: "level",
    userId: user,
    userName: name,
    level,
    fan: null,
    giftId: null,
    coins: null,
    diamonds: null,
    body: JSON.stringify({ level }),
    at: new Date(T0).toISOString(),
  };
}

export function fanEvent(
  id: number | bigint,
  body: { type: "join" | "level"; club: string; level: number },
  { user = "u1", name = "Ana" as string | null } = {},
): LiveEvent {
  return {
    id: String(id),
    streamId: "s1",
    kind: "fan",
    userId: user,
    userName: name,
    level: 2,
    fan: name === null ? null : { club: body.club, level: body.level },
    giftId: null,
    coins: null,
    diamonds: null,
    body: JSON.stringify(body),
    at: new Date(T0).toISOString(),
  };
}
