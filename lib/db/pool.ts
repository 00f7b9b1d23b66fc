// The node-postgres pool used by the ledger's hot path. int8 comes back as bigint.
import pg from "pg";

const INT8_OID = 20;
const NUMERIC_OID = 1700;

const types = {
  getTypeParser(oid: number, format?: "text" | "binary") {
    if (oid === INT8_OID || oid === NUMERIC_OID) return (value: string) => (value.includes(".") ? value : BigInt(value));
    return pg.types.getTypeParser(oid, format);
  },
} as pg.CustomTypesConfig;

export function createPool(connectionString: string, max = 10): pg.Pool {
  const pool = new pg.Pool({ connectionString, max, types });
  // An idle client lost its connection (a database restart, say): the pool
  // drops it and opens a new one on the next checkout. Said once per client.
  pool.on("error", (error) => console.warn(`db: an idle connection was lost and will be replaced: ${error.message}`));
  return pool;
}

export function databaseUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set: start the app with `npm start` (it provides one) or set it yourself.");
  return url;
}

const globalForPool = globalThis as unknown as { ledgerPool?: pg.Pool };

/** The process-wide pool for DATABASE_URL. */
export function getPool(): pg.Pool {
  globalForPool.ledgerPool ??= createPool(databaseUrl(), Number(process.env.DB_POOL_SIZE ?? 10));
  return globalForPool.ledgerPool;
}
