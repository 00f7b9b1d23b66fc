// Every test file gets a fresh database copied from the migrated template, so
// files are isolated from each other and workers run in parallel.
import pg from "pg";
import { afterAll, beforeAll, inject } from "vitest";
import { withDatabase } from "../../lib/db/migrate";
import { dropDatabase, TEMPLATE } from "./integration-global";

const adminUrl = inject("adminUrl");
const name = `coin_economy_test_w${process.env.VITEST_POOL_ID ?? process.pid}`;

beforeAll(async () => {
  await dropDatabase(adminUrl, name);
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${TEMPLATE}"`);
  } finally {
    await admin.end();
  }
  process.env.DATABASE_URL = withDatabase(adminUrl, name);
});

afterAll(async () => {
  const g = globalThis as { ledgerPool?: pg.Pool; prisma?: { $disconnect(): Promise<void> }; ledger?: unknown };
  // The rate limiters share their counts on this file's pool: last counts out, then no more syncing.
  const { stopRateLimiters } = await import("../../lib/limits");
  await stopRateLimiters();
  await g.ledgerPool?.end();
  await g.prisma?.$disconnect();
  delete g.ledgerPool;
  delete g.prisma;
  delete g.ledger;
});
