import "server-only";
import { getPool } from "../db/pool";
import { setting } from "../env";
import { Ledger } from "./ledger";

export * from "./types";
export { Ledger } from "./ledger";
export { reconcile, formatReconciliation } from "./reconcile";
export { giftPostings, createGiftPoster } from "./gifts";

const globalForLedger = globalThis as unknown as { ledger?: Ledger };

/** The process-wide ledger on DATABASE_URL. */
export function getLedger(): Ledger {
  globalForLedger.ledger ??= new Ledger(getPool(), {
    concurrency: setting("LEDGER_BATCH_CONCURRENCY"),
    maxQueued: setting("LEDGER_MAX_QUEUED"),
    maxQueueWaitMs: setting("LEDGER_QUEUE_TIMEOUT_MS"),
    accountCacheSize: setting("LEDGER_ACCOUNT_CACHE_SIZE"),
    maxBatchMs: setting("LEDGER_BATCH_TIMEOUT_MS"),
  });
  return globalForLedger.ledger;
}
