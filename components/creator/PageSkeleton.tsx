/** What a creator page shows while its figures load. */
export function PageSkeleton({ label }: { label: string }) {
  return (
    <div className="flex flex-col gap-4" aria-busy="true">
      <p role="status" className="sr-only">
        {label}
      </p>
      <div className="h-8 w-40 animate-pulse rounded-lg bg-gray-200" />
      <div className="h-32 animate-pulse rounded-3xl bg-cyan-100" />
      <div className="grid grid-cols-2 gap-3 sm:grid-cols-4">
        {[0, 1, 2, 3].map((i) => (
          <div key={i} className="h-20 animate-pulse rounded-2xl bg-gray-200" />
        ))}
      </div>
      <div className="h-48 animate-pulse rounded-2xl bg-gray-200" />
    </div>
  );
}
