// npm run test:faults — a gift storm over HTTP on `next start` (the production
// build; made first when missing or stale) while faults are injected, on an
// embedded PostgreSQL this suite starts and stops itself:
//   a. PostgreSQL restarts in the middle of the storm and of a recharge burst;
//   b. the app server is killed (SIGKILL) mid-storm and started again;
//   c. a hot account (gift revenue) is locked from another connection.
// Viewers (made with sign-up's code, signed in over HTTP) tap Roses through
// POST /api/streams/<id>/gifts; a request without a definite answer (network
// error, 5xx, 503 BUSY) is retried with the same key, as the stream page does.
// SSE watchers reconnect with Last-Event-ID. After each fault, against the
// ledger: every acknowledged gift is there exactly once (same transfer), no
// refused one is, every gift has its four postings and its live event, viewer
// balances are what they sent and bought, every succeeded recharge is credited
// once, reconciliation is clean, every watcher has every gift event exactly
// once; the app recovered without a restart (a, c), a locked account gives
// 503 BUSY within a bounded time (c), and no request got a 500.
// Prints gifts/s before, during and after each fault and the time to recover.
// Exits 1 on any loss, duplicate, drift or failed check.
//   --viewers=40 --watchers=10 --before=5 --after=6 (seconds)
import { randomBytes, randomUUID } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import http from "node:http";
import path from "node:path";
import pg from "pg";
import { createUser, type UserProfile } from "../../lib/auth/users";
import { startEmbeddedPostgres, type EmbeddedServer } from "../../lib/db/embedded";
import { ensureDatabaseExists, migrate } from "../../lib/db/migrate";
import { isTransientDatabaseError } from "../../lib/db/errors";
import { findGift } from "../../lib/economy";
import { getLedger } from "../../lib/ledger";
import { formatReconciliation, reconcile } from "../../lib/ledger/reconcile";
import { goLive } from "../../lib/live/streams";
import { createRecharge, PaymentError } from "../../lib/payments/intents";
import { confirmPayment } from "../../lib/payments/provider";
import { arg } from "../bench/support";
import { request } from "../support/http-client";
import { signIn, startNextServer, type NextServer } from "../support/next-server";
import { takeSseFrames } from "../support/sse";

const viewerCount = arg("viewers", 40);
const watcherCount = arg("watchers", 10);
const beforeS = arg("before", 5);
const afterS = arg("after", 6);
const PASSWORD = "faults-suite-2026";
const GRANT = 1_000_000n;
const ROSE = findGift("rose")!;
/** A viewer taps at most this often (the gift rate limit is 20 a second). */
const TAP_GAP_MS = 70;
const RETRY_GAP_MS = 250;
/** A tap without a definite answer after this long counts as unknown (a failure of the suite). */
const TAP_DEADLINE_MS = 120_000;
const REQUEST_TIMEOUT_MS = 30_000;
/** Scenario c: a BUSY answer must come within this long. */
const BUSY_BOUND_MS = 10_000;
const DATABASE = "coin_economy_faults";

const fmt = (n: number) => Math.round(n).toLocaleString("en-US");
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const failures: string[] = [];
function check(ok: boolean, what: string): void {
  console.log(`  ${ok ? "ok  " : "FAIL"} ${what}`);
  if (!ok) failures.push(what);
}

// ---------------------------------------------------------------- HTTP

interface Viewer {
  profile: UserProfile;
  cookie: string;
}

interface Tap {
  viewer: number;
  clientKey: string;
  scenario: string;
  outcome: "acked" | "refused" | "unknown";
  transferId: string | null;
  /** The gift route answered that the key had committed before (a retry whose first answer was lost). */
  replayed: boolean;
  attempts: number;
  /** performance.now() of the first send and of the definite answer. */
  sentAt: number;
  doneAt: number;
}

/** Every answer of the gift route, for the figures: time, status/code, how long it took. */
interface Attempt {
  at: number;
  kind: string;
  ms: number;
}

