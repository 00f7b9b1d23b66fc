// Folds the gifts that the ledger's earnings trigger notes in
// earnings_pending into the earnings aggregates, every `intervalMs`, so that
// the pending heap stays small and the dashboard's own fold (before every read)
// has little left to do. See docs/decisions/008-earnings-folded-off-the-gift-path.md.
import { startPeriodic, type PeriodicJob } from "../jobs/periodic";
import type { Queryable } from "../ledger/ledger";
import { foldEarnings } from "./queries";

export function startEarningsFolder(
  db: Queryable,
  { intervalMs = 1000, log }: { intervalMs?: number; log?: (message: string) => void } = {},
): PeriodicJob {
  // A failed fold leaves the pending rows where they are: the next one takes them.
  return startPeriodic("Earnings folder", () => foldEarnings(db), { intervalMs, log });
}
