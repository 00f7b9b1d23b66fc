"use client";

// One coin balance for the whole page: the top bar's chip and the gift panel
// read it, gift replies move it, server renders seed it. The rules are the pure
// reducer in lib/live/balance.ts; this is only the browser-side holder.
import { useEffect, useSyncExternalStore } from "react";
import { balanceFor, balanceReducer, type BalanceAction, type BalanceView } from "@/lib/live/balance";

let current: BalanceView | null = null;
const listeners = new Set<() => void>();

function dispatch(action: BalanceAction) {
  const next = balanceReducer(current, action);
  if (next === current) return;
  current = next;
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/**
 * The balance to show for `userId` (null: nobody signed in). `serverCoins` is what the server rendered
 * (shown until the browser knows better, and on the server itself, where the
 * holder is never touched: it would be shared by every request).
 */
export function useCoinBalance(userId: string | null, serverCoins: string): bigint {
  useEffect(() => {
    if (userId !== null) dispatch({ type: "seeded", userId, coins: BigInt(serverCoins) });
  }, [userId, serverCoins]);
  const view = useSyncExternalStore(
    subscribe,
    () => current,
    () => null,
  );
  return userId === null ? BigInt(serverCoins) : balanceFor(view, userId, BigInt(serverCoins));
}

/** A gift reply's balance, for every place on the page. */
export function reportGiftBalance(userId: string, coins: bigint) {
  dispatch({ type: "gift-sent", userId, coins });
}
