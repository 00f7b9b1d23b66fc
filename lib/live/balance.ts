// The signed-in viewer's coin balance as the browser shows it (top bar, gift
// panel): pure, so every place on the page reads one value.
//
// A server render seeds it. On the stream page only gifts move it until the
// next server render, and a gift only ever lowers it: so of the balances that
// gift replies report, the lowest is the latest, and replies that arrive out of
// order (two quick taps) cannot move it back up.

export interface BalanceView {
  userId: string;
  coins: bigint;
}

export type BalanceAction = { type: "seeded"; userId: string; coins: bigint } | { type: "gift-sent"; userId: string; coins: bigint };

export function balanceReducer(state: BalanceView | null, action: BalanceAction): BalanceView | null {
  switch (action.type) {
    case "seeded":
      return state && state.userId === action.userId && state.coins === action.coins ? state : { userId: action.userId, coins: action.coins };
    case "gift-sent":
      if (!state || state.userId !== action.userId) return { userId: action.userId, coins: action.coins };
      return action.coins < state.coins ? { userId: state.userId, coins: action.coins } : state;
  }
}

/** The balance to show for `userId`: the shared view when it is theirs, else the server's figure. */
export function balanceFor(state: BalanceView | null, userId: string, serverCoins: bigint): bigint {
  return state && state.userId === userId ? state.coins : serverCoins;
}
