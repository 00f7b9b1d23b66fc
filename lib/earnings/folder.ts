// Folds the gifts that the ledger's earnings trigger notes in
// earnings_pending into the earnings aggregates, every `intervalMs`, so that
// the pending heap stays small and the dashboard's own fold (before every read)
// has little left to do. See docs/decisions/008-earnings-folded-off-the-gift-path.md.
import type { Queryable } from "../ledger/ledger";
import { foldEarnings } from "./queries";

export interface EarningsFolder {
  /** Pending rows moved so far. */
  readonly moved: number;
  /** Folds once more, now (resolves when done). */
  foldNow(): Promise<number>;
  /** Stops the timer and waits for a fold in progress. */
  stop(): Promise<void>;
}

export function startEarningsFolder(
  db: Queryable,
  { intervalMs = 1000, log = () => undefined }: { intervalMs?: number; log?: (message: string) => void } = {},
): EarningsFolder {
  let moved = 0;
  let stopped = false;
  let running: Promise<number> = Promise.resolve(0);
  let timer: NodeJS.Timeout | undefined;
  let failing = false;

  const fold = (): Promise<number> => {
    running = running.then(async () => {
      try {
        const count = await foldEarnings(db);
        moved += count;
        if (failing) log("Earnings folder: folding again.");
        failing = false;
        return count;
      } catch (error) {
        // The pending rows stay where they are and are folded next time (or by
        // the next dashboard read); say so once, not every second.
        if (!failing) log(`Earnings folder: fold failed, will retry: ${String(error)}`);
        failing = true;
        return 0;
      }
    });
    return running;
  };

  const tick = () => {
    void fold().finally(() => {
      if (!stopped) {
        timer = setTimeout(tick, intervalMs);
        timer.unref();
      }
    });
  };
  timer = setTimeout(tick, intervalMs);
  timer.unref();

  return {
    get moved() {
      return moved;
    },
    foldNow: fold,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
