"use client";

import Link from "next/link";
import { formatCoins } from "@/lib/economy";
import { useCoinBalance } from "./balance-store";

/** The top bar's coin balance; moves with every gift sent on the page. */
export function BalanceChip({ userId, coins }: { userId: string; coins: string }) {
  const balance = useCoinBalance(userId, coins);
  return (
    <Link
      href="/wallet"
      className="flex items-center gap-1.5 rounded-full bg-amber-100 px-3 py-1.5 text-sm font-bold text-amber-900"
      aria-label={`Wallet: ${formatCoins(balance)} coins`}
    >
      <span aria-hidden="true">🪙</span>
      <span data-testid="nav-balance">{formatCoins(balance)}</span>
    </Link>
  );
}
