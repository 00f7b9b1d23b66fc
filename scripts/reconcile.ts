// npm run reconcile: prints the trial balance (and keeps the run for the
// operator console); exits 1 on any drift.
import { createPool } from "../lib/db/pool";
import { provideDatabase } from "../lib/db/provide";
import { formatReconciliation } from "../lib/ledger/reconcile";
import { runReconciliation } from "../lib/operator/reconciliations";

async function main() {
  const db = await provideDatabase({ cluster: "postgres", database: "coin_economy", log: () => undefined });
  const pool = createPool(db.url, 2);
  // Kept like the console's runs, so the console shows it as the last one.
  const { result } = await runReconciliation(pool, null);
  console.log(formatReconciliation(result));
  await pool.end();
  await db.stop();
  process.exit(result.ok ? 0 : 1);
}

main().catch((error) => {
  console.error(error);
  process.exit(2);
});
