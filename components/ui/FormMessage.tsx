/** The form-level message, announced politely to assistive technology. */
export function FormMessage({ message, ok }: { message?: string; ok?: boolean }) {
  return (
    <div aria-live="polite" role="status" className="min-h-6">
      {message ? (
        <p className={`rounded-lg px-3 py-2 text-sm font-medium ${ok ? "bg-green-50 text-green-800" : "bg-red-50 text-brand-dark"}`}>{message}</p>
      ) : null}
    </div>
  );
}
