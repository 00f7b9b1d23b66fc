import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { formatCoins, formatMoney } from "@/lib/economy";
import { requireUser } from "@/lib/auth/session";
import { getPayment } from "@/lib/payments/intents";
import { maskCard } from "@/lib/payments/cards";

export const metadata: Metadata = { title: "Receipt" };

const STATUS_LABEL: Record<string, string> = {
  SUCCEEDED: "Paid",
  PROCESSING: "Processing",
  FAILED: "Declined",
  CANCELED: "Canceled",
  REQUIRES_ACTION: "Waiting for confirmation",
  REQUIRES_CONFIRMATION: "Not paid",
};

export default async function ReceiptPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const user = await requireUser(`/wallet/receipts/${id}`);
  const intent = await getPayment(user.id, id);
  if (!intent) notFound();
  const method =
    intent.method === "CARD" && intent.cardBrand && intent.cardLast4
      ? maskCard(intent.cardBrand as Parameters<typeof maskCard>[0], intent.cardLast4)
      : intent.method === "PAYPAL"
        ? "PayPal"
        : intent.method === "WALLET"
          ? "Mobile wallet"
          : "—";
  const rows: Array<[string, string]> = [
    ["Status", STATUS_LABEL[intent.status] ?? intent.status],
    ["Amount paid", intent.status === "SUCCEEDED" ? formatMoney(intent.amount, intent.currency) : formatMoney(0n, intent.currency)],
    ["Coins", formatCoins(intent.coins)],
    ...intent.bonusLines.map((line): [string, string] => [line.title, `+${formatCoins(BigInt(line.coins))} coins`]),
    ["Bought on", intent.platform],
    ["Payment method", method],
    ["Time", `${intent.updatedAt.toISOString().replace("T", " ").slice(0, 19)} UTC`],
    ["Payment id", intent.id],
    ["Ledger transfer", intent.creditedTransferId === null ? "—" : `#${String(intent.creditedTransferId)}`],
  ];
  return (
    <article className="mx-auto max-w-md rounded-2xl bg-white p-6 shadow-sm">
      <h1 className="text-2xl font-extrabold">Receipt</h1>
      {intent.status === "SUCCEEDED" ? (
        <p className="mt-1 font-semibold text-green-700" role="status">
          {formatCoins(intent.coins + intent.bonusCoins)} coins were added to your wallet.
        </p>
      ) : null}
      <dl className="mt-4 divide-y divide-gray-100 text-sm">
        {rows.map(([label, value]) => (
          <div key={label} className="flex justify-between gap-4 py-2">
            <dt className="text-muted">{label}</dt>
            <dd className="text-right font-semibold break-all" data-testid={`receipt-${label.toLowerCase().replaceAll(" ", "-")}`}>
              {value}
            </dd>
          </div>
        ))}
      </dl>
      <p className="mt-4 text-xs text-muted">Coins are non-refundable and cannot be transferred. This is a simulated purchase; no real money moved.</p>
      <Link href="/wallet" className="mt-4 inline-block font-semibold text-brand-dark underline">
        Back to your wallet
      </Link>
    </article>
  );
}
