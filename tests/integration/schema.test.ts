import pg from "pg";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { listMigrations, migrate } from "../../lib/db/migrate";
import { readPrismaSchema } from "./prisma-schema";

let client: pg.Client;

beforeAll(async () => {
  client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
});

afterAll(async () => {
  await client.end();
});

describe("the migrated database matches prisma/schema.prisma", () => {
  const expected = readPrismaSchema();

  test("every table has exactly the columns, types and nullability the schema declares", async () => {
    const { rows } = await client.query(
      `SELECT c.table_name, c.column_name, c.is_nullable,
              CASE WHEN c.data_type = 'USER-DEFINED' THEN 'enum ' || c.udt_name
                   ELSE format_type(a.atttypid, a.atttypmod) END AS data_type
         FROM information_schema.columns c
         JOIN pg_attribute a ON a.attrelid = (quote_ident(c.table_schema) || '.' || quote_ident(c.table_name))::regclass AND a.attname = c.column_name
        WHERE c.table_schema = 'public' AND c.table_name <> '_prisma_migrations'
        ORDER BY c.table_name, c.column_name`,
    );
    const actual = new Map<string, Array<{ name: string; dataType: string; nullable: boolean }>>();
    for (const row of rows) {
      const list = actual.get(row.table_name) ?? [];
      list.push({ name: row.column_name, dataType: row.data_type, nullable: row.is_nullable === "YES" });
      actual.set(row.table_name, list);
    }
    for (const list of actual.values()) list.sort((a, b) => a.name.localeCompare(b.name));
    expect(Object.fromEntries(actual)).toEqual(Object.fromEntries(expected.tables));
  });

  test("enums have the declared values in order", async () => {
    const { rows } = await client.query(
      `SELECT t.typname, array_agg(e.enumlabel ORDER BY e.enumsortorder)::text[] AS labels
         FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid GROUP BY t.typname`,
    );
    expect(Object.fromEntries(rows.map((r) => [r.typname, r.labels]))).toEqual(Object.fromEntries(expected.enums));
  });

  test("indexes and foreign keys are the ones the schema declares", async () => {
    const indexes = await client.query(`SELECT indexname FROM pg_indexes WHERE schemaname = 'public' AND tablename <> '_prisma_migrations'`);
    expect(new Set(indexes.rows.map((r) => r.indexname))).toEqual(expected.indexes);
    const fks = await client.query(`SELECT conname FROM pg_constraint WHERE contype = 'f'`);
    expect(new Set(fks.rows.map((r) => r.conname))).toEqual(expected.foreignKeys);
  });
});

describe("migrations", () => {
  test("are recorded in Prisma's _prisma_migrations with their checksums, and re-running applies nothing", async () => {
    const { rows } = await client.query(`SELECT migration_name, checksum FROM "_prisma_migrations" WHERE finished_at IS NOT NULL ORDER BY migration_name`);
    expect(rows).toEqual(listMigrations().map((m) => ({ migration_name: m.name, checksum: m.checksum })));
    expect(await migrate(process.env.DATABASE_URL!)).toEqual([]);
  });
});
