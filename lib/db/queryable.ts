import type pg from "pg";

/**
 * Whatever runs a query: the pool (each query on any free connection) or one
 * client (a transaction, a snapshot). Reads that may run in a caller's
 * transaction take one of these.
 */
export type Queryable = Pick<pg.Pool, "query"> | Pick<pg.ClientBase, "query">;
