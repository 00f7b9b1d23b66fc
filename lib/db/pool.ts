// The node-postgres pool used by the ledger's hot path. int8 comes back as bigint.
//
// Every connection is bounded in time, so that a passing fault (a restart, a
// lock held by someone else, a stuck session) ends in a clear transient error
// instead of a caller waiting for ever:
// - statement_timeout and lock_timeout end a statement that runs or waits too long;
// - idle_in_transaction_session_timeout ends a session that holds a transaction
//   (and its locks) open without working on it;
// - connectionTimeoutMillis bounds the wait for a free client or a new connection;
// - TCP keepalive notices a connection whose peer is gone, and a client-side
//   query timeout ends the wait on a server that stalls without failing.
// A client that loses its connection, idle or checked out, is reported once per
// outage (with its cause), and once when connections succeed again.
import pg from "pg";
import { setting, SETTING_DEFAULTS, type SettingName, type SettingSource } from "../env";

const INT8_OID = 20;
const NUMERIC_OID = 1700;

const types = {
  getTypeParser(oid: number, format?: "text" | "binary") {
    if (oid === INT8_OID || oid === NUMERIC_OID) return (value: string) => (value.includes(".") ? value : BigInt(value));
    return pg.types.getTypeParser(oid, format);
  },
} as pg.CustomTypesConfig;

export interface PoolSettings {
  /** statement_timeout (ms): a statement running longer is cancelled (SQLSTATE 57014). */
  statementTimeoutMs: number;
  /** lock_timeout (ms): a statement waiting longer for a lock fails (SQLSTATE 55P03). */
  lockTimeoutMs: number;
  /** idle_in_transaction_session_timeout (ms): a session idle inside a transaction longer is ended. */
  idleInTransactionTimeoutMs: number;
  /** How long a caller waits for a free client or a new connection (ms). */
  connectTimeoutMs: number;
  /** TCP keepalive: first probe after this much idle time (ms). */
  keepAliveInitialDelayMs: number;
  /**
   * A pooled query without an answer after this long fails on the client side
   * and its connection is dropped: the bound when the server stalls without
   * failing (where statement_timeout cannot fire). Longer than statement_timeout,
   * so the server's own errors come first.
   */
  queryTimeoutMs: number;
}

const ENV_NAMES = {
  statementTimeoutMs: "DB_STATEMENT_TIMEOUT_MS",
  lockTimeoutMs: "DB_LOCK_TIMEOUT_MS",
  idleInTransactionTimeoutMs: "DB_IDLE_IN_TRANSACTION_TIMEOUT_MS",
  connectTimeoutMs: "DB_CONNECT_TIMEOUT_MS",
  keepAliveInitialDelayMs: "DB_KEEPALIVE_DELAY_MS",
  queryTimeoutMs: "DB_QUERY_TIMEOUT_MS",
} as const satisfies Record<keyof PoolSettings, SettingName>;

const POOL_KEYS = Object.keys(ENV_NAMES) as Array<keyof PoolSettings>;

/** The defaults of the DB_* settings (lib/env.ts). */
export const POOL_DEFAULTS: PoolSettings = Object.fromEntries(POOL_KEYS.map((key) => [key, SETTING_DEFAULTS[ENV_NAMES[key]]])) as unknown as PoolSettings;

/** The settings from the DB_* environment variables (unset: the default; a bad one throws, naming it). */
export function poolSettings(env: SettingSource = process.env): PoolSettings {
  return Object.fromEntries(POOL_KEYS.map((key) => [key, setting(ENV_NAMES[key], env)])) as unknown as PoolSettings;
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as { code?: unknown }).code;
  return `${error.message}${typeof code === "string" ? ` (${code})` : ""}`;
}

/**
 * The driver settings of a connection: the timeouts and keepalive. For
 * long-lived clients made outside a pool (LISTEN connections) and Prisma's
 * adapter too.
 */
export function connectionConfig(connectionString: string, overrides: Partial<PoolSettings> = {}): pg.ClientConfig {
  const s = { ...poolSettings(), ...overrides };
  return {
    connectionString,
    statement_timeout: s.statementTimeoutMs,
    lock_timeout: s.lockTimeoutMs,
    idle_in_transaction_session_timeout: s.idleInTransactionTimeoutMs,
    connectionTimeoutMillis: s.connectTimeoutMs,
    keepAlive: true,
    keepAliveInitialDelayMillis: s.keepAliveInitialDelayMs,
  };
}

export function createPool(connectionString: string, max = 10, overrides: Partial<PoolSettings> = {}): pg.Pool {
  const pool = new pg.Pool({ ...connectionConfig(connectionString, overrides), query_timeout: { ...poolSettings(), ...overrides }.queryTimeoutMs, types, max });
  let lost = false;
  const onLost = (error: unknown) => {
    // The pool drops a broken client and opens a new one on the next checkout;
    // whoever was using it gets the error from its query.
    if (lost) return;
    lost = true;
    console.warn(`db: connection lost, will reconnect on the next query: ${describe(error)}`);
  };
  // An idle client lost its connection (a database restart, say).
  pool.on("error", onLost);
  pool.on("connect", (client) => {
    // A checked-out client emits its connection errors itself; without a
    // listener they would be thrown as uncaught exceptions.
    client.on("error", onLost);
    if (lost) {
      lost = false;
      console.warn("db: connected again.");
    }
  });
  return pool;
}

export function databaseUrl(): string {
  const url = setting("DATABASE_URL");
  if (!url) throw new Error("DATABASE_URL is not set: start the app with `npm start` (it provides one) or set it yourself.");
  return url;
}

const globalForPool = globalThis as unknown as { ledgerPool?: pg.Pool };

/** The process-wide pool for DATABASE_URL. */
export function getPool(): pg.Pool {
  globalForPool.ledgerPool ??= createPool(databaseUrl(), setting("DB_POOL_SIZE"));
  return globalForPool.ledgerPool;
}
