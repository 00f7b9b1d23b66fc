import { describe, expect, test } from "vitest";
import {
  chatLinesFrom,
  initialRoomState,
  LEVEL_UP_MS,
  nextExpiry,
  roomReducer,
  visibleCombos,
  type RoomAction,
  type RoomInit,
} from "../../../lib/live/room-state";
import { chatEvent, giftEvent, levelEvent } from "./room-events";

const INIT: RoomInit = {
  coinsReceived: "0",
  goalCoins: null,
  live: true,
  lastEventId: "10",
  chat: [],
  leaders: { live: [], week: [], allTime: [{ key: "u1", name: "Ana", coins: "90", level: 7 }] },
};

const run = (actions: RoomAction[]) => actions.reduce(roomReducer, initialRoomState(INIT));

describe("room state: gifter levels", () => {
  test("a gift's level shows on its combo and on every leaderboard the gifter is on", () => {
    const state = run([{ type: "gift", event: giftEvent(11, { level: 8 }), now: 0 }]);
    expect(visibleCombos(state)[0]).toMatchObject({ userName: "Ana", level: 8 });
    expect(state.leaders.live.get("u1")?.level).toBe(8);
    expect(state.leaders.allTime.get("u1")).toEqual({ name: "Ana", coins: 91n, level: 8, fan: null });
  });

  test("a member's fan badge travels with their gifts and messages to the combo, the chat and the leaderboards", () => {
    const fan = { club: "Cleos", level: 3 };
    const state = run([
      { type: "gift", event: { ...giftEvent(11), fan }, now: 0 },
      { type: "chat", event: { ...chatEvent(12), fan }, now: 0 },
    ]);
    expect(visibleCombos(state)[0]?.fan).toEqual(fan);
    expect(state.chat[0]?.fan).toEqual(fan);
    expect(state.leaders.live.get("u1")?.fan).toEqual(fan);
  });

  test("a level heard late never takes a leader's level back down", () => {
    const state = run([
      { type: "level", event: levelEvent(11, 9), now: 0 },
      { type: "gift", event: giftEvent(12, { level: 8 }), now: 0 },
    ]);
    expect(state.leaders.allTime.get("u1")?.level).toBe(9);
  });

  test("a level-up is a notice in the chat and on the stage for a few seconds, once however often it is delivered", () => {
    const up: RoomAction = { type: "level", event: levelEvent(11, 12), now: 1_000 };
    const state = run([up, up]);
    expect(state.chat).toEqual([{ id: "11", name: "Ana", body: "reached gifter level 12", level: 12, fan: null, notice: "level" }]);
    expect(state.levelUp).toEqual({ id: "11", name: "Ana", level: 12, until: 1_000 + LEVEL_UP_MS });
    expect(state.leaders.allTime.get("u1")?.level).toBe(12);
    expect(nextExpiry(state)).toBe(1_000 + LEVEL_UP_MS);
    expect(roomReducer(state, { type: "tick", now: 1_000 + LEVEL_UP_MS }).levelUp).toBeNull();
  });

  test("an anonymous gifter's level-up shows nothing, and a malformed one is ignored", () => {
    const state = run([
      { type: "level", event: levelEvent(11, 5, { user: "anon-1", name: null }), now: 0 },
      { type: "level", event: { ...levelEvent(12, 5), body: "{not json" }, now: 0 },
    ]);
    expect(state.chat).toEqual([]);
    expect(state.levelUp).toBeNull();
  });

  test("the page's first chat holds messages and named level-ups in order, with each sender's level", () => {
    const lines = chatLinesFrom([chatEvent(1, "hello"), giftEvent(2), levelEvent(3, 4), levelEvent(4, 6, { user: "anon-2", name: null })]);
    expect(lines).toEqual([
      { id: "1", name: "Ana", body: "hello", level: 3, fan: null },
      { id: "3", name: "Ana", body: "reached gifter level 4", level: 4, fan: null, notice: "level" },
    ]);
  });
});
