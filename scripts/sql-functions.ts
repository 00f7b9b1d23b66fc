// npm run sql:functions: migrates a scratch database and writes the current
// definition of every SQL function to prisma/sql/<name>.sql (see
// lib/db/sql-functions.ts). Run it after a migration that adds or replaces a
// function; the integration suite fails until the files match.
import { rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { ensureDatabaseExists, migrate, withDatabase } from "../lib/db/migrate";
import { provideDatabase } from "../lib/db/provide";
import { readSqlFunctionFiles, readSqlFunctions, SQL_FUNCTIONS_DIR } from "../lib/db/sql-functions";

const SCRATCH = "coin_economy_sql_functions";

async function main() {
  const server = await provideDatabase({ cluster: "postgres", database: "coin_economy", migrate: false, log: () => undefined });
  const admin = new pg.Client({ connectionString: server.adminUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${SCRATCH}" WITH (FORCE)`);
    await ensureDatabaseExists(server.adminUrl, SCRATCH);
    const url = withDatabase(server.adminUrl, SCRATCH);
    await migrate(url);
    const db = new pg.Client({ connectionString: url });
    await db.connect();
    const functions = await readSqlFunctions(db).finally(() => db.end());
    for (const name of readSqlFunctionFiles().keys()) if (!functions.has(name)) rmSync(path.join(SQL_FUNCTIONS_DIR, `${name}.sql`));
    for (const [name, text] of functions) writeFileSync(path.join(SQL_FUNCTIONS_DIR, `${name}.sql`), text);
    console.log(`Wrote ${functions.size} function definitions to prisma/sql/: ${[...functions.keys()].join(", ")}`);
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS "${SCRATCH}" WITH (FORCE)`);
    await admin.end();
    await server.stop();
  }
}

main().catch((error: unknown) => {
  console.error(`sql:functions failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
