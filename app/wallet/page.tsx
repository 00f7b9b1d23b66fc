import type { Metadata } from "next";
import Link from "next/link";
import { formatCoins } from "@/lib/economy";
import { requireUser } from "@/lib/auth/session";
import { getLedger } from "@/lib/ledger";
import { getWalletBalances } from "@/lib/ledger/wallets";

export const metadata: Metadata = { title: "Wallet" };

const KIND_LABEL: Record<string, string> = {
  RECHARGE: "Recharge",
  BONUS: "Bonus",
  GIFT: "Gift sent",
  WITHDRAWAL: "Withdrawal",
  REFUND: "Refund",
  ADJUSTMENT: "Adjustment",
};

export default async function WalletPage({ searchParams }: { searchParams: Promise<{ cursor?: string }> }) {
  const user = await requireUser("/wallet");
  const { cursor } = await searchParams;
  const { coins } = await getWalletBalances(user.id);
  const ledger = getLedger();
  const account = await ledger.userAccount(user.id, "VIEWER_COINS");
  const history = await ledger.getHistory(account.id, { cursor, limit: 20 });
  return (
    <div className="flex flex-col gap-6">
      <section className="rounded-3xl bg-gradient-to-br from-amber-300 to-amber-500 p-6 text-amber-950 shadow">
        <h1 className="text-sm font-bold uppercase tracking-wider">Your coins</h1>
        <p className="mt-1 text-5xl font-extrabold" data-testid="wallet-balance">
          {formatCoins(coins)}
        </p>
        <p className="mt-2 text-sm font-medium">
          {user.isAdult
            ? "Coins never expire. They cannot be refunded or transferred to another account."
            : "You are under 18: you can watch streams, but buying and sending coins is not available on your account."}
        </p>
      </section>
      <section aria-labelledby="history-heading" className="rounded-2xl bg-white p-5 shadow-sm">
        <h2 id="history-heading" className="text-lg font-bold">
          History
        </h2>
        {history.items.length === 0 ? (
          <p className="mt-3 text-muted">No coin movements yet. Recharges and gifts you send will appear here.</p>
        ) : (
          <table className="mt-3 w-full text-left text-sm">
            <thead>
              <tr className="text-muted">
                <th scope="col" className="py-2 pr-2">When</th>
                <th scope="col" className="py-2 pr-2">What</th>
                <th scope="col" className="py-2 text-right">Coins</th>
              </tr>
            </thead>
            <tbody>
              {history.items.map((item) => (
                <tr key={String(item.postingId)} className="border-t border-gray-100">
                  <td className="py-2 pr-2 whitespace-nowrap">
                    <time dateTime={item.createdAt.toISOString()}>{item.createdAt.toISOString().slice(0, 16).replace("T", " ")} UTC</time>
                  </td>
                  <td className="py-2 pr-2">{String(item.metadata.label ?? KIND_LABEL[item.kind] ?? item.kind)}</td>
                  <td className={`py-2 text-right font-semibold tabular-nums ${item.amount < 0n ? "text-brand-dark" : "text-green-700"}`}>
                    {item.amount > 0n ? "+" : "−"}
                    {formatCoins(item.amount < 0n ? -item.amount : item.amount)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {history.nextCursor ? (
          <Link href={`/wallet?cursor=${history.nextCursor}`} className="mt-3 inline-block font-semibold text-brand-dark underline">
            Older entries
          </Link>
        ) : null}
      </section>
    </div>
  );
}
