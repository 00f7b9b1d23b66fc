import type { Metadata } from "next";
import Link from "next/link";
import { BarChart } from "@/components/operator/BarChart";
import { ReconcileButton } from "@/components/operator/ReconcileButton";
import { formatUtc } from "@/components/creator/format";
import { requireUser } from "@/lib/auth/session";
import { CHANNEL_LABELS, formatAssetAmount, formatBasisPoints, formatCoins, formatDiamonds, formatMoney } from "@/lib/economy";
import { getLedger } from "@/lib/ledger";
import { loadEconomyOverview } from "@/lib/operator/overview";
import { lastReconciliation } from "@/lib/operator/reconciliations";
import { Card } from "@/components/ui/Card";
import { Table } from "@/components/ui/Table";

export const metadata: Metadata = { title: "Economy console" };

const dayLabel = (day: Date) => day.toLocaleDateString("en-US", { month: "short", day: "numeric", timeZone: "UTC" });
const usd = (cents: bigint) => formatMoney(cents, "USD");

function Figure({ label, value, href, detail }: { label: string; value: string; href?: string; detail?: string }) {
  return (
    <div className="flex flex-col rounded-xl bg-gray-50 p-3">
      <dt className="text-xs font-semibold text-muted">{label}</dt>
      <dd className="text-lg font-extrabold tabular-nums">
        {href ? (
          <Link href={href} className="underline decoration-gray-300 underline-offset-4 hover:decoration-brand-dark">
            {value}
          </Link>
        ) : (
          value
        )}
      </dd>
      {detail ? <dd className="text-xs text-muted">{detail}</dd> : null}
    </div>
  );
}

