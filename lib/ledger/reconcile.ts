// Recomputes every balance from the postings and checks that each transfer and
// each asset sums to zero. Read in one REPEATABLE READ snapshot so a busy ledger
// is reconciled as of one instant.
import type pg from "pg";
import { inTransaction } from "../db/transaction";
import { z } from "zod";
import { column, queryOne, queryRows, type RowSchema } from "../db/rows";
import { ACCOUNT_KIND, ASSET, type AccountKind, type Asset } from "./types";

export interface AccountDrift {
  accountId: bigint;
  code: string;
  cached: bigint;
  computed: bigint;
}

export interface TrialBalanceLine {
  asset: Asset;
  kind: AccountKind;
  accounts: number;
  balance: bigint;
}

export interface Reconciliation {
  ok: boolean;
  drift: AccountDrift[];
  /** Transfers whose postings do not sum to zero in some asset (must be none). */
  unbalancedTransfers: Array<{ transferId: bigint; asset: Asset; sum: bigint }>;
  /** Sum of all postings per asset (must be zero). */
  assetTotals: Array<{ asset: Asset; total: bigint }>;
  trialBalance: TrialBalanceLine[];
  transfers: bigint;
  postings: bigint;
  /**
   * Refunded or charged-back purchases that do not have exactly one reversal
   * (the transfer keyed `reversal:<intent>` the intent names), and reversals no
   * purchase records (must be none).
   */
  reversalMismatches: Array<{ intentId: string; problem: string }>;
}

const asset = z.enum(ASSET) satisfies z.ZodType<Asset>;

const ZDriftRow = z
  .object({ id: column.int8, code: column.text, cached: column.int8, computed: column.int8 })
  .transform((r): AccountDrift => ({ accountId: r.id, code: r.code, cached: r.cached, computed: r.computed }));
const ZUnbalancedRow = z
  .object({ transfer_id: column.int8, asset, sum: column.int8 })
  .transform((r) => ({ transferId: r.transfer_id, asset: r.asset, sum: r.sum }));
const ZAssetTotalRow = z.object({ asset, total: column.int8, postings: column.int8 });
const ZTrialRow = z.object({ asset, kind: z.enum(ACCOUNT_KIND), accounts: column.int4, balance: column.int8 }) satisfies RowSchema<TrialBalanceLine>;
const ZCounts = z.object({ transfers: column.int8 });
const ZReversalRow = z.object({ intent_id: column.text, problem: column.text }).transform((r) => ({ intentId: r.intent_id, problem: r.problem }));

export async function reconcile(pool: pg.Pool): Promise<Reconciliation> {
  const { drift, unbalanced, totals, trial, counts, reversals } = await inTransaction(
    pool,
    async (client) => ({
      drift: await queryRows(
        client,
        ZDriftRow,
        `SELECT a.id, a.code, a.balance AS cached, COALESCE(s.total, 0)::bigint AS computed
           FROM ledger_accounts a
           LEFT JOIN (SELECT account_id, SUM(amount) AS total FROM ledger_postings GROUP BY account_id) s ON s.account_id = a.id
          WHERE a.balance <> COALESCE(s.total, 0)
          ORDER BY a.id`,
      ),
      unbalanced: await queryRows(
        client,
        ZUnbalancedRow,
        `SELECT transfer_id, asset, SUM(amount)::bigint AS sum FROM ledger_postings
          GROUP BY transfer_id, asset HAVING SUM(amount) <> 0 ORDER BY transfer_id LIMIT 100`,
      ),
      totals: await queryRows(
        client,
        ZAssetTotalRow,
        `SELECT asset, COALESCE(SUM(amount), 0)::bigint AS total, COUNT(*)::bigint AS postings
           FROM ledger_postings GROUP BY asset ORDER BY asset`,
      ),
      trial: await queryRows(
        client,
        ZTrialRow,
        `SELECT asset, kind, COUNT(*)::int AS accounts, SUM(balance)::bigint AS balance
           FROM ledger_accounts GROUP BY asset, kind ORDER BY asset, kind`,
      ),
      counts: await queryOne(client, ZCounts, "SELECT (SELECT COUNT(*) FROM ledger_transfers)::bigint AS transfers"),
      reversals: await queryRows(
        client,
        ZReversalRow,
        `SELECT p.id AS intent_id, 'refunded without its reversal transfer' AS problem
           FROM payment_intents p LEFT JOIN ledger_transfers t ON t.id = p.refund_transfer_id
          WHERE p.refunded_at IS NOT NULL
            AND (t.id IS NULL OR t.idempotency_key <> 'reversal:' || p.id OR t.kind::text <> p.refund_kind)
         UNION ALL
         SELECT substr(t.idempotency_key, 10), 'a reversal no refunded purchase records'
           FROM ledger_transfers t LEFT JOIN payment_intents p ON p.refund_transfer_id = t.id
          WHERE t.idempotency_key LIKE 'reversal:%' AND p.id IS NULL
          LIMIT 100`,
      ),
    }),
    "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
  );
  const assetTotals = totals.map(({ asset, total }) => ({ asset, total }));
  const result: Reconciliation = {
    ok: false,
    drift,
    unbalancedTransfers: unbalanced,
    assetTotals,
    trialBalance: trial,
    transfers: counts.transfers,
    postings: totals.reduce((sum, r) => sum + r.postings, 0n),
    reversalMismatches: reversals,
  };
  result.ok =
    result.drift.length === 0 && result.unbalancedTransfers.length === 0 && assetTotals.every((t) => t.total === 0n) && result.reversalMismatches.length === 0;
  return result;
}

/** A plain-text trial balance for the terminal. */
export function formatReconciliation(r: Reconciliation): string {
  const lines = ["Trial balance (minor units: COIN = coins, DIAMOND = 1/1000 diamond, USD = cents)", ""];
  lines.push(`${"asset".padEnd(8)} ${"kind".padEnd(18)} ${"accounts".padStart(8)} ${"balance".padStart(20)}`);
  for (const line of r.trialBalance) {
    lines.push(`${line.asset.padEnd(8)} ${line.kind.padEnd(18)} ${String(line.accounts).padStart(8)} ${String(line.balance).padStart(20)}`);
  }
  lines.push("");
  for (const t of r.assetTotals) lines.push(`sum of ${t.asset} postings: ${t.total}${t.total === 0n ? " (balanced)" : " (OUT OF BALANCE)"}`);
  lines.push(`transfers: ${r.transfers}, postings: ${r.postings}`);
  lines.push(`accounts whose cached balance drifts from their postings: ${r.drift.length}`);
  for (const d of r.drift.slice(0, 20)) lines.push(`  ${d.code}: cached ${d.cached}, postings say ${d.computed}`);
  lines.push(`transfers that do not balance: ${r.unbalancedTransfers.length}`);
  lines.push(`refunded purchases without exactly one reversal: ${r.reversalMismatches.length}`);
  for (const m of r.reversalMismatches.slice(0, 20)) lines.push(`  ${m.intentId}: ${m.problem}`);
  lines.push(r.ok ? "RECONCILED: zero drift" : "DRIFT FOUND");
  return lines.join("\n");
}
