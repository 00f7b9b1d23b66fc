import Link from "next/link";

export default function WithdrawalNotFound() {
  return (
    <section className="mx-auto max-w-md rounded-2xl bg-white p-6 text-center shadow-sm">
      <h1 className="text-2xl font-extrabold">Withdrawal not found</h1>
      <p className="mt-2 text-muted">There is no withdrawal of yours with this address. It may be mistyped, or belong to another account.</p>
      <Link href="/creator/withdrawals" className="mt-4 inline-block font-semibold text-brand-dark underline">
        Back to your withdrawals
      </Link>
    </section>
  );
}