export default async function OperatorPage({ searchParams }: { searchParams: Promise<{ raw?: string }> }) {
  await requireUser("/operator", ["OPERATOR"]);
  const raw = (await searchParams).raw === "1";
  const overview = await loadEconomyOverview();
  const run = await lastReconciliation(getLedger().pool);
  const { owes, kept } = overview;
  const sold = overview.sales.reduce((sum, l) => ({ purchases: sum.purchases + l.purchases, coins: sum.coins + l.coins }), { purchases: 0, coins: 0n });
  const periodRevenue = overview.salesByDay.reduce((sum, d) => sum + d.revenueUsdCents, 0n);
  const periodCommission = overview.salesByDay.reduce((sum, d) => sum + d.commissionUsdCents, 0n);
  const amount = (minor: bigint, asset: string) => (raw ? `${minor} (minor units)` : formatAssetAmount(minor, asset));

  return (
    <div className="flex flex-col gap-5">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h1 className="text-2xl font-extrabold">Economy console</h1>
        <p className="text-sm text-muted">As of {formatUtc(overview.asOf)}. US-dollar totals use the simulation&apos;s reference exchange rates.</p>
      </div>

      <section
        aria-labelledby="recon"
        className={`flex flex-col gap-3 rounded-2xl p-5 shadow-sm ${!run ? "bg-white" : run.ok ? "bg-green-50 text-green-900" : "border-4 border-brand-dark bg-red-50 text-brand-dark"}`}
        data-testid="reconciliation"
      >
        <h2 id="recon" className="text-lg font-bold">
          {!run ? "Reconciliation: not run yet" : run.ok ? "Reconciliation: balanced, zero drift" : "⚠ Reconciliation: DRIFT FOUND"}
        </h2>
        {run ? (
          <p className="text-sm">
            Last run {formatUtc(run.finishedAt)} by {run.runBy?.name ?? "npm run reconcile"}: {run.transfers.toLocaleString("en-US")} transfers,{" "}
            {run.postings.toLocaleString("en-US")} postings; every balance recomputed from its postings.
          </p>
        ) : (
          <p className="text-sm">Recompute every balance from the postings and check each transfer and each asset sums to zero.</p>
        )}
        {run && !run.ok ? (
          <div className="text-sm">
            {run.drift.length ? (
              <>
                <h3 className="font-bold">Accounts whose cached balance differs from their postings ({run.drift.length})</h3>
                <ul className="list-disc pl-5">
                  {run.drift.slice(0, 50).map((d) => (
                    <li key={d.accountId}>
                      <span className="font-mono">{d.code}</span>: cached {d.cached}, postings say {d.computed}
                    </li>
                  ))}
                </ul>
              </>
            ) : null}
            {run.unbalanced.length ? (
              <>
                <h3 className="font-bold">Transfers that do not balance ({run.unbalanced.length})</h3>
                <ul className="list-disc pl-5">
                  {run.unbalanced.slice(0, 50).map((u) => (
                    <li key={`${u.transferId}-${u.asset}`}>
                      transfer {u.transferId}: {u.asset} sums to {u.sum}
                    </li>
                  ))}
                </ul>
              </>
            ) : null}
            {run.assetTotals
              .filter((t) => t.total !== "0")
              .map((t) => (
                <p key={t.asset}>
                  {t.asset} postings sum to {t.total}, not zero.
                </p>
              ))}
          </div>
        ) : null}
        <ReconcileButton />
      </section>

      <Card id="money-in" title={`Money in: the last ${overview.days} days`}>
        <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4">
          <Figure label="Paid by buyers" value={usd(periodRevenue)} href="/operator/transfers?kind=RECHARGE" />
          <Figure label="Store commission" value={usd(periodCommission)} detail="App Store 30 %, Google Play 15 %, web 0 %" />
          <Figure label="Purchases" value={sold.purchases.toLocaleString("en-US")} href="/operator/purchases" />
          <Figure label="Coins sold" value={`${formatCoins(sold.coins)} coins`} href="/operator/transfers?kind=RECHARGE" />
        </dl>
        <BarChart
          id="revenue-chart"
          title="Paid by buyers (USD)"
          data={overview.salesByDay.map((d) => ({ label: dayLabel(d.day), value: d.revenueUsdCents }))}
          format={usd}
        />
        <div className="overflow-x-auto" tabIndex={0} role="region" aria-label="Money in by channel and currency (scrolls sideways)">
          <Table
            caption="By channel and currency"
            showCaption
            columns={[
              { label: "Channel" },
              { label: "Currency" },
              { label: "Purchases", numeric: true },
              { label: "Coins", numeric: true },
              { label: "Paid", numeric: true },
              { label: "Store commission", numeric: true },
              { label: "To the platform", numeric: true },
            ]}
          >
            {overview.sales.length === 0 ? (
              <tr>
                <td colSpan={7} className="py-3 text-muted">
                  No purchases in these days.
                </td>
              </tr>
            ) : null}
            {overview.sales.map((l) => (
              <tr key={`${l.platform}-${l.currency}`} className="border-t border-gray-100">
                <td className="py-2 pr-2">{CHANNEL_LABELS[l.platform]}</td>
                <td className="py-2 pr-2">{l.currency}</td>
                <td className="py-2 pr-2 text-right tabular-nums">{l.purchases.toLocaleString("en-US")}</td>
                <td className="py-2 pr-2 text-right tabular-nums">{formatCoins(l.coins)}</td>
                <td className="py-2 pr-2 text-right tabular-nums">{formatMoney(l.amount, l.currency)}</td>
                <td className="py-2 pr-2 text-right tabular-nums">{formatMoney(l.commission, l.currency)}</td>
                <td className="py-2 text-right tabular-nums">{formatMoney(l.amount - l.commission, l.currency)}</td>
              </tr>
            ))}
          </Table>
        </div>
      </Card>

      <Card id="owes" title="What the platform owes">
        <dl className="grid grid-cols-2 gap-3 sm:grid-cols-3">
          <Figure label="Coins outstanding (unspent)" value={`${formatCoins(owes.coinsOutstanding)} coins`} detail="Sold or granted, not yet spent" />
          <Figure
            label="Diamonds owed to creators"
            value={`${formatDiamonds(owes.diamondsOwed)} diamonds`}
            detail={`Worth ${usd(owes.diamondsOwedCents)} at the withdrawal rate`}
          />
          <Figure
            label="Withdrawals pending"
            value={`${owes.pendingWithdrawals.count} · ${usd(owes.pendingWithdrawals.netCents)}`}
            href="/operator/withdrawals"
            detail={`${formatDiamonds(owes.pendingWithdrawals.diamonds)} diamonds reserved`}
          />
          <Figure
            label="Owed to the platform"
            value={`${formatCoins(owes.coinDebt)} coins`}
            href="/operator/transfers?kind=REFUND"
            detail="Spent coins of refunded purchases; the next recharge covers them"
          />
        </dl>
      </Card>

      <Card id="kept" title="What it kept (since the start)">
        <dl className="grid grid-cols-2 gap-3 sm:grid-cols-3">
          <Figure label="Coins spent on gifts" value={`${formatCoins(kept.coinsSpentOnGifts)} coins`} href="/operator/transfers?kind=GIFT" />
          <Figure label="Diamonds issued for them" value={`${formatDiamonds(kept.diamondsIssued)} diamonds`} href="/operator/transfers?kind=GIFT" />
          <Figure label="Bonus coins granted" value={`${formatCoins(kept.bonusCoinsGranted)} coins`} href="/operator/transfers?kind=BONUS" />
          <Figure
            label="Revenue (net of money given back)"
            value={usd(kept.revenueUsdCents)}
            href="/operator/transfers?kind=RECHARGE"
            detail={kept.revenueByCurrency.map((r) => formatMoney(r.amount, r.currency)).join(" + ") || "No sales yet"}
          />
          <Figure
            label="Given back"
            value={usd(kept.givenBackUsdCents)}
            href="/operator/purchases"
            detail={`Refunds and chargebacks, of ${usd(kept.grossSalesUsdCents)} paid by buyers`}
          />
          <Figure label="Store commission" value={usd(kept.commissionUsdCents)} />
          <Figure
            label="Cash paid to creators"
            value={usd(kept.creatorPayoutCents)}
            href="/operator/transfers?kind=WITHDRAWAL"
            detail={`${formatDiamonds(kept.diamondsRedeemed)} diamonds withdrawn; fees kept ${usd(kept.withdrawalFeeCents)}`}
          />
          <Figure
            label="Margin"
            value={usd(kept.margin.marginCents)}
            detail={`${kept.margin.marginBasisPoints === null ? "—" : formatBasisPoints(kept.margin.marginBasisPoints)} of revenue: revenue − store commission − cash paid to creators`}
          />
        </dl>
        <BarChart
          id="gifts-chart"
          title="Coins spent on gifts"
          data={overview.giftsByDay.map((d) => ({ label: dayLabel(d.day), value: d.coins }))}
          format={(v) => `${formatCoins(v)} coins`}
        />
        {overview.giftsNotYetCounted > 0 ? (
          <p className="text-xs text-muted" role="status">
            Updating: {overview.giftsNotYetCounted.toLocaleString("en-US")} gifts from the last second are not in the chart yet.
          </p>
        ) : null}
      </Card>

      <Card id="trial" title="Trial balance">
        <p className="text-sm text-muted">
          Each account kind&apos;s balance, per asset; each asset sums to zero.{" "}
          <Link href={raw ? "/operator" : "/operator?raw=1"} className="font-semibold text-brand-dark underline">
            {raw ? "Show formatted amounts" : "Show minor units"}
          </Link>
        </p>
        <div className="overflow-x-auto" tabIndex={0} role="region" aria-label="Trial balance (scrolls sideways)">
          <Table columns={[{ label: "Asset" }, { label: "Account kind" }, { label: "Accounts", numeric: true }, { label: "Balance", numeric: true }]}>
            {overview.trialBalance.map((line) => (
              <tr key={`${line.asset}-${line.kind}`} className="border-t border-gray-100">
                <td className="py-2 pr-2">{line.asset}</td>
                <td className="py-2 pr-2">{line.kind.replaceAll("_", " ").toLowerCase()}</td>
                <td className="py-2 pr-2 text-right tabular-nums">{line.accounts}</td>
                <td className="py-2 text-right tabular-nums">{amount(line.balance, line.asset)}</td>
              </tr>
            ))}
          </Table>
        </div>
      </Card>
    </div>
  );
}
