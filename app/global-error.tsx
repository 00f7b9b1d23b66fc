"use client";

import "./globals.css";

/** The last resort when even the root layout failed: its own document, the same message as app/error.tsx. */
export default function GlobalError({ error, retry }: { error: unknown; retry: () => void }) {
  const digest = error instanceof Error ? (error as Error & { digest?: string }).digest : undefined;
  return (
    <html lang="en">
      <body className="min-h-dvh p-6">
        <title>Something went wrong · Coin Economy</title>
        <section role="alert" className="mx-auto max-w-md rounded-2xl bg-white p-6 text-center shadow-sm">
          <h1 className="text-2xl font-extrabold">Something went wrong</h1>
          <p className="mt-2 text-muted">Coin Economy could not be shown. Try again in a moment.</p>
          {digest ? <p className="mt-2 font-mono text-xs text-muted">Reference: {digest}</p> : null}
          <button
            type="button"
            onClick={() => retry()}
            className="mt-4 rounded-full bg-brand-dark px-5 py-3 font-semibold text-white shadow hover:bg-[#a00c24]"
          >
            Try again
          </button>
        </section>
      </body>
    </html>
  );
}
