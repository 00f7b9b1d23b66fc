// One code path for every entry point: use DATABASE_URL when set, otherwise an
// embedded PostgreSQL server; then make sure the database exists and is migrated.
import { setting } from "../env";
import { startEmbeddedPostgres } from "./embedded";
import { ensureDatabaseExists, migrate, withDatabase } from "./migrate";

export interface ProvidedDatabase {
  /** URL of the application database (migrated). */
  url: string;
  /** URL of the server's maintenance database, for creating/dropping databases. */
  adminUrl: string;
  embedded: boolean;
  stop(): Promise<void>;
}

export interface ProvideOptions {
  /** .data/<cluster> for the embedded server */
  cluster: string;
  /** database name to create on the embedded server */
  database: string;
  fast?: boolean;
  migrate?: boolean;
  log?: (message: string) => void;
}

export async function provideDatabase(options: ProvideOptions): Promise<ProvidedDatabase> {
  const log = options.log ?? ((message: string) => console.log(message));
  const given = setting("DATABASE_URL");
  let url: string;
  let adminUrl: string;
  let stop = async () => undefined as void;
  if (given) {
    url = given;
    adminUrl = withDatabase(given, "postgres");
  } else {
    const server = await startEmbeddedPostgres({ name: options.cluster, fast: options.fast, log });
    url = server.url(options.database);
    adminUrl = server.url("postgres");
    stop = server.stop;
    await ensureDatabaseExists(adminUrl, options.database);
  }
  if (options.migrate !== false) {
    const applied = await migrate(url);
    if (applied.length) log(`Applied migrations: ${applied.join(", ")}`);
  }
  return { url, adminUrl, embedded: !given, stop };
}

/** Tests must never touch a remote database. */
export function assertLocalDatabase(url: string): void {
  const host = new URL(url).hostname;
  if (!["localhost", "127.0.0.1", "[::1]", "::1"].includes(host)) {
    throw new Error(`Refusing to run tests against a non-local database (${host}).`);
  }
}
