// Shared pieces of the benchmarks: a clean database, timing and percentiles.
import { readFileSync } from "node:fs";
import pg from "pg";
import { startEmbeddedPostgres } from "../../lib/db/embedded";
import { ensureDatabaseExists, migrate, withDatabase } from "../../lib/db/migrate";

/** A freshly created, migrated database for one benchmark run. */
export async function benchDatabase(name: string): Promise<{ url: string; stop(): Promise<void> }> {
  let adminUrl: string;
  let stop = async () => undefined as void;
  if (process.env.DATABASE_URL) {
    adminUrl = withDatabase(process.env.DATABASE_URL, "postgres");
  } else {
    // Durable settings (fsync on), like the app's own server.
    const server = await startEmbeddedPostgres({ name: "bench-postgres", log: (m) => console.log(m) });
    adminUrl = server.url("postgres");
    stop = server.stop;
  }
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin.end();
  await ensureDatabaseExists(adminUrl, name);
  const url = withDatabase(adminUrl, name);
  await migrate(url);
  // For A/B experiments: BENCH_SQL names a SQL file run after the migrations
  // (for example one that drops a trigger to measure what it costs).
  if (process.env.BENCH_SQL) {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(readFileSync(process.env.BENCH_SQL, "utf8"));
    } finally {
      await client.end();
    }
  }
  return { url, stop };
}

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export function arg(name: string, fallback: number): number {
  const flag = process.argv.find((a) => a.startsWith(`--${name}=`));
  const value = flag ? Number(flag.split("=")[1]) : Number(process.env[`BENCH_${name.toUpperCase()}`] ?? fallback);
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

export interface RunStats {
  ops: number;
  seconds: number;
  perSecond: number;
  p50: number;
  p99: number;
}

/** Runs `workers` loops calling `op` until `seconds` have passed. */
export async function runFor(workers: number, seconds: number, op: (worker: number) => Promise<void>): Promise<RunStats> {
  const latencies: number[] = [];
  const start = performance.now();
  const deadline = start + seconds * 1000;
  await Promise.all(
    Array.from({ length: workers }, async (_, worker) => {
      while (performance.now() < deadline) {
        const t0 = performance.now();
        await op(worker);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const elapsed = (performance.now() - start) / 1000;
  latencies.sort((a, b) => a - b);
  return { ops: latencies.length, seconds: elapsed, perSecond: latencies.length / elapsed, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}

export function formatStats(label: string, s: RunStats): string {
  return `${label.padEnd(34)} ${Math.round(s.perSecond).toLocaleString("en-US").padStart(9)} gifts/s   p50 ${s.p50.toFixed(2).padStart(7)} ms   p99 ${s.p99.toFixed(2).padStart(7)} ms   (${s.ops.toLocaleString("en-US")} gifts in ${s.seconds.toFixed(1)} s)`;
}
