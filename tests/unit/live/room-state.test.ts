import { describe, expect, test } from "vitest";
import {
  CHAT_LIMIT,
  goalPercent,
  initialRoomState,
  lastSeenId,
  nextExpiry,
  roomReducer,
  SEEN_WINDOW,
  STREAK_WINDOW_MS,
  visibleCombos,
  type RoomAction,
  type RoomInit,
  type RoomState,
} from "../../../lib/live/room-state";
import { chatEvent, endedEvent, giftEvent } from "./room-events";

const INIT: RoomInit = {
  coinsReceived: "100",
  goalCoins: "1000",
  live: true,
  lastEventId: "10",
  chat: [],
  leaders: { live: [{ key: "u1", name: "Ana", coins: "40" }], week: [], allTime: [{ key: "u1", name: "Ana", coins: "90" }] },
};

const run = (actions: RoomAction[], state: RoomState = initialRoomState(INIT)) => actions.reduce(roomReducer, state);
const gift = (...args: Parameters<typeof giftEvent>): RoomAction => ({ type: "gift", event: giftEvent(...args), now: 0 });

describe("room state: gifts", () => {
  test("a gift adds its coins to the total, the goal and all three leaderboards", () => {
    const state = run([gift(11, { coins: "5", gift: "finger-heart" })]);
    expect(state.received).toBe(105n);
    expect(goalPercent(state)).toBe(10);
    expect(state.leaders.live.get("u1")).toEqual({ name: "Ana", coins: 45n, level: 1, fan: null });
    expect(state.leaders.week.get("u1")).toEqual({ name: "Ana", coins: 5n, level: 1, fan: null });
    expect(state.leaders.allTime.get("u1")).toEqual({ name: "Ana", coins: 95n, level: 1, fan: null });
  });

  test("an event delivered twice, or already in the page's figures, is applied once", () => {
    const state = run([gift(11), gift(11), gift(9), gift(10)]);
    expect(state.received).toBe(101n);
    expect(visibleCombos(state)[0]!.count).toBe(1);
  });

  test("an opted-out gifter shows as Anonymous supporter", () => {
    const state = run([{ type: "gift", event: { ...giftEvent(11), userId: "anon-1", userName: null }, now: 0 }]);
    expect(state.leaders.live.get("anon-1")!.name).toBe("Anonymous supporter");
  });

  test("an unknown gift or a malformed event changes nothing but the seen ids", () => {
    const before = initialRoomState(INIT);
    const state = run([gift(11, { gift: "no-such-gift" }), { type: "gift", event: { ...giftEvent(12), coins: "-5" }, now: 0 }], before);
    expect(state.received).toBe(100n);
    expect(state.combos).toEqual([]);
  });

  test("the goal caps at 100%; no goal, no percent", () => {
    expect(goalPercent(run([gift(11, { gift: "lion", coins: "29999" })]))).toBe(100);
    expect(goalPercent(initialRoomState({ ...INIT, goalCoins: null }))).toBeNull();
  });
});

describe("room state: combos", () => {
  test("repeated Roses by one viewer within the streak window make one growing combo", () => {
    const state = run([gift(11, { atMs: 0 }), gift(12, { atMs: 1_000 }), gift(13, { atMs: 2_500 })]);
    expect(visibleCombos(state).map((c) => c.count)).toEqual([3]);
  });

  test("a gap of the streak window starts a new combo; another viewer or gift has its own", () => {
    const state = run([gift(11, { atMs: 0 }), gift(12, { atMs: STREAK_WINDOW_MS }), gift(13, { user: "u2", name: "Bo" }), gift(14, { gift: "tiktok" })]);
    expect(state.combos.map((c) => [c.userName, c.gift.id, c.count])).toEqual([
      ["Ana", "tiktok", 1],
      ["Bo", "rose", 1],
      ["Ana", "rose", 1],
      ["Ana", "rose", 1],
    ]);
  });

  test("a late gift that falls between two combos joins them into one", () => {
    const state = run([gift(11, { atMs: 0 }), gift(13, { atMs: 4_000 }), gift(12, { atMs: 2_000 })]);
    expect(state.combos.map((c) => c.count)).toEqual([3]);
    expect(state.combos[0]!.id).toBe("11");
  });

  test("gifts that do not streak each show once (×1), and big ones take the spotlight", () => {
    const state = run([gift(11, { gift: "money-gun", coins: "500" }), gift(12, { gift: "money-gun", coins: "500" })]);
    expect(state.combos.map((c) => c.count)).toEqual([1, 1]);
    expect(state.spotlight).toMatchObject({ id: "12", until: 2_000 });
  });

  test("combos fade the streak window after their last gift arrived; the spotlight after its time", () => {
    let state = run([gift(11, { gift: "lion", coins: "29999" }), { type: "gift", event: giftEvent(12), now: 1_000 }]);
    expect(nextExpiry(state)).toBe(STREAK_WINDOW_MS);
    state = roomReducer(state, { type: "tick", now: STREAK_WINDOW_MS });
    expect(state.combos.map((c) => c.id)).toEqual(["12"]);
    expect(state.spotlight).toMatchObject({ id: "11" }); // the Lion's, still on
    state = roomReducer(state, { type: "tick", now: 3_500 });
    expect(state.spotlight).toBeNull();
    expect(nextExpiry(state)).toBe(1_000 + STREAK_WINDOW_MS);
    state = roomReducer(state, { type: "tick", now: 1_000 + STREAK_WINDOW_MS });
    expect(state.combos).toEqual([]);
    expect(nextExpiry(state)).toBeNull();
  });

  test("a tick with nothing to expire returns the same state", () => {
    const state = run([gift(11)]);
    expect(roomReducer(state, { type: "tick", now: 1 })).toBe(state);
  });
});

describe("room state: chat, viewers, end", () => {
  test("chat keeps the last 50 lines, each once", () => {
    const actions: RoomAction[] = Array.from({ length: 80 }, (_, i) => ({ type: "chat", event: chatEvent(11 + i, `m${i}`), now: 0 }));
    const state = run([...actions, ...actions]);
    expect(state.chat).toHaveLength(CHAT_LIMIT);
    expect(state.chat.at(-1)!.body).toBe("m79");
    expect(state.chat[0]!.body).toBe("m30");
  });

  test("viewers and the end of the LIVE", () => {
    const state = run([
      { type: "viewers", viewers: 7 },
      { type: "ended", event: endedEvent(11), now: 0 },
    ]);
    expect(state.viewers).toBe(7);
    expect(state.ended).toBe(true);
    expect(initialRoomState({ ...INIT, live: false }).ended).toBe(true);
  });

  test("seen ids: a window above a low-water mark; ids that fell below it count as applied", () => {
    let state = run([gift(12), gift(11)]);
    state = run([gift(5_000), gift(11), gift(12), gift(4_990), gift(4_990)], state);
    expect(state.received).toBe(100n + 4n);
    expect(state.seen.floor).toBe(5_000n - SEEN_WINDOW);
    expect(lastSeenId(state.seen)).toBe("5000");
  });

  test("the resume id is the highest event id applied", () => {
    expect(lastSeenId(initialRoomState(INIT).seen)).toBe("10");
    expect(lastSeenId(run([gift(15), gift(12), { type: "chat", event: chatEvent(13), now: 0 }]).seen)).toBe("15");
    expect(lastSeenId(initialRoomState({ ...INIT, lastEventId: null }).seen)).toBe("0");
  });
});
