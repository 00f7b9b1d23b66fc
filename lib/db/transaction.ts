import type pg from "pg";

/**
 * Runs `work` in one transaction on a client of `pool`: committed if it
 * resolves, rolled back if it throws (and the error rethrown). A client whose
 * ROLLBACK fails is broken (its connection is gone or stuck in a failed
 * transaction): it is destroyed instead of going back to the pool.
 */
export async function inTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>, begin = "BEGIN"): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query(begin);
    const result = await work(client);
    await client.query("COMMIT");
    return result;
  } catch (error) {
    try {
      await client.query("ROLLBACK");
    } catch (rollbackError) {
      broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
    }
    throw error;
  } finally {
    client.release(broken);
  }
}
