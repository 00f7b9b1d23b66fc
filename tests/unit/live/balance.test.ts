import { describe, expect, test } from "vitest";
import { balanceFor, balanceReducer, type BalanceAction, type BalanceView } from "../../../lib/live/balance";

const run = (actions: BalanceAction[], state: BalanceView | null = null) => actions.reduce(balanceReducer, state);

describe("the balance shown across the page", () => {
  test("a gift reply moves it; a server render seeds it again", () => {
    const state = run([
      { type: "seeded", userId: "a", coins: 5_000n },
      { type: "gift-sent", userId: "a", coins: 4_500n },
    ]);
    expect(balanceFor(state, "a", 5_000n)).toBe(4_500n);
    expect(balanceFor(run([{ type: "seeded", userId: "a", coins: 22_000n }], state), "a", 5_000n)).toBe(22_000n);
  });

  test("replies that arrive out of order cannot move it back up", () => {
    const state = run([
      { type: "seeded", userId: "a", coins: 100n },
      { type: "gift-sent", userId: "a", coins: 98n },
      { type: "gift-sent", userId: "a", coins: 99n },
    ]);
    expect(state?.coins).toBe(98n);
  });

  test("another account's figure is never shown", () => {
    const state = run([{ type: "seeded", userId: "a", coins: 100n }]);
    expect(balanceFor(state, "b", 7n)).toBe(7n);
    expect(balanceFor(null, "a", 7n)).toBe(7n);
    expect(run([{ type: "gift-sent", userId: "b", coins: 3n }], state)).toEqual({ userId: "b", coins: 3n });
  });

  test("seeding the same figure keeps the same state", () => {
    const state = run([{ type: "seeded", userId: "a", coins: 100n }]);
    expect(balanceReducer(state, { type: "seeded", userId: "a", coins: 100n })).toBe(state);
  });
});
