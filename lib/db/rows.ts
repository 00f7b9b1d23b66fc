// Rows from raw SQL, typed and checked once at the edge. A query that stays in
// SQL (a row lock Prisma cannot take, an aggregate, the ledger's own reads)
// names the shape of its rows as a Zod schema; each row is parsed into the
// caller's type as it arrives, so no `row.x as T` is needed anywhere after it,
// and a column that changes type fails loudly at the query that reads it.
import { z } from "zod";
import type { Queryable } from "./queryable";

/**
 * Column types as node-postgres returns them on this project's pools
 * (lib/db/pool.ts): int8 and whole numerics as bigint, int4 as number,
 * timestamptz as Date, arrays as arrays, json as parsed values.
 */
export const column = {
  text: z.string(),
  int8: z.bigint(),
  int4: z.number().int(),
  bool: z.boolean(),
  time: z.date(),
  texts: z.array(z.string()),
  json: z.unknown(),
} as const;

/** A row of a raw query: its columns by name, parsed into `T`. */
export type RowSchema<T> = z.ZodType<T>;

/** A row that does not have the shape its query promises: a bug in the query or the schema, never a user's input. */
export class RowShapeError extends Error {
  override readonly name = "RowShapeError";
}

function firstLine(text: string): string {
  const line = text.trim().replace(/\s+/g, " ");
  return line.length > 80 ? `${line.slice(0, 80)}…` : line;
}

/** Parses one row with `schema`; throws RowShapeError naming the query and the columns that are wrong. */
export function parseRow<T>(schema: RowSchema<T>, row: unknown, query: string): T {
  const parsed = schema.safeParse(row);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `${issue.path.join(".") || "(row)"}: ${issue.message}`).join("; ");
  throw new RowShapeError(`a row of "${firstLine(query)}" has an unexpected shape: ${problems}`);
}

/** Runs `text` and parses every row with `schema`. */
export async function queryRows<T>(db: Queryable, schema: RowSchema<T>, text: string, values?: unknown[]): Promise<T[]> {
  const { rows } = await db.query(text, values);
  return rows.map((row: unknown) => parseRow(schema, row, text));
}

/** Runs `text` and parses its first row with `schema` (null when there is none). */
export async function queryRow<T>(db: Queryable, schema: RowSchema<T>, text: string, values?: unknown[]): Promise<T | null> {
  const { rows } = await db.query(text, values);
  return rows.length ? parseRow(schema, rows[0], text) : null;
}

/** Runs `text`, which answers exactly one row (an aggregate), and parses it with `schema`. */
export async function queryOne<T>(db: Queryable, schema: RowSchema<T>, text: string, values?: unknown[]): Promise<T> {
  const row = await queryRow(db, schema, text, values);
  if (row === null) throw new RowShapeError(`"${firstLine(text)}" answered no row where one was expected`);
  return row;
}

/** A row that is only a text id (a uuid read as text): the id. */
export const ZTextId: RowSchema<string> = z.object({ id: column.text }).transform((r) => r.id);
