// Invariants of the stream page's state under any delivery: events shuffled,
// delivered twice, interleaved with ticks.
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import type { LiveEvent } from "../../../lib/live/events";
import {
  CHAT_LIMIT,
  COMBO_LIMIT,
  initialRoomState,
  LEADER_LIMIT,
  roomReducer,
  SEEN_WINDOW,
  STREAK_WINDOW_MS,
  type RoomAction,
  type RoomInit,
} from "../../../lib/live/room-state";
import { chatEvent, giftEvent } from "./room-events";

const EMPTY: RoomInit = { coinsReceived: "0", goalCoins: null, live: true, lastEventId: "0", chat: [], leaders: { live: [], week: [], allTime: [] } };
const STREAKABLE = [
  { id: "rose", coins: 1n },
  { id: "finger-heart", coins: 5n },
];

/** Distinct gifts with ids 1..n, a few viewers and gifts, server times over 12 s. */
const arbGifts = fc
  .array(fc.record({ user: fc.constantFrom("u1", "u2", "u3"), gift: fc.constantFrom(...STREAKABLE), atMs: fc.integer({ min: 0, max: 12_000 }) }), {
    minLength: 1,
    maxLength: 60,
  })
  .map((gifts) => gifts.map((g, i) => giftEvent(i + 1, { user: g.user, name: g.user, gift: g.gift.id, coins: String(g.gift.coins), atMs: g.atMs })));

/** The events delivered in any order, some more than once. */
const arbDelivery = (events: LiveEvent[]) =>
  fc
    .tuple(fc.shuffledSubarray(events, { minLength: 0, maxLength: events.length }), fc.integer())
    .chain(([again]) => fc.shuffledSubarray([...events, ...again], { minLength: events.length + again.length, maxLength: events.length + again.length }));

/** Expected combo sizes: per viewer and gift, gift times chained by gaps under the window. */
function expectedComboSizes(events: LiveEvent[]): number[] {
  const byKey = new Map<string, number[]>();
  for (const e of events) {
    const key = `${e.userId}:${e.giftId}`;
    byKey.set(key, [...(byKey.get(key) ?? []), Date.parse(e.at)]);
  }
  const sizes: number[] = [];
  for (const times of byKey.values()) {
    times.sort((a, b) => a - b);
    let size = 1;
    for (let i = 1; i < times.length; i++) {
      if (times[i]! - times[i - 1]! < STREAK_WINDOW_MS) size++;
      else {
        sizes.push(size);
        size = 1;
      }
    }
    sizes.push(size);
  }
  return sizes.sort((a, b) => a - b);
}

describe("room state properties", () => {
  test("each combo counts the distinct gifts in it, whatever the order and duplication of delivery", () => {
    fc.assert(
      fc.property(
        arbGifts.chain((events) => fc.tuple(fc.constant(events), arbDelivery(events))),
        ([events, delivered]) => {
          const state = delivered.reduce((s, event) => roomReducer(s, { type: "gift", event, now: 0 }), initialRoomState(EMPTY));
          expect(state.combos.map((c) => c.count).sort((a, b) => a - b)).toEqual(expectedComboSizes(events));
        },
      ),
    );
  });

  test("coins received equal the sum of the distinct gifts, and each leaderboard sums the same", () => {
    fc.assert(
      fc.property(
        arbGifts.chain((events) => fc.tuple(fc.constant(events), arbDelivery(events), fc.array(fc.integer({ min: 0, max: 20_000 }), { maxLength: 10 }))),
        ([events, delivered, ticks]) => {
          const actions: RoomAction[] = delivered.map((event, i) => ({ type: "gift", event, now: i * 100 }));
          for (const now of ticks) actions.splice(now % (actions.length + 1), 0, { type: "tick", now });
          const state = actions.reduce(roomReducer, initialRoomState({ ...EMPTY, coinsReceived: "7" }));
          const total = events.reduce((n, e) => n + BigInt(e.coins!), 0n);
          expect(state.received).toBe(7n + total);
          for (const board of [state.leaders.live, state.leaders.week, state.leaders.allTime]) {
            expect([...board.values()].reduce((n, l) => n + l.coins, 0n)).toBe(total);
          }
        },
      ),
    );
  });

  test("state stays bounded over 100,000 events (many viewers, redeliveries, chat)", () => {
    const random = fc.sample(fc.integer({ min: 0, max: 2 ** 31 - 1 }), { numRuns: 1, seed: 2026 })[0]!;
    let seed = random;
    const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31);
    let state = initialRoomState(EMPTY);
    let total = 0n;
    for (let id = 1; id <= 100_000; id++) {
      const now = id * 10;
      const event = id % 5 === 0 ? chatEvent(id, `m${id}`) : giftEvent(id, { user: `u${next() % 5_000}`, gift: "rose", coins: "1", atMs: now });
      if (event.kind === "gift") total += 1n;
      state = roomReducer(state, { type: event.kind === "gift" ? "gift" : "chat", event, now });
      // A reconnect redelivers a recent event now and then.
      if (id % 97 === 0) state = roomReducer(state, { type: "gift", event: giftEvent(id - (next() % 50), { atMs: now }), now });
    }
    expect(state.received).toBe(total);
    expect(state.seen.window < 1n << SEEN_WINDOW).toBe(true);
    expect(state.seen.max - state.seen.floor).toBeLessThanOrEqual(SEEN_WINDOW);
    expect(state.chat.length).toBeLessThanOrEqual(CHAT_LIMIT);
    expect(state.combos.length).toBeLessThanOrEqual(COMBO_LIMIT);
    for (const board of [state.leaders.live, state.leaders.week, state.leaders.allTime]) expect(board.size).toBeLessThanOrEqual(LEADER_LIMIT + 25);
  }, 30_000);
});
