import type { ReactNode } from "react";

/** The cyan card at the top of a creator page: a diamond balance under a small heading, then what the page adds. */
export function BalanceCard({ headingId, title, children }: { headingId: string; title: string; children: ReactNode }) {
  return (
    <section className="rounded-3xl bg-gradient-to-br from-cyan-200 to-cyan-400 p-6 text-cyan-950 shadow" aria-labelledby={headingId}>
      <h2 id={headingId} className="text-sm font-bold tracking-wider uppercase">
        {title}
      </h2>
      {children}
    </section>
  );
}
