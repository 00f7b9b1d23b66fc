// Folds the gifts that the ledger's earnings trigger notes in
// earnings_pending into the earnings aggregates, every `intervalMs`. It is the
// only folder: the dashboard reads what it has folded and says "Updating…" for
// the gifts still pending. See docs/decisions/008-earnings-folded-off-the-gift-path.md.
import { startPeriodic, type PeriodicJob } from "../jobs/periodic";
import type pg from "pg";
import { foldEarnings } from "./queries";

export function startEarningsFolder(db: pg.Pool, { intervalMs = 1000, log }: { intervalMs?: number; log?: (message: string) => void } = {}): PeriodicJob {
  // A failed fold leaves the pending rows where they are: the next one takes them.
  return startPeriodic("Earnings folder", () => foldEarnings(db), { intervalMs, log });
}
