import Link from "next/link";
import { signOutAction } from "@/app/actions/auth";
import { getCurrentUser } from "@/lib/auth/session";
import { getWalletBalances } from "@/lib/ledger/wallets";
import { BalanceChip } from "./BalanceChip";
import { TabBar, type NavItem } from "./TabBar";

const linkClass = "rounded-full px-3 py-1.5 text-sm font-semibold hover:bg-gray-100";

/**
 * The app shell's navigation. On a phone, like the apps it imitates: a slim top
 * bar (logo, balance, sign-out) and a bottom tab bar; from `sm` up, one top bar.
 */
export async function TopNav() {
  const user = await getCurrentUser();
  const balances = user ? await getWalletBalances(user.id) : null;
  const items: NavItem[] = [{ href: "/live", label: "Live", icon: "📺" }];
  if (user) {
    items.push({ href: "/recharge", label: "Recharge", icon: "🪙" }, { href: "/wallet", label: "Wallet", icon: "👛" });
    if (user.role === "CREATOR") items.push({ href: "/creator", label: "Creator", icon: "💎" });
    if (user.role === "OPERATOR") items.push({ href: "/operator", label: "Economy", icon: "📊" });
  }
  return (
    <>
      <header className="sticky top-0 z-20 border-b border-gray-200 bg-white/95 backdrop-blur">
        <nav aria-label="Main" className="mx-auto flex max-w-5xl items-center gap-2 px-4 py-2.5">
          <Link href="/" className="flex items-center gap-2 text-lg font-extrabold tracking-tight" aria-label="Coin Economy home">
            <span aria-hidden="true" className="grid size-8 place-items-center rounded-full bg-brand text-white">
              ◎
            </span>
            <span aria-hidden="true" className="hidden min-[400px]:inline">
              Coin Economy
            </span>
          </Link>
          <ul className="hidden items-center gap-1 sm:flex">
            {items.map((item) => (
              <li key={item.href}>
                <Link href={item.href} className={linkClass}>
                  {item.label}
                </Link>
              </li>
            ))}
          </ul>
          <div className="ml-auto flex items-center gap-2">
            {user ? (
              <>
                <BalanceChip userId={user.id} coins={String(balances!.coins)} />
                <span className="hidden text-sm text-muted lg:inline">{user.displayName}</span>
                <form action={signOutAction}>
                  <button type="submit" className={linkClass}>
                    Sign out
                  </button>
                </form>
              </>
            ) : (
              <>
                <Link href="/sign-in" className={linkClass}>
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
      <TabBar items={items} />
    </>
  );
}
