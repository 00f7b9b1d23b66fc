"use client";

import Link from "next/link";

/**
 * What a page shows when rendering it failed on the server or in the browser:
 * a plain message, the reference the server logged (its digest), and a retry.
 */
export default function PageError({ error, retry }: { error: unknown; retry: () => void }) {
  const digest = error instanceof Error ? (error as Error & { digest?: string }).digest : undefined;
  return (
    <section role="alert" className="mx-auto max-w-md rounded-2xl bg-white p-6 text-center shadow-sm">
      <h1 className="text-2xl font-extrabold">Something went wrong</h1>
      <p className="mt-2 text-muted">This page could not be shown. Nothing you did was lost; try again in a moment.</p>
      {digest ? <p className="mt-2 font-mono text-xs text-muted">Reference: {digest}</p> : null}
      <div className="mt-4 flex justify-center gap-4">
        <button type="button" onClick={() => retry()} className="rounded-full bg-brand-dark px-5 py-3 font-semibold text-white shadow hover:bg-[#a00c24]">
          Try again
        </button>
        <Link href="/" className="self-center font-semibold text-brand-dark underline">
          Home
        </Link>
      </div>
    </section>
  );
}
