import { PENDING_COUNT_LIMIT } from "@/lib/earnings/queries";

/**
 * Shown while gifts are committed but not yet in the earnings figures: the
 * background folder adds them about once a second (the balance is already right).
 */
export function UpdatingNotice({ pendingGifts }: { pendingGifts: number }) {
  if (pendingGifts === 0) return null;
  const count = pendingGifts >= PENDING_COUNT_LIMIT ? `At least ${pendingGifts.toLocaleString("en-US")}` : pendingGifts.toLocaleString("en-US");
  return (
    <p role="status" className="rounded-2xl bg-amber-50 px-4 py-3 text-sm font-medium text-amber-900" data-testid="earnings-updating">
      Updating… {count} recent {pendingGifts === 1 ? "gift is" : "gifts are"} still being added to these figures. Reload in a moment to see
      {pendingGifts === 1 ? " it" : " them"}.
    </p>
  );
}
