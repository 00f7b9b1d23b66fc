// Every test file gets a fresh database copied from the migrated template, so
// files are isolated from each other and workers run in parallel. A file that
// moves value must reconcile after each of its tests (reconcileAfterEach in
// tests/integration/helpers.ts): one that wrote transfers without it fails.
import pg from "pg";
import { afterAll, beforeAll, inject } from "vitest";
import { withDatabase } from "../../lib/db/migrate";
import { dropDatabase, TEMPLATE } from "./integration-global";

const adminUrl = inject("adminUrl");
const name = `coin_economy_test_w${process.env.VITEST_POOL_ID ?? process.pid}`;
// Set by reconcileAfterEach() while the test file is collected (after this runs).
const reconciling = globalThis as { reconcilesAfterEach?: boolean };
delete reconciling.reconcilesAfterEach;

async function transfersWritten(): Promise<number> {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    return (await client.query("SELECT count(*)::int AS n FROM ledger_transfers")).rows[0].n as number;
  } finally {
    await client.end();
  }
}

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
  if (!reconciling.reconcilesAfterEach) {
    const written = await transfersWritten();
    if (written > 0) {
      throw new Error(
        `This file wrote ${written} ledger transfers without reconciling after each test: call reconcileAfterEach() from tests/integration/helpers.ts.`,
      );
    }
  }
});
