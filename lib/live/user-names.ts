// Display names of users, read on the caller's connection (inside its
// transaction, where the names go into what it writes). No "server-only": the
// earnings folder (and so the benchmarks) run this through the fan club hook.
import { z } from "zod";
import type { Queryable } from "../db/queryable";
import { column, queryRows } from "../db/rows";

const ZUserName = z.object({ id: column.text, display_name: column.text }).transform((r) => [r.id, r.display_name] as const);

/** The display names of these users, by id (users that do not exist are absent). */
export async function displayNamesOf(db: Queryable, userIds: readonly string[]): Promise<Map<string, string>> {
  if (!userIds.length) return new Map();
  return new Map(await queryRows(db, ZUserName, "SELECT id::text AS id, display_name FROM users WHERE id = ANY($1::uuid[])", [[...userIds]]));
}
