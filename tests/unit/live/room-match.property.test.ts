// The stream page's LIVE Match under any delivery: stored match events, the
// snapshot sent on each (re)connect and score updates, shuffled and repeated.
// A score on screen never goes backwards, and the page ends on the newest
// status and the highest score version it heard.
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import type { LiveEvent } from "../../../lib/live/events";
import type { MatchScore, MatchStatus, MatchView } from "../../../lib/live/match-view";
import { initialRoomState, roomReducer, type RoomAction, type RoomInit, type RoomState } from "../../../lib/live/room-state";
import { giftEvent } from "./room-events";

const EMPTY: RoomInit = { coinsReceived: "0", goalCoins: null, live: true, lastEventId: "0", chat: [], leaders: { live: [], week: [], allTime: [] } };

function matchView(status: MatchStatus, rev: number, version: number, scores: { a: bigint; b: bigint }, id = "m1", no = "1"): MatchView {
  return {
    id,
    no,
    rev,
    status,
    random: false,
    durationSeconds: 25,
    expiresAt: "2026-11-23T20:00:30.000Z",
    startedAt: rev >= 2 ? "2026-11-23T20:00:05.000Z" : null,
    endsAt: rev >= 2 ? "2026-11-23T20:00:30.000Z" : null,
    endedAt: status === "ENDED" ? "2026-11-23T20:00:30.100Z" : null,
    scoreVersion: String(version),
    outcome: status === "ENDED" ? (scores.a > scores.b ? "A" : scores.b > scores.a ? "B" : "TIE") : null,
    forfeitedBy: null,
    a: { streamId: "s1", creatorId: "ca", creatorName: "Ana", score: String(scores.a), top: [] },
    b: { streamId: "s2", creatorId: "cb", creatorName: "Ben", score: String(scores.b), top: [] },
  };
}

function matchEvent(id: number, match: MatchView): LiveEvent {
  return {
    id: String(id),
    streamId: "s1",
    kind: "match",
    userId: null,
    userName: null,
    level: null,
    fan: null,
    giftId: null,
    coins: null,
    diamonds: null,
    body: JSON.stringify(match),
    at: "2026-11-23T20:00:00.000Z",
  };
}

/** Scores by version: version 0 is 0–0, each later version adds to either side (scores only go up). */
const arbScores = fc.array(fc.tuple(fc.bigInt({ min: 0n, max: 5_000n }), fc.bigInt({ min: 0n, max: 5_000n })), { minLength: 1, maxLength: 25 }).map((steps) => {
  const scores = [{ a: 0n, b: 0n }];
  for (const [a, b] of steps) {
    const last = scores.at(-1)!;
    scores.push({ a: last.a + a, b: last.b + b });
  }
  return scores;
});

/** Everything a page may hear of one match: its three status events, a score per version, snapshots at any version. */
function messages(scores: Array<{ a: bigint; b: bigint }>, snapshotVersions: number[]): RoomAction[] {
  const final = scores.length - 1;
  const invited = matchView("INVITED", 1, 0, scores[0]!);
  const active = matchView("ACTIVE", 2, 0, scores[0]!);
  const ended = matchView("ENDED", 3, final, scores[final]!);
  const actions: RoomAction[] = [
    { type: "match", event: matchEvent(10, invited), match: invited, now: 0 },
    { type: "match", event: matchEvent(11, active), match: active, now: 0 },
    { type: "match", event: matchEvent(12, ended), match: ended, now: 0 },
  ];
  for (let v = 1; v <= final; v++) {
    const score: MatchScore = { match: "m1", a: String(scores[v]!.a), b: String(scores[v]!.b), v: String(v), at: "" };
    actions.push({ type: "score", score });
  }
  for (const v of snapshotVersions) {
    const at = Math.min(v, final);
    actions.push({ type: "match-state", match: matchView(at === final && v > final ? "ENDED" : "ACTIVE", at === final && v > final ? 3 : 2, at, scores[at]!) });
  }
  actions.push({ type: "match-state", match: null });
  return actions;
}