class Storm {
  readonly taps: Tap[] = [];
  readonly attempts: Attempt[] = [];
  scenario = "";
  private running = false;
  private loops: Promise<void>[] = [];
  private agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });

  constructor(
    private readonly base: () => string,
    private readonly streamId: string,
    private readonly viewers: Viewer[],
  ) {}

  get isRunning(): boolean {
    return this.running;
  }

  start(): void {
    this.running = true;
    this.loops = this.viewers.map((viewer, v) => this.loop(viewer, v));
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.loops);
  }

  private async loop(viewer: Viewer, v: number): Promise<void> {
    while (this.running) {
      const tap: Tap = {
        viewer: v,
        clientKey: randomBytes(12).toString("base64url"),
        scenario: this.scenario,
        outcome: "unknown",
        transferId: null,
        replayed: false,
        attempts: 0,
        sentAt: performance.now(),
        doneAt: NaN,
      };
      this.taps.push(tap);
      const started = performance.now();
      await this.send(viewer, tap);
      const pause = TAP_GAP_MS - (performance.now() - started);
      if (pause > 0) await new Promise((r) => setTimeout(r, pause));
    }
  }

  /** Sends one tap until a definite answer: retries with the same key as the stream page does. */
  private async send(viewer: Viewer, tap: Tap): Promise<void> {
    const body = JSON.stringify({ giftId: ROSE.id, clientKey: tap.clientKey });
    for (;;) {
      tap.attempts++;
      const at = performance.now();
      let kind: string;
      let parsed: { ok?: boolean; code?: string; transferId?: string; replayed?: boolean } = {};
      let status = 0;
      try {
        const url = new URL(`${this.base()}/api/streams/${this.streamId}/gifts`);
        const reply = await request(
          this.agent,
          url,
          "POST",
          { "Content-Type": "application/json", Cookie: viewer.cookie, Origin: this.base() },
          body,
          REQUEST_TIMEOUT_MS,
        );
        status = reply.status;
        try {
          parsed = JSON.parse(reply.body);
        } catch {
          parsed = {};
        }
        kind = `${status} ${parsed.code ?? (status === 200 ? "OK" : "(no code)")}`;
      } catch (error) {
        kind = `network ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`;
      }
      this.attempts.push({ at, kind, ms: performance.now() - at });
      if (status === 200 && parsed.ok === true && parsed.transferId) {
        tap.outcome = "acked";
        tap.transferId = parsed.transferId;
        tap.replayed = parsed.replayed === true;
        tap.doneAt = performance.now();
        return;
      }
      if (status >= 400 && status < 500) {
        tap.outcome = "refused";
        tap.doneAt = performance.now();
        return;
      }
      // No definite answer (network, 5xx, 503 BUSY): the same key again.
      if (performance.now() - tap.sentAt > TAP_DEADLINE_MS) return;
      await new Promise((r) => setTimeout(r, RETRY_GAP_MS));
    }
  }
}

// ---------------------------------------------------------------- SSE watchers

interface WatcherState {
  /** Gift event id → times received. */
  gifts: Map<string, number>;
  lastId: string | null;
  connects: number;
  /** Answers other than 200 to a (re)connection, by status. */
  refusals: Map<number, number>;
}

