// Reconciliation runs, kept (table reconciliation_runs): the console shows the
// last one, with its drift, without recomputing every balance on each view.
import type pg from "pg";
import type { Queryable } from "../db/queryable";
import { describeDatabaseError, isTransientDatabaseError } from "../db/errors";
import { AppError } from "../errors";
import { reconcile, type Reconciliation } from "../ledger/reconcile";

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
  const { rows } = await pool.query<{ id: bigint }>(
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
  const run = await getReconciliationRun(pool, rows[0]!.id);
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

async function getReconciliationRun(db: Queryable, id: bigint): Promise<ReconciliationRun | null> {
  const { rows } = await db.query(`SELECT r.*, u.display_name FROM reconciliation_runs r LEFT JOIN users u ON u.id = r.run_by WHERE r.id = $1`, [id]);
  return rows[0] ? toRun(rows[0]) : null;
}

/** The newest run, or null when none has been run yet. */
export async function lastReconciliation(db: Queryable): Promise<ReconciliationRun | null> {
  const { rows } = await db.query(`SELECT r.*, u.display_name FROM reconciliation_runs r LEFT JOIN users u ON u.id = r.run_by ORDER BY r.id DESC LIMIT 1`);
  return rows[0] ? toRun(rows[0]) : null;
}

function toRun(row: Record<string, unknown>): ReconciliationRun {
  return {
    id: row.id as bigint,
    startedAt: row.started_at as Date,
    finishedAt: row.finished_at as Date,
    ok: row.ok as boolean,
    transfers: row.transfers as bigint,
    postings: row.postings as bigint,
    drift: row.drift as ReconciliationRun["drift"],
    unbalanced: row.unbalanced as ReconciliationRun["unbalanced"],
    assetTotals: row.asset_totals as ReconciliationRun["assetTotals"],
    runBy: row.run_by ? { id: row.run_by as string, name: row.display_name as string } : null,
  };
}