/** Every message delivered in any order, some of them twice. */
const arbDelivery = arbScores.chain((scores) =>
  fc.array(fc.nat({ max: scores.length + 2 }), { maxLength: 6 }).chain((snapshots) => {
    const all = messages(scores, snapshots);
    return fc
      .tuple(fc.constant(scores), fc.shuffledSubarray(all, { minLength: 0, maxLength: all.length }))
      .chain(([s, again]) =>
        fc.tuple(fc.constant(s), fc.shuffledSubarray([...all, ...again], { minLength: all.length + again.length, maxLength: all.length + again.length })),
      );
  }),
);

const shown = (state: RoomState) =>
  state.match ? { v: BigInt(state.match.scoreVersion), a: BigInt(state.match.a.score), b: BigInt(state.match.b.score) } : null;

describe("the page's LIVE Match", () => {
  test("a score never goes backwards, and the page ends on the final state, under any order and repetition", () => {
    fc.assert(
      fc.property(arbDelivery, ([scores, delivery]) => {
        let state = initialRoomState(EMPTY);
        let last = shown(state);
        for (const action of delivery) {
          state = roomReducer(state, action);
          const now = shown(state);
          if (last) {
            expect(now).not.toBeNull();
            expect(now!.v >= last.v && now!.a >= last.a && now!.b >= last.b, `went from v${last.v} ${last.a}–${last.b} to v${now!.v} ${now!.a}–${now!.b}`).toBe(
              true,
            );
          }
          last = now;
        }
        const final = scores.length - 1;
        expect(state.match?.status).toBe("ENDED");
        expect(state.match?.scoreVersion).toBe(String(final));
        expect(state.match?.a.score).toBe(String(scores[final]!.a));
        expect(state.match?.b.score).toBe(String(scores[final]!.b));
        const { a, b } = scores[final]!;
        expect(state.match?.outcome).toBe(a > b ? "A" : b > a ? "B" : "TIE");
      }),
      { numRuns: 300 },
    );
  });

  test("a stored match event is applied once and counts as seen, like a gift", () => {
    const invited = matchView("INVITED", 1, 0, { a: 0n, b: 0n });
    let state = roomReducer(initialRoomState(EMPTY), { type: "match", event: matchEvent(5, invited), match: invited, now: 0 });
    expect(state.match?.status).toBe("INVITED");
    expect(state.seen.max).toBe(5n);
    const again = roomReducer(state, { type: "match", event: matchEvent(5, invited), match: invited, now: 0 });
    expect(again).toBe(state);
    state = roomReducer(state, { type: "gift", event: giftEvent(6), now: 0 });
    expect(state.received).toBe(1n);
  });

  test("the page starts with the match it was rendered with; a snapshot without a match keeps it", () => {
    const active = matchView("ACTIVE", 2, 3, { a: 30n, b: 10n });
    const state = initialRoomState({ ...EMPTY, match: active });
    expect(state.match).toBe(active);
    expect(roomReducer(state, { type: "match-state", match: null }).match).toBe(active);
  });

  test("a score for another match, or older than what is shown, changes nothing", () => {
    const active = matchView("ACTIVE", 2, 3, { a: 30n, b: 10n });
    const state = initialRoomState({ ...EMPTY, match: active });
    expect(roomReducer(state, { type: "score", score: { match: "m2", a: "99", b: "99", v: "9", at: "" } })).toBe(state);
    expect(roomReducer(state, { type: "score", score: { match: "m1", a: "1", b: "1", v: "2", at: "" } })).toBe(state);
    expect(roomReducer(state, { type: "score", score: { match: "m1", a: "31", b: "10", v: "4", at: "" } }).match?.a.score).toBe("31");
  });

  test("a newer match replaces an ended one", () => {
    const ended = matchView("ENDED", 3, 3, { a: 30n, b: 10n });
    const next = matchView("INVITED", 1, 0, { a: 0n, b: 0n }, "m2", "2");
    const state = roomReducer(initialRoomState({ ...EMPTY, match: ended }), { type: "match", event: matchEvent(20, next), match: next, now: 0 });
    expect(state.match?.id).toBe("m2");
    expect(roomReducer(state, { type: "match-state", match: ended }).match?.id).toBe("m2");
  });
});