/** SSE clients that reconnect (with Last-Event-ID) whenever their connection ends, as the stream page does. */
function startWatchers(base: () => string, streamId: string, count: number) {
  const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity });
  let stopped = false;
  const states: WatcherState[] = [];
  const requests = new Set<http.ClientRequest>();
  const connect = (state: WatcherState) => {
    if (stopped) return;
    state.connects++;
    const headers: http.OutgoingHttpHeaders = { Accept: "text/event-stream" };
    if (state.lastId) headers["Last-Event-ID"] = state.lastId;
    let retried = false;
    const again = () => {
      if (retried || stopped) return;
      retried = true;
      requests.delete(req);
      setTimeout(() => connect(state), 300 + Math.random() * 300);
    };
    const req = http.get(`${base()}/api/streams/${streamId}/events`, { agent, headers }, (res) => {
      if (res.statusCode !== 200) {
        state.refusals.set(res.statusCode ?? 0, (state.refusals.get(res.statusCode ?? 0) ?? 0) + 1);
        res.resume();
        res.on("end", again);
        res.on("error", again);
        return;
      }
      res.setEncoding("utf8");
      let buffer = "";
      res.on("data", (chunk: string) => {
        buffer = takeSseFrames(buffer + chunk, (message) => {
          if (message.id) state.lastId = message.id;
          if (message.event === "gift" && message.id) state.gifts.set(message.id, (state.gifts.get(message.id) ?? 0) + 1);
        });
      });
      res.on("end", again);
      res.on("close", again);
      res.on("error", again);
    });
    requests.add(req);
    req.on("error", again);
  };
  for (let i = 0; i < count; i++) {
    const state: WatcherState = { gifts: new Map(), lastId: null, connects: 0, refusals: new Map() };
    states.push(state);
    connect(state);
  }
  return {
    states,
    stop() {
      stopped = true;
      for (const req of requests) req.destroy();
      agent.destroy();
    },
  };
}

// ---------------------------------------------------------------- recharges

interface Recharge {
  user: UserProfile;
  clientKey: string;
  intentId: string | null;
  outcome: "succeeded" | "refused" | "unknown";
}

/** A burst of recharges through the payment code (intent → card → webhook), each retried with its key on a passing fault. */
async function rechargeBurst(users: UserProfile[], perUser: number, log: string[]): Promise<Recharge[]> {
  const recharges: Recharge[] = users.flatMap((user) =>
    Array.from({ length: perUser }, () => ({ user, clientKey: randomUUID(), intentId: null, outcome: "unknown" as Recharge["outcome"] })),
  );
  await Promise.all(
    recharges.map(async (r, i) => {
      await new Promise((res) => setTimeout(res, i * 150));
      const started = performance.now();
      while (performance.now() - started < TAP_DEADLINE_MS) {
        try {
          const intent = await createRecharge(r.user, { packageId: "coins-70", platform: "web", currency: "USD", clientKey: r.clientKey });
          r.intentId = intent.id;
          const paid = await confirmPayment(r.user.id, intent.id, {
            type: "card",
            number: "4242 4242 4242 4242",
            expiry: "12/34",
            cvc: "123",
            name: r.user.displayName,
          });
          r.outcome = paid.status === "SUCCEEDED" ? "succeeded" : "refused";
          return;
        } catch (error) {
          if (error instanceof PaymentError) {
            r.outcome = "refused";
            return;
          }
          if (!isTransientDatabaseError(error)) log.push(`recharge: ${String(error)}`);
          await new Promise((res) => setTimeout(res, RETRY_GAP_MS));
        }
      }
    }),
  );
  return recharges;
}

/** The embedded server's processes: the postmaster (from postmaster.pid) and its children. */
function postgresProcesses(cluster: string): number[] {
  const postmaster = Number(readFileSync(path.resolve(".data", cluster, "postmaster.pid"), "utf8").split("\n")[0]);
  const pids = [postmaster];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      if (Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]) === postmaster) pids.push(Number(entry));
    } catch {
      continue; // the process ended while the list was read
    }
  }
  return pids;
}

// ---------------------------------------------------------------- figures

/** Acknowledged gifts per second between two times (by when they were acknowledged). */
function rate(taps: Tap[], from: number, to: number): number {
  if (to <= from) return NaN;
  return taps.filter((t) => t.outcome === "acked" && t.doneAt >= from && t.doneAt < to).length / ((to - from) / 1000);
}

function errorSummary(attempts: Attempt[]): string {
  const byKind = new Map<string, number[]>();
  for (const a of attempts) if (!a.kind.startsWith("200 ")) byKind.set(a.kind, [...(byKind.get(a.kind) ?? []), a.ms]);
  if (!byKind.size) return "none";
  return [...byKind].map(([kind, times]) => `${kind} × ${fmt(times.length)} (max ${fmt(Math.max(...times))} ms)`).join(", ");
}

