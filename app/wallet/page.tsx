import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { RankingPrivacyForm } from "@/components/live/RankingPrivacyForm";
import { BudgetForm } from "@/components/recharge/BudgetForm";
import { budgetStatus, formatCoins, formatMoney } from "@/lib/economy";
import { getRechargeTotals, listPayments, parsePaymentsCursor } from "@/lib/payments/intents";
import { requireUser } from "@/lib/auth/session";
import { frozenRefusal } from "@/lib/fraud/freezes";
import { getLedger } from "@/lib/ledger";
import { getWalletBalances } from "@/lib/ledger/wallets";
import { getCoinDebt } from "@/lib/refunds/accounts";
import { getHideFromRankings } from "@/lib/live/rankings";
import { getGifterStanding } from "@/lib/live/levels";
import { GifterLevelCard } from "@/components/live/GifterLevelCard";
import { FanClubsCard } from "@/components/live/FanClubsCard";
import { listMyFanClubs } from "@/lib/live/fans";
import { parseBigintId } from "@/lib/validation/input";
import { Card } from "@/components/ui/Card";
import { Table } from "@/components/ui/Table";

export const metadata: Metadata = { title: "Wallet" };

const KIND_LABEL: Record<string, string> = {
  RECHARGE: "Recharge",
  BONUS: "Bonus",
  GIFT: "Gift sent",
  WITHDRAWAL: "Withdrawal",
  REFUND: "Refund",
  CHARGEBACK: "Chargeback",
  ADJUSTMENT: "Adjustment",
  TREASURE_DROP: "Treasure box dropped",
  TREASURE_PAYOUT: "Treasure box won",
  TREASURE_RETURN: "Treasure box returned",
};

const PAYMENT_STATUS: Record<string, string> = {
  SUCCEEDED: "Paid",
  PROCESSING: "Processing",
  FAILED: "Declined",
  CANCELED: "Canceled",
  REQUIRES_ACTION: "Awaiting confirmation",
};

