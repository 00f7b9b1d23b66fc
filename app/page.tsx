import Link from "next/link";
import { getCurrentUser } from "@/lib/auth/session";

export const dynamic = "force-dynamic";

export default async function HomePage() {
  const user = await getCurrentUser();
  return (
    <div className="flex flex-col gap-8">
      <section className="rounded-3xl bg-ink px-6 py-10 text-white shadow-lg sm:px-10">
        <p className="text-sm font-semibold tracking-widest text-accent uppercase">Creator gifting, simulated exactly</p>
        <h1 className="mt-2 text-3xl font-extrabold sm:text-5xl">Coins in, gifts out, diamonds earned.</h1>
        <p className="mt-4 max-w-2xl text-white/85">
          Recharge coins, send gifts to a live creator and watch every coin become diamonds and cash on one double-entry ledger that always balances. The money
          is pretend; the accounting is real.
        </p>
        <div className="mt-6 flex flex-wrap gap-3">
          {user ? (
            <Link href="/wallet" className="rounded-full bg-brand-dark px-5 py-3 font-semibold text-white">
              Open your wallet
            </Link>
          ) : (
            <>
              <Link href="/sign-up" className="rounded-full bg-brand-dark px-5 py-3 font-semibold text-white">
                Create an account
              </Link>
              <Link href="/sign-in" className="rounded-full bg-white px-5 py-3 font-semibold text-ink">
                Sign in with a demo account
              </Link>
            </>
          )}
        </div>
      </section>
      <section aria-labelledby="how" className="grid gap-4 sm:grid-cols-3">
        <h2 id="how" className="sr-only">
          How the economy works
        </h2>
        {[
          ["Viewers", "Buy coin packages, send gifts during a live stream, and keep an eye on their budget and receipts."],
          ["Creators", "Go live, watch gifts arrive, and turn the diamonds they earn (about half of each gift) into cash."],
          ["Operators", "See coins sold and outstanding, diamonds owed, the margin and a trial balance that must reconcile."],
        ].map(([title, text]) => (
          <article key={title} className="rounded-2xl bg-white p-5 shadow-sm">
            <h3 className="text-lg font-bold">{title}</h3>
            <p className="mt-1 text-muted">{text}</p>
          </article>
        ))}
      </section>
    </div>
  );
}
