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
  globalForLedger.ledger ??= new Ledger(getPool(), { concurrency: Number(process.env.LEDGER_BATCH_CONCURRENCY ?? 2) });
  return globalForLedger.ledger;
}
