"use client";

import { useFormStatus } from "react-dom";

/** A submit button that shows progress and cannot be double-submitted. */
export function SubmitButton({ children, pendingLabel, className = "" }: { children: React.ReactNode; pendingLabel: string; className?: string }) {
  const { pending } = useFormStatus();
  return (
    <button
      type="submit"
      disabled={pending}
      aria-disabled={pending}
      className={`inline-flex items-center justify-center gap-2 rounded-full bg-brand-dark px-5 py-3 font-semibold text-white shadow hover:bg-[#a00c24] disabled:cursor-wait ${className}`}
    >
      {pending ? (
        <>
          <span className="size-4 animate-spin rounded-full border-2 border-white/40 border-t-white" aria-hidden="true" />
          {pendingLabel}
        </>
      ) : (
        children
      )}
    </button>
  );
}
