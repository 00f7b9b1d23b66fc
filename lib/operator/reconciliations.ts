// Reconciliation runs, kept (table reconciliation_runs): the console shows the
// last one, with its drift, without recomputing every balance on each view.
import type pg from "pg";
import type { Queryable } from "../db/queryable";
import { describeDatabaseError, isTransientDatabaseError } from "../db/errors";
import { AppError } from "../errors";
import { reconcile, type Reconciliation } from "../ledger/reconcile";
import { column, queryOne, queryRow } from "../db/rows";
import { z } from "zod";

const ZId = z.object({ id: column.int8 });

export interface ReconciliationRun {
  id: bigint;
  startedAt: Date;
  finishedAt: Date;
  ok: boolean;
  transfers: bigint;
  postings: bigint;
  /** Accounts whose cached balance differs from their postings. */
  drift: Array<{ accountId: string; code: string; cached: string; computed: string }>;
  /** Transfers whose postings do not sum to zero in an asset. */
  unbalanced: Array<{ transferId: string; asset: string; sum: string }>;
  /** Sum of all postings per asset (each must be zero). */
  assetTotals: Array<{ asset: string; total: string }>;
  runBy: { id: string; name: string } | null;
}

/** Runs a reconciliation now and keeps its result; `runBy` is the operator who asked (null: a script). */
export async function runReconciliation(pool: pg.Pool, runBy: string | null): Promise<{ run: ReconciliationRun; result: Reconciliation }> {
  const startedAt = new Date();
  const result = await reconcile(pool);
  const { id } = await queryOne(
    pool,
    ZId,
    `INSERT INTO reconciliation_runs (started_at, ok, transfers, postings, drift, unbalanced, asset_totals, run_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
    [
      startedAt,
      result.ok,
      result.transfers,
      result.postings,
      JSON.stringify(result.drift.map((d) => ({ accountId: String(d.accountId), code: d.code, cached: String(d.cached), computed: String(d.computed) }))),
      JSON.stringify(result.unbalancedTransfers.map((u) => ({ transferId: String(u.transferId), asset: u.asset, sum: String(u.sum) }))),
      JSON.stringify(result.assetTotals.map((t) => ({ asset: t.asset, total: String(t.total) }))),
      runBy,
    ],
  );
  const run = await getReconciliationRun(pool, id);
  if (!run) throw new Error("reconciliation_runs: the row just written is not there");
  return { run, result };
}

/**
 * An operator's run from the console: a passing database fault (a restart, a
 * held lock, a full pool) is "busy, try again" (logged once), not a failure.
 */
export async function runReconciliationFor(pool: pg.Pool, operatorId: string): Promise<ReconciliationRun> {
  try {
    return (await runReconciliation(pool, operatorId)).run;
  } catch (error) {
    if (!isTransientDatabaseError(error)) throw error;
    console.warn(`reconciliation: the database is busy: ${describeDatabaseError(error)}`);
    throw new AppError("BUSY", "The database is busy right now. Try again in a moment.", {}, { cause: error });
  }
}

const ZRunRow = z
  .object({
    id: column.int8,
    started_at: column.time,
    finished_at: column.time,
    ok: column.bool,
    transfers: column.int8,
    postings: column.int8,
    drift: z.array(z.object({ accountId: column.text, code: column.text, cached: column.text, computed: column.text })),
    unbalanced: z.array(z.object({ transferId: column.text, asset: column.text, sum: column.text })),
    asset_totals: z.array(z.object({ asset: column.text, total: column.text })),
    run_by: column.text.nullable(),
    display_name: column.text.nullable(),
  })
  .transform((r): ReconciliationRun => ({
    id: r.id,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    ok: r.ok,
    transfers: r.transfers,
    postings: r.postings,
    drift: r.drift,
    unbalanced: r.unbalanced,
    assetTotals: r.asset_totals,
    runBy: r.run_by !== null && r.display_name !== null ? { id: r.run_by, name: r.display_name } : null,
  }));

const SELECT_RUN = `SELECT r.id, r.started_at, r.finished_at, r.ok, r.transfers, r.postings, r.drift, r.unbalanced, r.asset_totals, r.run_by, u.display_name
  FROM reconciliation_runs r LEFT JOIN users u ON u.id = r.run_by`;

async function getReconciliationRun(db: Queryable, id: bigint): Promise<ReconciliationRun | null> {
  return queryRow(db, ZRunRow, `${SELECT_RUN} WHERE r.id = $1`, [id]);
}

/** The newest run, or null when none has been run yet. */
export async function lastReconciliation(db: Queryable): Promise<ReconciliationRun | null> {
  return queryRow(db, ZRunRow, `${SELECT_RUN} ORDER BY r.id DESC LIMIT 1`);
}
