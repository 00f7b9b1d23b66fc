// prisma/sql/<name>.sql is the current definition of each SQL function: the
// migrated database holds exactly those functions with exactly that text. A
// migration that adds or replaces a function without `npm run sql:functions`
// fails here, with the function named.
import pg from "pg";
import { afterAll, beforeAll, expect, test } from "vitest";
import { readSqlFunctionFiles, readSqlFunctions } from "../../lib/db/sql-functions";

let db: pg.Pool;
beforeAll(() => {
  db = new pg.Pool({ connectionString: process.env.DATABASE_URL!, max: 1 });
});
afterAll(() => db.end());

test("prisma/sql holds every SQL function of the migrated database, as the database defines it", async () => {
  const live = await readSqlFunctions(db);
  const files = readSqlFunctionFiles();
  expect([...files.keys()].sort(), "functions in prisma/sql (run `npm run sql:functions` after a migration that changes one)").toEqual([...live.keys()].sort());
  expect(live.size).toBeGreaterThanOrEqual(9);
  for (const [name, text] of live) expect(files.get(name), `prisma/sql/${name}.sql (run \`npm run sql:functions\`)`).toBe(text);
  expect(files.get("ledger_write_batch")).toContain("a_low bigint[]");
});
