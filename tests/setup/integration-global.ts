// Starts (or finds) a real PostgreSQL server and builds a migrated template
// database; each worker copies it into a database of its own.
import pg from "pg";
import type { TestProject } from "vitest/node";
import { startEmbeddedPostgres } from "../../lib/db/embedded";
import { migrate, withDatabase } from "../../lib/db/migrate";
import { assertLocalDatabase } from "../../lib/db/provide";

export const TEMPLATE = "coin_economy_test_template";

declare module "vitest" {
  export interface ProvidedContext {
    adminUrl: string;
  }
}

export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

export default async function setup(project: TestProject) {
  let adminUrl: string;
  let stop = async () => undefined as void;
  if (process.env.DATABASE_URL) {
    adminUrl = withDatabase(process.env.DATABASE_URL, "postgres");
  } else {
    const server = await startEmbeddedPostgres({ name: "test-postgres", fast: true });
    adminUrl = server.url("postgres");
    stop = server.stop;
  }
  assertLocalDatabase(adminUrl);
  await dropDatabase(adminUrl, TEMPLATE);
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${TEMPLATE}"`);
  await admin.end();
  await migrate(withDatabase(adminUrl, TEMPLATE));
  project.provide("adminUrl", adminUrl);
  return async () => {
    await dropDatabase(adminUrl, TEMPLATE).catch(() => undefined);
    await stop();
  };
}
