// npm run reconcile: prints the trial balance; exits 1 on any drift.
import { createPool } from "../lib/db/pool";
import { provideDatabase } from "../lib/db/provide";
import { formatReconciliation, reconcile } from "../lib/ledger/reconcile";

async function main() {
  const db = await provideDatabase({ cluster: "postgres", database: "coin_economy", log: () => undefined });
  const pool = createPool(db.url, 2);
  const result = await reconcile(pool);
  console.log(formatReconciliation(result));
  await pool.end();
  await db.stop();
  process.exit(result.ok ? 0 : 1);
}

main().catch((error) => {
  console.error(error);
  process.exit(2);
});
