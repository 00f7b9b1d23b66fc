import type { Metadata } from "next";
import Link from "next/link";
import { notFound, redirect } from "next/navigation";
import { CheckoutPanel } from "@/components/recharge/CheckoutPanel";
import { formatCoins, formatMoney } from "@/lib/economy";
import { requireUser } from "@/lib/auth/session";
import { safeReturnPath } from "@/lib/http/return-path";
import { TEST_CARDS } from "@/lib/payments/cards";
import { PaymentError } from "@/lib/payments/intents";
import { refreshPayment } from "@/lib/payments/provider";

export const metadata: Metadata = { title: "Checkout" };

export default async function CheckoutPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<{ returnTo?: string }> }) {
  const { id } = await params;
  const returnTo = safeReturnPath((await searchParams).returnTo, "");
  const user = await requireUser(`/recharge/checkout/${id}`);
  let intent;
  try {
    intent = await refreshPayment(user.id, id);
  } catch (error) {
    if (error instanceof PaymentError) notFound();
    throw error;
  }
  if (intent.status === "SUCCEEDED") {
    redirect(returnTo ? `${returnTo}${returnTo.includes("?") ? "&" : "?"}paid=${intent.id}` : `/wallet/receipts/${intent.id}`);
  }
  const price = formatMoney(intent.amount, intent.currency);
  return (
    <div className="mx-auto flex max-w-xl flex-col gap-4">
      <h1 className="text-2xl font-extrabold">Checkout</h1>
      <section aria-labelledby="order" className="rounded-2xl bg-white p-5 shadow-sm">
        <h2 id="order" className="font-bold">
          Your order
        </h2>
        <dl className="mt-2 grid grid-cols-2 gap-y-1 text-sm">
          <dt className="text-muted">Coins</dt>
          <dd className="text-right font-semibold" data-testid="order-coins">
            {formatCoins(intent.coins)}
          </dd>
          {intent.bonusLines.map((line) => (
            <div key={line.id} className="contents">
              <dt className="text-muted">{line.title}</dt>
              <dd className="text-right font-semibold text-green-700">+{formatCoins(BigInt(line.coins))}</dd>
            </div>
          ))}
          <dt className="text-muted">Bought on</dt>
          <dd className="text-right capitalize">{intent.platform}</dd>
          <dt className="font-bold">Total</dt>
          <dd className="text-right text-lg font-extrabold" data-testid="order-total">
            {price}
          </dd>
        </dl>
      </section>
      <CheckoutPanel
        intentId={intent.id}
        status={intent.status}
        method={intent.method}
        failureMessage={intent.failureMessage}
        price={price}
        returnTo={returnTo}
        testCards={TEST_CARDS.map((card) => ({ number: card.number, description: card.description }))}
      />
      <Link href={returnTo || "/recharge"} className="text-center text-sm font-semibold text-brand-dark underline">
        Back
      </Link>
    </div>
  );
}
