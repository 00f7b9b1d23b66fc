import type { ReactNode } from "react";

/**
 * One white card of a page: a section named by its heading, the empty state
 * when there is nothing to show, then its content.
 */
export function Card({ id, title, empty = null, children }: { id: string; title: ReactNode; empty?: string | null; children?: ReactNode }) {
  return (
    <section aria-labelledby={`${id}-heading`} className="flex flex-col gap-3 rounded-2xl bg-white p-5 shadow-sm">
      <h2 id={`${id}-heading`} className="text-lg font-bold">
        {title}
      </h2>
      {empty ? <p className="text-sm text-muted">{empty}</p> : null}
      {children}
    </section>
  );
}
