import type { Metadata } from "next";
import Link from "next/link";
import { formatUtc } from "@/components/creator/format";
import { Field, FieldSelect } from "@/components/ui/Field";
import { Notice } from "@/components/ui/Notice";
import { requireUser } from "@/lib/auth/session";
import { formatAssetAmount } from "@/lib/economy";
import { getLedger } from "@/lib/ledger";
import { listTransfers, parseTransferFilter, TRANSFER_KINDS, transferFilterQuery, type TransferFilter } from "@/lib/operator/transfers";

export const metadata: Metadata = { title: "Transfers" };

const KIND_LABELS: Record<string, string> = {
  RECHARGE: "Recharges",
  BONUS: "Bonus coins",
  GIFT: "Gifts",
  WITHDRAWAL: "Withdrawals",
  REFUND: "Refunds",
  CHARGEBACK: "Chargebacks",
  ADJUSTMENT: "Adjustments",
  TREASURE_DROP: "Treasure boxes dropped",
  TREASURE_PAYOUT: "Treasure boxes paid",
  TREASURE_RETURN: "Treasure boxes returned",
};

function metadataLines(metadata: Record<string, unknown>): [key: string, value: string][] {
  return Object.entries(metadata)
    .filter(([key]) => key !== "label")
    .map(([key, value]) => [key, typeof value === "string" ? value : JSON.stringify(value)]);
}

export default async function TransfersPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireUser("/operator/transfers", ["OPERATOR"]);
  const params = await searchParams;
  const parsed = parseTransferFilter(params);
  const filter: TransferFilter | null = parsed.ok ? parsed.filter : null;
  const page = filter ? await listTransfers(getLedger().pool, filter) : null;
  const value = (name: string) => (typeof params[name] === "string" ? (params[name] as string) : "");

  return (
    <div className="flex flex-col gap-5">
      <h1 className="text-2xl font-extrabold">Transfers</h1>
      <p className="text-sm text-muted">Every movement of value, newest first. Nothing here is ever edited or deleted: a correction is a new transfer.</p>
      <form method="get" className="grid grid-cols-2 gap-3 rounded-2xl bg-white p-4 shadow-sm sm:grid-cols-5" aria-label="Filter transfers">
        <FieldSelect compact id="kind" label="Kind" name="kind" defaultValue={value("kind")}>
          <option value="">All kinds</option>
          {TRANSFER_KINDS.map((k) => (
            <option key={k} value={k}>
              {KIND_LABELS[k] ?? k}
            </option>
          ))}
        </FieldSelect>
        <Field compact id="user" label="User (email)" name="user" type="email" defaultValue={value("user")} className="col-span-2 sm:col-span-2" />
        <Field compact id="from" label="From (UTC day)" name="from" type="date" defaultValue={value("from")} />
        <Field compact id="to" label="To (UTC day)" name="to" type="date" defaultValue={value("to")} />
        <div className="col-span-2 flex items-center gap-3 sm:col-span-5">
          <button type="submit" className="rounded-full bg-brand-dark px-5 py-2 text-sm font-semibold text-white shadow hover:bg-[#a00c24]">
            Show transfers
          </button>
          <Link href="/operator/transfers" className="text-sm font-semibold text-brand-dark underline">
            Clear the filter
          </Link>
        </div>
      </form>

      {!parsed.ok ? <Notice tone="error">{parsed.message}</Notice> : null}
      {page?.unknownUser ? <Notice tone="error">No account has that email.</Notice> : null}
      {page && !page.unknownUser && page.items.length === 0 ? <p className="text-sm text-muted">No transfers match this filter.</p> : null}

      {page && page.items.length > 0 ? (
        <ol className="flex flex-col gap-3" data-testid="transfers">
          {page.items.map((t) => (
            <li key={String(t.id)} className="flex flex-col gap-2 rounded-2xl bg-white p-4 text-sm shadow-sm">
              <div className="flex flex-wrap items-baseline justify-between gap-2">
                <span className="font-bold">
                  #{String(t.id)} · {KIND_LABELS[t.kind] ?? t.kind}
                  {t.label ? `: ${t.label}` : ""}
                </span>
                <span className="text-muted">{formatUtc(t.createdAt)}</span>
              </div>
              <table className="w-full text-left">
                <caption className="sr-only">Postings of transfer {String(t.id)}</caption>
                <thead className="sr-only">
                  <tr>
                    <th scope="col">Account</th>
                    <th scope="col">Amount</th>
                  </tr>
                </thead>
                <tbody>
                  {t.postings.map((p, i) => (
                    <tr key={i} className="border-t border-gray-100">
                      <td className="py-1 pr-2">
                        {p.user ? (
                          <Link href={`/operator/transfers${transferFilterQuery({ email: p.user.email })}`} className="underline">
                            {p.user.name}
                          </Link>
                        ) : null}{" "}
                        <span className="text-muted">{p.accountKind.replaceAll("_", " ").toLowerCase()}</span>
                      </td>
                      <td className={`py-1 text-right tabular-nums ${p.amount < 0n ? "text-brand-dark" : "text-green-800"}`}>
                        {p.amount > 0n ? "+" : ""}
                        {formatAssetAmount(p.amount, p.asset)}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <p className="font-mono text-xs break-all text-muted">
                key {t.idempotencyKey}
                {metadataLines(t.metadata).map(([key, value]) => (
                  <span key={key} className="block">
                    {key}:{" "}
                    {key === "boxId" ? (
                      <Link href={`/operator/treasure/${value}`} className="underline">
                        {value}
                      </Link>
                    ) : (
                      value
                    )}
                  </span>
                ))}
              </p>
            </li>
          ))}
        </ol>
      ) : null}
      {page?.nextBefore && filter ? (
        <Link
          href={`/operator/transfers${transferFilterQuery({ ...filter, before: page.nextBefore })}`}
          className="self-start font-semibold text-brand-dark underline"
        >
          Older transfers
        </Link>
      ) : null}
    </div>
  );
}
