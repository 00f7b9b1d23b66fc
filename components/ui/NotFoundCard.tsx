import Link from "next/link";

/** What a not-found page shows: what is missing, why it may be, and the way back. */
export function NotFoundCard({ title, message, backHref, backLabel }: { title: string; message: string; backHref: string; backLabel: string }) {
  return (
    <section className="mx-auto max-w-md rounded-2xl bg-white p-6 text-center shadow-sm">
      <h1 className="text-2xl font-extrabold">{title}</h1>
      <p className="mt-2 text-muted">{message}</p>
      <Link href={backHref} className="mt-4 inline-block font-semibold text-brand-dark underline">
        {backLabel}
      </Link>
    </section>
  );
}
