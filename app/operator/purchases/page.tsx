import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { formatUtc } from "@/components/creator/format";
import { RefundPurchase } from "@/components/operator/RefundPurchase";
import { formatCoins, formatDiamonds, formatMoney, type Currency } from "@/lib/economy";
import { requireUser } from "@/lib/auth/session";
import { listPurchases, type OperatorPurchase } from "@/lib/refunds/purchases";

export const metadata: Metadata = { title: "Purchases" };

const STATE_STYLE: Record<OperatorPurchase["state"], string> = {
  paid: "bg-green-50 text-green-800",
  refunded: "bg-amber-50 text-amber-900",
  "charged back": "bg-red-50 text-brand-dark",
};

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? undefined : value;
}

export default async function OperatorPurchasesPage({ searchParams }: { searchParams: Promise<{ cursor?: string | string[]; email?: string | string[] }> }) {
  await requireUser("/operator/purchases", ["OPERATOR"]);
  const query = await searchParams;
  if (Array.isArray(query.cursor) || Array.isArray(query.email)) notFound();
  const email = (single(query.email) ?? "").slice(0, 254);
  const page = await listPurchases({ cursor: single(query.cursor) ?? null, email });
  if (!page.ok) notFound();
  const next = page.nextCursor ? `/operator/purchases?${new URLSearchParams({ ...(email ? { email } : {}), cursor: page.nextCursor })}` : null;
  return (
    <div className="flex flex-col gap-5">
      <h1 className="text-2xl font-extrabold">Purchases</h1>
      <p className="text-sm text-muted">
        Succeeded purchases, newest first. A refund takes the coins back (what was spent becomes a debt the viewer&apos;s next recharge covers), claws back the
        creators&apos; diamonds those coins paid for, and returns the money.
      </p>
      <form method="get" className="flex flex-wrap items-end gap-2" role="search">
        <div className="flex flex-col gap-1">
          <label htmlFor="email" className="text-sm font-semibold">
            Buyer&apos;s email
          </label>
          <input id="email" name="email" type="email" defaultValue={email} maxLength={254} className="rounded-lg border border-gray-300 px-3 py-2" />
        </div>
        <button type="submit" className="rounded-full bg-ink px-4 py-2 text-sm font-semibold text-white">
          Filter
        </button>
        {email ? (
          <Link href="/operator/purchases" className="px-2 py-2 text-sm font-semibold underline">
            Show all
          </Link>
        ) : null}
      </form>
      {page.items.length === 0 ? (
        <p className="rounded-2xl bg-white p-4 text-sm text-muted shadow-sm">{email ? `No purchases by ${email}.` : "No purchases yet."}</p>
      ) : null}
      <ul className="flex flex-col gap-3" data-testid="purchases">
        {page.items.map((p) => {
          const money = formatMoney(p.amount, p.currency as Currency);
          return (
            <li key={p.id} className="flex flex-col gap-3 rounded-2xl bg-white p-4 shadow-sm" data-testid="purchase">
              <div className="flex flex-wrap items-start justify-between gap-2">
                <div className="flex flex-col text-sm">
                  <span className="font-bold">
                    {p.email} · {money}
                  </span>
                  <span className="text-muted">
                    {formatCoins(p.coins)} coins{p.bonusCoins > 0n ? ` + ${formatCoins(p.bonusCoins)} bonus` : ""} · paid {formatUtc(p.paidAt)}
                  </span>
                </div>
                <span className={`rounded-full px-3 py-1 text-xs font-bold uppercase ${STATE_STYLE[p.state]}`}>{p.state}</span>
              </div>
              {p.state === "paid" ? (
                <RefundPurchase id={p.id} label={`${p.email}'s ${money} purchase`} />
              ) : p.outcome ? (
                <p className="text-sm text-muted">
                  {p.state === "refunded" ? "Refunded" : "Charged back"} {p.refundedAt ? formatUtc(p.refundedAt) : ""} ({p.refundReason}):{" "}
                  {formatCoins(p.outcome.coinsRemoved)} coins removed, {formatCoins(p.outcome.debtCreated)} owed, 💎{" "}
                  {formatDiamonds(p.outcome.creators.reduce((s, c) => s + c.clawedMinor, 0n))} clawed back, 💎 {formatDiamonds(p.outcome.lossMinor)} platform
                  loss.
                </p>
              ) : null}
            </li>
          );
        })}
      </ul>
      {next ? (
        <Link href={next} className="self-start rounded-full border border-gray-500 px-4 py-2 text-sm font-semibold">
          Older purchases
        </Link>
      ) : null}
    </div>
  );
}
