// A background job that runs `work` every `intervalMs` in this process, one run
// at a time, and keeps going when a run fails (it says so once, not on every
// run, and says when it recovers). Its timer never keeps the process alive.
export interface PeriodicJob {
  /** Sum of what the runs returned (items handled). */
  readonly handled: number;
  /** Runs once more now, after a run in progress (resolves with what it returned). */
  runNow(): Promise<number>;
  /** Stops the timer and waits for a run in progress. */
  stop(): Promise<void>;
}

export function startPeriodic(
  name: string,
  work: () => Promise<number>,
  { intervalMs, log = () => undefined }: { intervalMs: number; log?: (message: string) => void },
): PeriodicJob {
  let handled = 0;
  let stopped = false;
  let failing = false;
  let running: Promise<number> = Promise.resolve(0);
  let timer: NodeJS.Timeout | undefined;

  const run = (): Promise<number> => {
    running = running.then(async () => {
      try {
        const count = await work();
        handled += count;
        if (failing) log(`${name}: running again.`);
        failing = false;
        return count;
      } catch (error) {
        if (!failing) log(`${name}: failed, will retry: ${String(error)}`);
        failing = true;
        return 0;
      }
    });
    return running;
  };

  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => void run().finally(schedule), intervalMs);
    timer.unref();
  };
  schedule();

  return {
    get handled() {
      return handled;
    },
    runNow: run,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
