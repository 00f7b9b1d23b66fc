// Shared pieces of the benchmarks: a clean database, timing and percentiles.
import { existsSync, readdirSync, readFileSync } from "node:fs";
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

/** A numeric `--name=N` flag (or BENCH_NAME), at least `min` (default 1; 0 where zero means "skip"). */
export function arg(name: string, fallback: number, min = 1): number {
  const flag = process.argv.find((a) => a.startsWith(`--${name}=`));
  const value = flag ? Number(flag.split("=")[1]) : Number(process.env[`BENCH_${name.toUpperCase()}`] ?? fallback);
  return Number.isFinite(value) && value >= min ? value : fallback;
}

export interface RunStats {
  ops: number;
  seconds: number;
  perSecond: number;
  p50: number;
  p99: number;
  /** CPU time per operation, in microseconds: this process, and every PostgreSQL process on the machine (Linux only). */
  cpu: { node: number; nodeSystem: number; postgres: number | null };
}

const CLOCK_TICKS_PER_SECOND = 100;

/**
 * CPU seconds used so far by every process named postgres (their own time plus
 * that of children they have reaped), read from /proc; null where there is no
 * /proc. CPU time is a steadier figure than throughput on a shared machine:
 * other work slows a run down but does not add to its CPU time.
 */
function postgresCpuSeconds(): number | null {
  if (!existsSync("/proc/self/stat")) return null;
  let ticks = 0;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const close = stat.lastIndexOf(")");
      if (!stat.slice(stat.indexOf("(") + 1, close).startsWith("postgres")) continue;
      const fields = stat.slice(close + 2).split(" ");
      // utime, stime, cutime, cstime are fields 14–17 of stat(5); fields[0] here is field 3.
      ticks += Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
    } catch {
      // the process ended meanwhile
    }
  }
  return ticks / CLOCK_TICKS_PER_SECOND;
}

/** Runs `workers` loops calling `op` until `seconds` have passed. */
export async function runFor(workers: number, seconds: number, op: (worker: number) => Promise<void>): Promise<RunStats> {
  const latencies: number[] = [];
  const nodeBefore = process.cpuUsage();
  const postgresBefore = postgresCpuSeconds();
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
  const node = process.cpuUsage(nodeBefore);
  const postgresAfter = postgresCpuSeconds();
  const ops = latencies.length;
  latencies.sort((a, b) => a - b);
  return {
    ops,
    seconds: elapsed,
    perSecond: ops / elapsed,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    cpu: {
      node: (node.user + node.system) / Math.max(ops, 1),
      nodeSystem: node.system / Math.max(ops, 1),
      postgres: postgresBefore === null || postgresAfter === null ? null : ((postgresAfter - postgresBefore) * 1e6) / Math.max(ops, 1),
    },
  };
}

export function formatStats(label: string, s: RunStats): string {
  return (
    `${label.padEnd(34)} ${Math.round(s.perSecond).toLocaleString("en-US").padStart(9)} gifts/s   p50 ${s.p50.toFixed(2).padStart(7)} ms   p99 ${s.p99.toFixed(2).padStart(7)} ms   (${s.ops.toLocaleString("en-US")} gifts in ${s.seconds.toFixed(1)} s)` +
    `\n${"".padEnd(34)} CPU per gift: node ${s.cpu.node.toFixed(0)} µs (${s.cpu.nodeSystem.toFixed(0)} in the kernel), PostgreSQL ${s.cpu.postgres === null ? "n/a" : `${s.cpu.postgres.toFixed(0)} µs`}`
  );
}

/** CPU seconds used so far, by part of the machine (Linux /proc; clock ticks of 10 ms). */
export interface CpuSnapshot {
  server: number;
  postgres: number;
  watchers: number;
  bench: number;
}

const TICK_S = 0.01;

/**
 * What each process group has used so far: the server (the process tree under
 * `serverPid`, as `next start` may fork), every PostgreSQL process, the SSE
 * clients' process and this process. Backends that exit between two snapshots
 * drop out of the sum, so a difference is a lower bound for PostgreSQL.
 */
export function cpuSnapshot(serverPid: number | undefined, watchersPid: number | undefined): CpuSnapshot {
  const processes = new Map<number, { ppid: number; comm: string; ticks: number }>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, "utf8");
    } catch {
      continue; // exited while we read the list
    }
    // pid (comm) state ppid … utime(14) stime(15): comm may hold spaces, so split after the last ')'.
    const close = stat.lastIndexOf(")");
    const comm = stat.slice(stat.indexOf("(") + 1, close);
    const fields = stat.slice(close + 2).split(" ");
    processes.set(Number(entry), { ppid: Number(fields[1]), comm, ticks: Number(fields[11]) + Number(fields[12]) });
  }
  const inTree = (pid: number, root: number | undefined) => {
    for (let p: number | undefined = pid, depth = 0; p && depth < 20; p = processes.get(p)?.ppid, depth++) if (p === root) return true;
    return false;
  };
  const snapshot: CpuSnapshot = { server: 0, postgres: 0, watchers: 0, bench: 0 };
  for (const [pid, p] of processes) {
    if (p.comm === "postgres") snapshot.postgres += p.ticks * TICK_S;
    else if (pid === watchersPid) snapshot.watchers += p.ticks * TICK_S;
    else if (serverPid && inTree(pid, serverPid)) snapshot.server += p.ticks * TICK_S;
  }
  const self = process.cpuUsage();
  snapshot.bench = (self.user + self.system) / 1e6;
  return snapshot;
}

/** "server 512 µs, postgres 210 µs, …" of CPU per operation between two snapshots. */
export function cpuPerOperation(before: CpuSnapshot, after: CpuSnapshot, operations: number): string {
  const parts = (["server", "postgres", "watchers", "bench"] as const).map(
    (k) => `${k} ${Math.round(((after[k] - before[k]) / Math.max(1, operations)) * 1e6)} µs`,
  );
  return parts.join(", ");
}
