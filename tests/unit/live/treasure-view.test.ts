import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { mergeTreasureBoxes, parseTreasureView, shareOf, TREASURE_BOXES_SHOWN, type TreasureView } from "../../../lib/live/treasure-view";

const box = (over: Partial<TreasureView> = {}): TreasureView => ({
  id: "b1",
  no: "1",
  rev: 0,
  streamId: "s",
  dropperId: "d",
  dropperName: "Dee",
  coins: "1000",
  slots: 50,
  countdownSeconds: 60,
  status: "OPEN",
  droppedAt: "2026-12-02T00:00:00.000Z",
  opensAt: "2026-12-02T00:01:00.000Z",
  openedAt: null,
  entrants: 0,
  seedHash: "00",
  winners: [],
  ...over,
});

const winners = Array.from({ length: 45 }, (_, i) => ({ userId: `u${i}`, name: `W${i}`, coins: String(i + 1) }));
const parts = [0, 1, 2].map((index) =>
  box({ rev: 9, status: "OPENED", entrants: 45, winners: winners.slice(index * 20, (index + 1) * 20), part: { index, count: 3 } }),
);
const states = [box(), box({ rev: 3, entrants: 3 }), box({ rev: 8, entrants: 45 }), ...parts];

describe("mergeTreasureBoxes", () => {
  test("whatever order and duplication the events arrive in, a page ends with the newest state and every winner once", () => {
    fc.assert(
      fc.property(fc.shuffledSubarray([...states, ...states], { minLength: states.length * 2 }), (arrivals) => {
        let seen: readonly TreasureView[] = [];
        for (const b of arrivals) seen = mergeTreasureBoxes(seen, b);
        expect(seen).toHaveLength(1);
        expect(seen[0]!.rev).toBe(9);
        expect(seen[0]!.part).toBeUndefined();
        expect([...seen[0]!.winners].sort((a, b) => Number(a.coins) - Number(b.coins))).toEqual(winners);
      }),
    );
  });

  test("an older state changes nothing; boxes are kept newest first, at most a few", () => {
    const newer = [box({ rev: 2 })];
    expect(mergeTreasureBoxes(newer, box({ rev: 1 }))).toBe(newer);
    let list: readonly TreasureView[] = [];
    for (let i = 1; i <= 8; i++) list = mergeTreasureBoxes(list, box({ id: `b${i}`, no: String(i) }));
    expect(list.map((b) => b.no)).toEqual(["8", "7", "6", "5", "4"].slice(0, TREASURE_BOXES_SHOWN));
  });

  test("parse refuses what is not a box; shareOf finds a winner's coins", () => {
    expect(parseTreasureView(null)).toBeNull();
    expect(parseTreasureView({ id: "x" })).toBeNull();
    expect(parseTreasureView({ ...box(), winners: [{ userId: 1 }] })).toBeNull();
    const opened = box({ status: "OPENED", winners: winners.slice(0, 2) });
    expect(parseTreasureView(JSON.parse(JSON.stringify(opened)))).toEqual(opened);
    expect(shareOf(opened, "u1")).toBe("2");
    expect(shareOf(opened, "nobody")).toBeNull();
    expect(shareOf(opened, null)).toBeNull();
  });
});
