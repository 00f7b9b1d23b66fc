// The demo project's database, read directly by the default-configuration suite
// (tests/e2e/demo.spec.ts) to check the ledger behind what the page shows.
import pg from "pg";
import { startEmbeddedPostgres } from "../../lib/db/embedded";
import { withDatabase } from "../../lib/db/migrate";

export const DEMO_DATABASE = "coin_economy_e2e_demo";
export const DEMO_CLUSTER = "e2e-demo-postgres";

/** A pool on the database the demo server runs on (the embedded server it started, or DATABASE_URL's). */
export async function demoDatabase(): Promise<pg.Pool> {
  const url = process.env.DATABASE_URL
    ? withDatabase(process.env.DATABASE_URL, DEMO_DATABASE)
    : // Finds the server the webServer started (it reuses a running cluster, and stop() is then a no-op).
      (await startEmbeddedPostgres({ name: DEMO_CLUSTER })).url(DEMO_DATABASE);
  return new pg.Pool({ connectionString: url, max: 2 });
}