// ---------------------------------------------------------------- main

async function main() {
  // PostgreSQL of our own, on a port we keep, so we can stop and start it.
  const log = (m: string) => console.log(m);
  let pgServer: EmbeddedServer = await startEmbeddedPostgres({ name: "faults-postgres", log });
  const pgPort = pgServer.port;
  const adminUrl = pgServer.url("postgres");
  {
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${DATABASE}" WITH (FORCE)`);
    await admin.end();
  }
  await ensureDatabaseExists(adminUrl, DATABASE);
  const url = pgServer.url(DATABASE);
  await migrate(url);
  process.env.DATABASE_URL = url;
  const ledger = getLedger();
  const pool = ledger.pool;

  // A shorter client-side query timeout than the default (20 s), so the stall (d) shows it bounds every wait.
  const serverEnv = { PAYMENT_DELIVERY_INTERVAL_MS: "1000", DB_QUERY_TIMEOUT_MS: "4000" };
  let server: NextServer = await startNextServer({ databaseUrl: url, simAudience: "off", env: serverEnv });
  const port = server.port;
  const base = () => server.url;
  const suiteLog: string[] = [];
  /** What servers killed in the suite printed. */
  const earlierLogs: string[] = [];
  try {
    const created = await createUser({
      email: "faults-creator@example.test",
      displayName: "Faults Creator",
      password: PASSWORD,
      birthDate: "1990-01-01",
      role: "CREATOR",
    });
    if (!created.ok) throw new Error(created.message);
    const stream = await goLive(created.user, { title: "Gift storm with faults", goalCoins: null });
    const issuance = await ledger.platformAccount("coin_issuance");
    const viewers: Viewer[] = [];
    for (let i = 0; i < viewerCount; i++) {
      const result = await createUser({
        email: `faults-viewer-${i}@example.test`,
        displayName: `Faults viewer ${i}`,
        password: PASSWORD,
        birthDate: "1990-01-01",
      });
      if (!result.ok) throw new Error(result.message);
      const wallet = await ledger.userAccount(result.user.id, "VIEWER_COINS");
      await ledger.post({
        idempotencyKey: `faults-grant:${result.user.id}`,
        kind: "ADJUSTMENT",
        metadata: { reason: "test:faults grant" },
        postings: [
          { accountId: issuance.id, amount: -GRANT },
          { accountId: wallet.id, amount: GRANT },
        ],
      });
      viewers.push({ profile: result.user, cookie: (await signIn(server.url, result.user.email, PASSWORD)).cookie });
    }
    console.log(
      `test:faults — next start on ${server.url} (pid ${server.child.pid}), PostgreSQL on port ${pgPort}, ${viewerCount} viewers signed in over HTTP, ${watcherCount} SSE watchers, stream ${stream.id}`,
    );

    const watchers = startWatchers(base, stream.id, watcherCount);
    const storm = new Storm(base, stream.id, viewers);
    const recharges: Recharge[] = [];
    const figures: string[] = [];

    /** Runs the storm through one fault: before, the fault (inject → lift), after; prints the figures. */
    const scenario = async (name: string, inject: () => Promise<{ liftedAt: number }>) => {
      console.log(`\n${name}`);
      storm.scenario = name;
      if (!storm.isRunning) storm.start();
      const startedAt = performance.now();
      await new Promise((r) => setTimeout(r, beforeS * 1000));
      const faultAt = performance.now();
      const { liftedAt } = await inject();
      // Recovered: the first gift acknowledged after the fault was lifted.
      let recoveredAt = NaN;
      const waitStart = performance.now();
      while (performance.now() - waitStart < 60_000) {
        const first = storm.taps.find((t) => t.outcome === "acked" && t.doneAt >= liftedAt && t.sentAt >= liftedAt);
        if (first) {
          recoveredAt = first.doneAt;
          break;
        }
        await new Promise((r) => setTimeout(r, 50));
      }
      await new Promise((r) => setTimeout(r, afterS * 1000));
      const endAt = performance.now();
      const taps = storm.taps.filter((t) => t.scenario === name);
      const during = storm.attempts.filter((a) => a.at >= faultAt && a.at < liftedAt);
      const line = {
        name,
        before: rate(taps, startedAt, faultAt),
        during: rate(taps, faultAt, liftedAt),
        after: rate(taps, Number.isFinite(recoveredAt) ? recoveredAt : liftedAt, endAt),
        faultMs: liftedAt - faultAt,
        recoverMs: recoveredAt - liftedAt,
      };
      console.log(`  gifts/s: before ${fmt(line.before)}, during the fault (${secs(line.faultMs)}) ${fmt(line.during)}, after ${fmt(line.after)}`);
      console.log(`  recovered ${Number.isFinite(line.recoverMs) ? `${secs(line.recoverMs)} after the fault was lifted` : "NOT within 60 s"}`);
      console.log(`  answers other than 200 during the fault: ${errorSummary(during)}`);
      check(Number.isFinite(line.recoverMs), "gifts are acknowledged again after the fault, by themselves");
      figures.push(
        `| ${name} | ${fmt(line.before)} | ${fmt(line.during)} | ${fmt(line.after)} | ${secs(line.faultMs)} | ${Number.isFinite(line.recoverMs) ? secs(line.recoverMs) : "—"} |`,
      );
      return { faultAt, liftedAt, during };
    };

    /** Everything, against the ledger, after the taps in flight have their answers. */
    const audit = async (label: string) => {
      await storm.stop();
      const taps = storm.taps;
      const { rows: transfers } = await pool.query(
        `SELECT t.idempotency_key, t.id::text AS id,
                (SELECT count(*)::int FROM ledger_postings p WHERE p.transfer_id = t.id) AS postings,
                (SELECT count(*)::int FROM live_events e WHERE e.transfer_id = t.id) AS events
           FROM ledger_transfers t WHERE t.kind = 'GIFT'`,
      );
      const byKey = new Map<string, Array<{ id: string; postings: number; events: number }>>();
      for (const t of transfers) byKey.set(t.idempotency_key, [...(byKey.get(t.idempotency_key) ?? []), t]);
      let lost = 0,
        duplicated = 0,
        wrongTransfer = 0,
        refusedButCharged = 0,
        unknown = 0;
      const committedPerViewer = new Array<number>(viewerCount).fill(0);
      const keys = new Set<string>();
      for (const tap of taps) {
        const key = `gift:${viewers[tap.viewer]!.profile.id}:${tap.clientKey}`;
        keys.add(key);
        const found = byKey.get(key) ?? [];
        if (found.length > 1) duplicated++;
        if (found.length) committedPerViewer[tap.viewer]!++;
        if (tap.outcome === "acked") {
          if (!found.length) lost++;
          else if (found[0]!.id !== tap.transferId) wrongTransfer++;
        } else if (tap.outcome === "refused") {
          if (found.length) refusedButCharged++;
        } else unknown++;
      }
      const strays = transfers.filter((t) => !keys.has(t.idempotency_key)).length;
      const halfWritten = transfers.filter((t) => t.postings !== 4 || t.events !== 1).length;
      // Balances: the grant, minus the gifts sent, plus what succeeded recharges credited.
      const { rows: balances } = await pool.query(
        `SELECT u.id, a.balance,
                COALESCE((SELECT SUM(coins + bonus_coins) FROM payment_intents i WHERE i.user_id = u.id AND i.status = 'SUCCEEDED'), 0)::bigint AS bought
           FROM users u JOIN ledger_accounts a ON a.user_id = u.id AND a.kind = 'VIEWER_COINS'
          WHERE u.email LIKE 'faults-viewer-%'`,
      );
      const index = new Map(viewers.map((v, i) => [v.profile.id, i]));
      const wrongBalances = balances.filter(
        (b) => (b.balance as bigint) !== GRANT - BigInt(committedPerViewer[index.get(b.id)!]!) * ROSE.coins + (b.bought as bigint),
      ).length;
      // Recharges: every succeeded intent credited once (the delivery job retries what failed).
      let uncredited: number;
      const creditStart = performance.now();
      for (;;) {
        const { rows } = await pool.query(
          `SELECT count(*)::int AS n FROM payment_intents i
            WHERE i.status = 'SUCCEEDED' AND (SELECT count(*) FROM ledger_transfers t WHERE t.idempotency_key = 'recharge:' || i.id) <> 1`,
        );
        uncredited = rows[0].n;
        if (uncredited === 0 || performance.now() - creditStart > 30_000) break;
        await new Promise((r) => setTimeout(r, 250));
      }
      // Watchers: every gift event exactly once.
      const { rows: events } = await pool.query("SELECT id::text AS id FROM live_events WHERE stream_id = $1 AND kind = 'gift'", [stream.id]);
      const drainStart = performance.now();
      const exact = () => watchers.states.filter((s) => s.gifts.size === events.length && events.every((e) => s.gifts.get(e.id) === 1)).length;
      while (exact() < watcherCount && performance.now() - drainStart < 30_000) await new Promise((r) => setTimeout(r, 100));
      const duplicatesSeen = watchers.states.reduce((n, s) => n + [...s.gifts.values()].filter((c) => c > 1).length, 0);
      const reconciliation = await reconcile(pool);
      const acked = taps.filter((t) => t.outcome === "acked").length;
      const retried = taps.filter((t) => t.attempts > 1).length;
      const retriedAcked = taps.filter((t) => t.outcome === "acked" && t.attempts > 1).length;
      const replays = taps.filter((t) => t.replayed).length;
      const { rows: jobRows } = await pool.query("SELECT count(*) FILTER (WHERE attempts > 0)::int AS by_job, count(*)::int AS n FROM payment_events");
      const five = storm.attempts.filter((a) => /^5\d\d /.test(a.kind) && !a.kind.startsWith("503 BUSY")).length;
      console.log(
        `  audit after ${label}: ${fmt(taps.length)} taps (${fmt(acked)} acknowledged, ${fmt(taps.filter((t) => t.outcome === "refused").length)} refused, ${fmt(retried)} retried with their key, ${fmt(retriedAcked)} of them acknowledged, ${fmt(replays)} as replays of a gift that had committed before its answer was lost), ${fmt(transfers.length)} gift transfers; ${fmt(recharges.length)} recharges, ${fmt(jobRows[0].by_job)} of ${fmt(jobRows[0].n)} webhook events delivered by the retry job`,
      );
      check(lost === 0, `every acknowledged gift is in the ledger (missing: ${lost})`);
      check(
        duplicated === 0 && wrongTransfer === 0,
        `exactly once, with the transfer id the client saw (duplicated: ${duplicated}, other id: ${wrongTransfer})`,
      );
      check(refusedButCharged === 0, `no refused gift is in the ledger (${refusedButCharged})`);
      check(unknown === 0, `every tap got a definite answer within ${secs(TAP_DEADLINE_MS)} of retries (without: ${unknown})`);
      check(strays === 0, `no gift transfer that no tap made (${strays})`);
      check(halfWritten === 0, `no transfer half-written: 4 postings and 1 live event each (${halfWritten} not)`);
      check(wrongBalances === 0, `viewer balances = grant − gifts + recharges (${wrongBalances} of ${balances.length} wrong)`);
      check(uncredited === 0, `every succeeded recharge credited exactly once (${uncredited} not)`);
      check(
        exact() === watcherCount && duplicatesSeen === 0,
        `every watcher has every gift event exactly once (${exact()} of ${watcherCount}; ${events.length} events; duplicates ${duplicatesSeen}; reconnects ${watchers.states.reduce((n, s) => n + s.connects - 1, 0)})`,
      );
      check(reconciliation.ok, formatReconciliation(reconciliation).split("\n").at(-1)!);
      check(five === 0, `no gift answered with a 5xx other than 503 BUSY (${five})`);
      const sse5xx = watchers.states.reduce(
        (n, s) => n + [...s.refusals].filter(([status]) => status >= 500 && status !== 503).reduce((m, [, c]) => m + c, 0),
        0,
      );
      const sse503 = watchers.states.reduce((n, s) => n + (s.refusals.get(503) ?? 0), 0);
      check(sse5xx === 0, `no SSE reconnection answered with a 5xx other than 503 (${sse5xx}; 503: ${sse503})`);
      storm.scenario = "";
    };

    // a. PostgreSQL restarts mid-storm, with a recharge burst under way.
    const pid = server.child.pid;
    let burst: Promise<Recharge[]> = Promise.resolve([]);
    await scenario("a. PostgreSQL restart", async () => {
      burst = rechargeBurst(
        viewers.slice(0, 10).map((v) => v.profile),
        2,
        suiteLog,
      );
      await new Promise((r) => setTimeout(r, 400));
      await pgServer.stop();
      // A server left running by an earlier run is reused, and stop() leaves it be: the fault would not happen.
      const probe = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 1_000 });
      const stillUp = await probe.connect().then(
        () => true,
        () => false,
      );
      if (stillUp) {
        await probe.end();
        throw new Error("PostgreSQL did not stop: a server from an earlier run holds .data/faults-postgres. Stop it (or delete the folder) and run again.");
      }
      console.log("  PostgreSQL stopped (fast shutdown); starting it again in 3 s");
      await new Promise((r) => setTimeout(r, 3_000));
      pgServer = await startEmbeddedPostgres({ name: "faults-postgres", port: pgPort, log: () => undefined });
      const liftedAt = performance.now();
      console.log("  PostgreSQL started again");
      return { liftedAt };
    });
    recharges.push(...(await burst));
    check(
      recharges.every((r) => r.outcome !== "unknown"),
      `every recharge got a definite answer (${recharges.filter((r) => r.outcome === "succeeded").length} succeeded)`,
    );
    check(server.child.pid === pid && server.child.exitCode === null, "the app server kept running (no restart)");
    await audit("the PostgreSQL restart");

    // b. The app server is killed mid-storm and started again.
    await scenario("b. app server SIGKILL", async () => {
      earlierLogs.push(...server.log);
      await server.kill();
      console.log("  next start killed (SIGKILL); starting it again");
      server = await startNextServer({ databaseUrl: url, simAudience: "off", env: serverEnv, prepare: false, port, build: "if-missing" });
      return { liftedAt: performance.now() };
    });
    await audit("the server kill");

    // c. A hot account locked by someone else: BUSY within a bound, then recovery.
    const lockHoldMs = 8_000;
    const result = await scenario("c. gift revenue row locked", async () => {
      const revenue = await ledger.platformAccount("gift_revenue");
      const locker = new pg.Client({ connectionString: url });
      await locker.connect();
      await locker.query("BEGIN");
      await locker.query("SELECT balance FROM ledger_accounts WHERE id = $1 FOR UPDATE", [String(revenue.id)]);
      console.log(`  gift revenue's row locked from another connection for ${secs(lockHoldMs)}`);
      await new Promise((r) => setTimeout(r, lockHoldMs));
      await locker.query("ROLLBACK");
      await locker.end();
      return { liftedAt: performance.now() };
    });
    const busy = result.during.filter((a) => a.kind === "503 BUSY");
    const slowest = Math.max(0, ...result.during.map((a) => a.ms));
    check(busy.length > 0, `callers told 503 BUSY while the row was locked (${fmt(busy.length)} times)`);
    check(slowest < BUSY_BOUND_MS, `every answer during the lock within ${secs(BUSY_BOUND_MS)} (slowest ${fmt(slowest)} ms)`);
    check(server.child.exitCode === null, "the app server kept running");
    await audit("the lock");

    // d. The database stalls (every PostgreSQL process stopped): connections stay open, nothing answers.
    const stallMs = 12_000;
    const stall = await scenario("d. PostgreSQL stalled (SIGSTOP)", async () => {
      const pids = postgresProcesses("faults-postgres");
      for (const p of pids) process.kill(p, "SIGSTOP");
      console.log(`  ${pids.length} PostgreSQL processes stopped (SIGSTOP) for ${secs(stallMs)}`);
      await new Promise((r) => setTimeout(r, stallMs));
      for (const p of pids) process.kill(p, "SIGCONT");
      return { liftedAt: performance.now() };
    });
    const stalledBusy = stall.during.filter((a) => a.kind === "503 BUSY");
    // Posts queued behind the stalled batches are refused after LEDGER_QUEUE_TIMEOUT_MS (5 s), the
    // batches' own callers after LEDGER_BATCH_TIMEOUT_MS (10 s), waits for a connection after 5 s.
    const stallBound = 11_000;
    const slowStalled = stall.during.filter((a) => a.at + a.ms < stall.liftedAt - 500 && a.ms > stallBound).length;
    const openAtLift = storm.attempts.filter((a) => a.at < stall.liftedAt - stallBound && a.at + a.ms > stall.liftedAt).length;
    check(
      stalledBusy.length > 0,
      `callers told 503 BUSY while PostgreSQL was stalled (${fmt(stalledBusy.length)} times; slowest ${fmt(Math.max(0, ...stalledBusy.map((a) => a.ms)))} ms)`,
    );
    check(
      slowStalled === 0 && openAtLift === 0,
      `no request waited more than ${secs(stallBound)} for an answer while it was stalled (${slowStalled + openAtLift})`,
    );
    check(server.child.exitCode === null, "the app server kept running");
    await audit("the stall");

    watchers.stop();
    const crashes = server.log.filter((line) => /uncaught|unhandled/i.test(line));
    check(crashes.length === 0, `no uncaught errors in the server log (${crashes.length})${crashes.length ? `:\n${crashes.slice(0, 5).join("\n")}` : ""}`);
    if (suiteLog.length) console.log(`\nunexpected errors in the suite:\n${suiteLog.slice(0, 10).join("\n")}`);
    check(suiteLog.length === 0, "no unexpected errors in the suite's own recharges");

    console.log("\n| fault | gifts/s before | during | after | fault lasted | recovered after |\n| --- | --- | --- | --- | --- | --- |");
    for (const line of figures) console.log(line);
    // What the servers said besides the expected one-line reports of a passing fault.
    const expected = /^err\| (gift: .*database unavailable|Live events: .*database unavailable|ledger: |db: |live bus: |payments: |\s*$)/;
    const serverErrors = [...earlierLogs, ...server.log].filter((line) => line.startsWith("err| ") && !expected.test(line));
    if (serverErrors.length)
      console.log(`\nnext start wrote ${fmt(serverErrors.length)} other line(s) to stderr; the first ones:\n${serverErrors.slice(0, 30).join("\n")}`);
    const reports = [...earlierLogs, ...server.log].filter((line) =>
      /^(err|out)\| (ledger: |db: |live bus: |payments: |Earnings folder|Withdrawal settler|Payment delivery)/.test(line),
    );
    console.log(`\nthe servers' reports of the faults (${fmt(reports.length)} lines; the first ones):\n${reports.slice(0, 30).join("\n")}`);
    console.log(
      failures.length
        ? `\nFAIL  ${failures.length} check(s) failed:\n  ${failures.join("\n  ")}`
        : "\nPASS  no gift or recharge lost or doubled through any fault",
    );
    process.exitCode = failures.length ? 1 : 0;
  } catch (error) {
    console.log(`next start log:\n${server.logText()}`);
    throw error;
  } finally {
    await server.stop();
    await pool.end();
    await pgServer.stop();
  }
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
