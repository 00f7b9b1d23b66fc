import "server-only";
import { getPool } from "../db/pool";
import { Ledger } from "./ledger";

export * from "./types";
export { Ledger } from "./ledger";
export { reconcile, formatReconciliation } from "./reconcile";
export { giftPostings, createGiftPoster } from "./gifts";

const globalForLedger = globalThis as unknown as { ledger?: Ledger };

/** The process-wide ledger on DATABASE_URL. */
export function getLedger(): Ledger {
  const setting = (name: string, fallback: number) => {
    const value = Number(process.env[name] ?? fallback);
    return Number.isInteger(value) && value > 0 ? value : fallback;
  };
  globalForLedger.ledger ??= new Ledger(getPool(), {
    concurrency: setting("LEDGER_BATCH_CONCURRENCY", 2),
    maxQueued: setting("LEDGER_MAX_QUEUED", 10_000),
    maxQueueWaitMs: setting("LEDGER_QUEUE_TIMEOUT_MS", 5_000),
    accountCacheSize: setting("LEDGER_ACCOUNT_CACHE_SIZE", 50_000),
    maxBatchMs: setting("LEDGER_BATCH_TIMEOUT_MS", 10_000),
  });
  return globalForLedger.ledger;
}
