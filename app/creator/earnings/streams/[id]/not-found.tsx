import Link from "next/link";

export default function StreamNotFound() {
  return (
    <section className="mx-auto max-w-md rounded-2xl bg-white p-6 text-center shadow-sm">
      <h1 className="text-2xl font-extrabold">Stream not found</h1>
      <p className="mt-2 text-muted">There is no stream of yours with this address. It may be mistyped, or belong to another creator.</p>
      <Link href="/creator/earnings" className="mt-4 inline-block font-semibold text-brand-dark underline">
        Back to your earnings
      </Link>
    </section>
  );
}
