import type { ReactNode } from "react";

const TONES = {
  /** Something is wrong: announced at once (role alert). */
  error: { role: "alert", className: "bg-red-50 text-brand-dark" },
  /** All is well. */
  ok: { role: "status", className: "bg-green-50 text-green-900" },
  /** Not decided yet. */
  waiting: { role: "status", className: "bg-amber-50 text-amber-900" },
} as const;

/** A page-level notice in its own card: a refused filter, an audit's verdict. */
export function Notice({ tone, testId, children }: { tone: keyof typeof TONES; testId?: string; children: ReactNode }) {
  const { role, className } = TONES[tone];
  return (
    <p role={role} data-testid={testId} className={`rounded-2xl p-4 text-sm font-semibold ${className}`}>
      {children}
    </p>
  );
}
