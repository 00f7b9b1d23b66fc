import Link from "next/link";

export default function ForbiddenPage() {
  return (
    <section className="mx-auto max-w-md rounded-2xl bg-white p-6 text-center shadow-sm">
      <h1 className="text-2xl font-extrabold">This page is not for your account</h1>
      <p className="mt-2 text-muted">It belongs to another role. If you think that is wrong, sign in with a different account.</p>
      <Link href="/" className="mt-4 inline-block font-semibold text-brand-dark underline">
        Back to the home page
      </Link>
    </section>
  );
}
