import Link from "next/link";
import { signOutAction } from "@/app/actions/auth";
import { formatCoins } from "@/lib/economy";
import { getCurrentUser } from "@/lib/auth/session";
import { getWalletBalances } from "@/lib/ledger/wallets";

export async function TopNav() {
  const user = await getCurrentUser();
  const balances = user ? await getWalletBalances(user.id) : null;
  return (
    <header className="sticky top-0 z-20 border-b border-gray-200 bg-white/95 backdrop-blur">
      <nav aria-label="Main" className="mx-auto flex max-w-5xl flex-wrap items-center gap-x-3 gap-y-1 px-4 py-2.5">
        <Link href="/" className="flex items-center gap-2 text-lg font-extrabold tracking-tight">
          <span aria-hidden="true" className="grid size-8 place-items-center rounded-full bg-brand text-white">
            ◎
          </span>
          <span className="sr-only sm:not-sr-only">Coin Economy</span>
        </Link>
        <Link href="/live" className="rounded-full px-3 py-1.5 text-sm font-semibold hover:bg-gray-100">
          Live
        </Link>
        <div className="ml-auto flex flex-wrap items-center justify-end gap-x-1 gap-y-1 sm:gap-x-2">
          {user ? (
            <>
              <Link
                href="/wallet"
                className="flex items-center gap-1.5 rounded-full bg-amber-100 px-3 py-1.5 text-sm font-bold text-amber-900"
                aria-label={`Wallet: ${formatCoins(balances!.coins)} coins`}
              >
                <span aria-hidden="true">🪙</span>
                <span data-testid="nav-balance">{formatCoins(balances!.coins)}</span>
              </Link>
              <Link href="/recharge" className="rounded-full px-3 py-1.5 text-sm font-semibold hover:bg-gray-100">
                Recharge
              </Link>
              {user.role === "CREATOR" ? (
                <Link href="/creator" className="rounded-full px-3 py-1.5 text-sm font-semibold hover:bg-gray-100">
                  Creator
                </Link>
              ) : null}
              {user.role === "OPERATOR" ? (
                <Link href="/operator" className="hidden rounded-full px-3 py-1.5 text-sm font-semibold hover:bg-gray-100 sm:inline">
                  Economy
                </Link>
              ) : null}
              <span className="hidden text-sm text-muted sm:inline">{user.displayName}</span>
              <form action={signOutAction}>
                <button type="submit" className="rounded-full px-3 py-1.5 text-sm font-semibold hover:bg-gray-100">
                  Sign out
                </button>
              </form>
            </>
          ) : (
            <>
              <Link href="/sign-in" className="rounded-full px-3 py-1.5 text-sm font-semibold hover:bg-gray-100">
                Sign in
              </Link>
              <Link href="/sign-up" className="rounded-full bg-brand-dark px-4 py-1.5 text-sm font-semibold text-white">
                Sign up
              </Link>
            </>
          )}
        </div>
      </nav>
    </header>
  );
}
