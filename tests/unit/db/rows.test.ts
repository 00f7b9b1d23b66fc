import { describe, expect, test } from "vitest";
import { z } from "zod";
import type { Queryable } from "../../../lib/db/queryable";
import { column, queryOne, queryRow, queryRows, RowShapeError } from "../../../lib/db/rows";

/** A Queryable that answers every query with `rows`, as node-postgres would. */
const answering = (rows: Record<string, unknown>[]): Queryable => ({ query: (async () => ({ rows })) as unknown as Queryable["query"] });

const ZRow = z.object({ id: column.text, amount: column.int8, at: column.time }).transform((row) => ({ id: row.id, amount: row.amount, at: row.at }));

describe("rows from raw SQL", () => {
  test("each row comes back in the caller's shape, types checked", async () => {
    const at = new Date("2026-12-01T10:00:00Z");
    const rows = await queryRows(
      answering([
        { id: "a", amount: 5n, at },
        { id: "b", amount: -2n, at },
      ]),
      ZRow,
      "SELECT id, amount, at FROM t",
    );
    expect(rows).toEqual([
      { id: "a", amount: 5n, at },
      { id: "b", amount: -2n, at },
    ]);
  });

  test("a column of another type fails at the query, naming the query and the column", async () => {
    const wrong = answering([{ id: "a", amount: "5", at: new Date() }]);
    const failure = await queryRows(wrong, ZRow, "SELECT id, amount, at FROM t").catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(RowShapeError);
    expect((failure as Error).message).toMatch(/^a row of "SELECT id, amount, at FROM t" has an unexpected shape: amount: /);
  });

  test("queryRow answers null for no row; queryOne refuses no row", async () => {
    expect(await queryRow(answering([]), ZRow, "SELECT 1")).toBeNull();
    await expect(queryOne(answering([]), ZRow, "SELECT count(*) FROM t")).rejects.toThrow(/answered no row where one was expected/);
  });
});
