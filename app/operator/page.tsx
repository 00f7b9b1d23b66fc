import type { Metadata } from "next";
import { requireUser } from "@/lib/auth/session";
import { getLedger, reconcile } from "@/lib/ledger";

export const metadata: Metadata = { title: "Economy console" };

export default async function OperatorPage() {
  await requireUser("/operator", ["OPERATOR"]);
  const result = await reconcile(getLedger().pool);
  return (
    <div className="flex flex-col gap-6">
      <h1 className="text-2xl font-extrabold">Economy console</h1>
      <section
        aria-labelledby="recon"
        className={`rounded-2xl p-5 shadow-sm ${result.ok ? "bg-green-50 text-green-900" : "bg-red-50 text-brand-dark"}`}
      >
        <h2 id="recon" className="text-lg font-bold">
          Reconciliation: {result.ok ? "balanced, zero drift" : "DRIFT FOUND"}
        </h2>
        <p className="text-sm">
          {String(result.transfers)} transfers, {String(result.postings)} postings. Accounts whose cached balance differs from
          their postings: {result.drift.length}. Transfers that do not balance: {result.unbalancedTransfers.length}.
        </p>
      </section>
      <section aria-labelledby="trial" className="overflow-x-auto rounded-2xl bg-white p-5 shadow-sm">
        <h2 id="trial" className="text-lg font-bold">
          Trial balance
        </h2>
        <p className="text-sm text-muted">Minor units: COIN = coins, DIAMOND = 1/1000 diamond, USD = cents. Each asset sums to zero.</p>
        <table className="mt-3 w-full text-left text-sm">
          <thead>
            <tr className="text-muted">
              <th scope="col" className="py-2 pr-2">Asset</th>
              <th scope="col" className="py-2 pr-2">Account kind</th>
              <th scope="col" className="py-2 pr-2 text-right">Accounts</th>
              <th scope="col" className="py-2 text-right">Balance</th>
            </tr>
          </thead>
          <tbody>
            {result.trialBalance.map((line) => (
              <tr key={`${line.asset}-${line.kind}`} className="border-t border-gray-100">
                <td className="py-2 pr-2">{line.asset}</td>
                <td className="py-2 pr-2">{line.kind.replaceAll("_", " ").toLowerCase()}</td>
                <td className="py-2 pr-2 text-right tabular-nums">{line.accounts}</td>
                <td className="py-2 text-right tabular-nums">{String(line.balance)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </div>
  );
}