export default async function WalletPage({ searchParams }: { searchParams: Promise<{ cursor?: string | string[]; purchases?: string | string[] }> }) {
  const user = await requireUser("/wallet");
  const query = await searchParams;
  // Cursors come from the page's own links; anything else is a page that does not exist.
  // (A parameter given twice arrives as a list, which both parsers refuse.)
  const historyCursor = parseBigintId(query.cursor, "cursor", "page");
  const purchasesCursor = parsePaymentsCursor(query.purchases);
  if (!historyCursor.ok || !purchasesCursor.ok) notFound();
  const cursor = historyCursor.value === null ? null : String(historyCursor.value);
  const { coins } = await getWalletBalances(user.id);
  const ledger = getLedger();
  const owed = await getCoinDebt(ledger.pool, user.id);
  const account = await ledger.userAccount(user.id, "VIEWER_COINS");
  const history = await ledger.getHistory(account.id, { cursor, limit: 20 });
  const purchases = await listPayments(user.id, { cursor: typeof query.purchases === "string" ? query.purchases : null, limit: 10 });
  const totals = await getRechargeTotals(ledger.pool, user.id);
  const hiddenFromRankings = await getHideFromRankings(user.id);
  const frozen = await frozenRefusal(user.id);
  const standing = await getGifterStanding(ledger.pool, user.id);
  const fanClubs = await listMyFanClubs(ledger.pool, user.id);
  const budget = budgetStatus({ purchasedThisMonthCoins: totals.purchasedThisMonthCoins, monthlyBudgetCoins: totals.monthlyBudgetCoins });
  return (
    <div className="flex flex-col gap-6">
      {frozen ? (
        <p role="alert" data-testid="frozen-banner" className="rounded-2xl border border-red-300 bg-red-50 p-4 font-semibold text-red-900">
          {frozen}
        </p>
      ) : null}
      <section className="rounded-3xl bg-gradient-to-br from-amber-300 to-amber-500 p-6 text-amber-950 shadow">
        <h1 className="text-sm font-bold tracking-wider uppercase">Your coins</h1>
        <p className="mt-1 text-5xl font-extrabold" data-testid="wallet-balance">
          {formatCoins(coins)}
        </p>
        {owed > 0n ? (
          <p className="mt-2 rounded-lg bg-white/80 px-3 py-2 text-sm font-semibold text-brand-dark" data-testid="coin-debt">
            Your account owes {formatCoins(owed)} coins from a refunded purchase. Your next recharge covers it first; until then you cannot send gifts.
          </p>
        ) : null}
        <p className="mt-2 text-sm font-medium">
          {user.isAdult
            ? "Coins never expire. They cannot be refunded or transferred to another account."
            : "You are under 18: you can watch streams, but buying and sending coins is not available on your account."}
        </p>
        {user.isAdult ? (
          <Link href="/recharge" className="mt-4 inline-block rounded-full bg-ink px-5 py-2.5 font-semibold text-white">
            Recharge
          </Link>
        ) : null}
      </section>
      <GifterLevelCard standing={standing} />
      <FanClubsCard clubs={fanClubs} />
      <Card
        flow
        id="purchases"
        title="Purchases"
        aside={
          <a href="/wallet/export" className="text-sm font-semibold text-brand-dark underline" download>
            Export CSV
          </a>
        }
      >
        {purchases.items.length === 0 ? (
          <p className="mt-3 text-muted">No purchases yet.</p>
        ) : (
          <ul className="mt-3 divide-y divide-gray-100">
            {purchases.items.map((p) => (
              <li key={p.id} className="flex items-center justify-between gap-3 py-2 text-sm">
                <span>
                  <span className="font-semibold">{formatCoins(p.coins)} coins</span>
                  {p.bonusCoins > 0n ? <span className="text-green-700"> +{formatCoins(p.bonusCoins)} bonus</span> : null}
                  <span className="block text-muted">
                    {formatMoney(p.amount, p.currency)} · {p.method === "CARD" ? `card ${p.cardLast4 ?? ""}` : (p.method?.toLowerCase() ?? "")} ·{" "}
                    {p.createdAt.toISOString().slice(0, 10)}
                  </span>
                </span>
                <span className="text-right">
                  <span className={p.status === "SUCCEEDED" ? "font-semibold text-green-700" : "font-semibold text-muted"}>
                    {PAYMENT_STATUS[p.status] ?? p.status}
                  </span>
                  <Link href={`/wallet/receipts/${p.id}`} className="block text-brand-dark underline">
                    Receipt
                  </Link>
                </span>
              </li>
            ))}
          </ul>
        )}
        {purchases.nextCursor ? (
          <Link href={`/wallet?purchases=${encodeURIComponent(purchases.nextCursor)}`} className="mt-3 inline-block font-semibold text-brand-dark underline">
            Older purchases
          </Link>
        ) : null}
      </Card>
      {user.isAdult ? (
        <Card flow id="budget" title="Budget">
          {budget ? (
            <p className={`mt-1 text-sm ${budget.warning ? "font-semibold text-amber-900" : "text-muted"}`}>
              This month: {formatCoins(totals.purchasedThisMonthCoins)} of {formatCoins(totals.monthlyBudgetCoins!)} coins ({String(budget.usedPercent)}%)
              {budget.warning ? " — you have used 80% or more of your budget." : "."}
            </p>
          ) : null}
          <div className="mt-3">
            <BudgetForm current={totals.monthlyBudgetCoins === null ? "" : String(totals.monthlyBudgetCoins)} />
          </div>
        </Card>
      ) : null}
      <Card flow anchor id="rankings" title="Leaderboards">
        <div className="mt-3">
          <RankingPrivacyForm hidden={hiddenFromRankings} />
        </div>
      </Card>
      <Card flow id="history" title="Coin history">
        {history.items.length === 0 ? (
          <p className="mt-3 text-muted">No coin movements yet. Recharges and gifts you send will appear here.</p>
        ) : (
          <Table className="mt-3 w-full text-left text-sm" columns={[{ label: "When" }, { label: "What" }, { label: "Coins", numeric: true }]}>
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
          </Table>
        )}
        {history.nextCursor ? (
          <Link href={`/wallet?cursor=${history.nextCursor}`} className="mt-3 inline-block font-semibold text-brand-dark underline">
            Older entries
          </Link>
        ) : null}
      </Card>
      {user.role === "VIEWER" && user.isAdult ? (
        <p className="text-sm text-muted">
          Want to go LIVE and earn diamonds?{" "}
          <Link href="/become-creator" className="font-semibold text-brand-dark underline">
            Become a creator
          </Link>
        </p>
      ) : null}
    </div>
  );
}
