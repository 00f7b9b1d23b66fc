import { describe, expect, test } from "vitest";
import { chatLinesFrom, initialRoomState, roomReducer, type RoomAction, type RoomInit } from "../../../lib/live/room-state";
import { fanNoticeBody, fanNoticeText, parseFanNoticeBody } from "../../../lib/live/fan-body";
import { chatEvent, fanEvent, giftEvent } from "./room-events";

const INIT: RoomInit = {
  coinsReceived: "0",
  goalCoins: null,
  live: true,
  lastEventId: "10",
  chat: [],
  leaders: { live: [], week: [], allTime: [{ key: "u1", name: "Ana", coins: "90", level: 7 }] },
};

const run = (actions: RoomAction[]) => actions.reduce(roomReducer, initialRoomState(INIT));

describe("room state: fan clubs", () => {
  test("a join is a notice in the chat, once however often it is delivered, and puts the badge on the member's leaderboard rows", () => {
    const join: RoomAction = { type: "fan", event: fanEvent(12, { type: "join", club: "Cleo", level: 1 }), now: 0 };
    const state = run([{ type: "gift", event: giftEvent(11, { gift: "heart-me" }), now: 0 }, join, join]);
    expect(state.chat).toEqual([{ id: "12", name: "Ana", body: "joined the Cleo fan club", level: 2, fan: { club: "Cleo", level: 1 }, notice: "fan" }]);
    for (const board of [state.leaders.live, state.leaders.week, state.leaders.allTime]) expect(board.get("u1")?.fan).toEqual({ club: "Cleo", level: 1 });
  });

  test("a fan level-up reads as one; an anonymous member's notice and a malformed body show nothing", () => {
    const state = run([
      { type: "fan", event: fanEvent(11, { type: "level", club: "Cleo", level: 3 }), now: 0 },
      { type: "fan", event: fanEvent(12, { type: "join", club: "Cleo", level: 1 }, { user: "anon-1", name: null }), now: 0 },
      { type: "fan", event: { ...fanEvent(13, { type: "join", club: "Cleo", level: 1 }), body: "{nope" }, now: 0 },
    ]);
    expect(state.chat.map((l) => l.body)).toEqual(["reached fan level 3 in Cleo"]);
  });

  test("the page's first chat includes fan notices in order", () => {
    const lines = chatLinesFrom([chatEvent(1), fanEvent(2, { type: "join", club: "Cleo", level: 1 }), chatEvent(3, "yay")]);
    expect(lines.map((l) => [l.notice ?? "chat", l.body])).toEqual([
      ["chat", "hi"],
      ["fan", "joined the Cleo fan club"],
      ["chat", "yay"],
    ]);
  });

  test("bodies round-trip; anything else is refused", () => {
    const body = { type: "level", club: "Zoë", level: 4 } as const;
    expect(parseFanNoticeBody(fanNoticeBody(body))).toEqual(body);
    expect(fanNoticeText(body)).toBe("reached fan level 4 in Zoë");
    for (const bad of [
      null,
      "",
      "null",
      "[]",
      '{"type":"join","club":"","level":1}',
      '{"type":"x","club":"A","level":1}',
      '{"type":"join","club":"AB","level":0}',
      '{"type":"join","club":"AB","level":1.5}',
    ]) {
      expect(parseFanNoticeBody(bad)).toBeNull();
    }
  });
});
