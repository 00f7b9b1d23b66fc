// npm run bench:storm — a gift storm over HTTP on the real production server.
// `next start` (tests/support/next-server.ts; builds first when there is no
// build or the sources changed since) on a fresh PostgreSQL database (embedded
// when DATABASE_URL is unset), simulated audience off. K viewers, made with the
// app's own createUser and granted coins through the ledger, sign in over HTTP
// (Auth.js credentials) and tap Roses on one creator's LIVE through the route
// the browser uses, POST /api/streams/<id>/gifts, while M Server-Sent-Event
// clients watch the stream:
//   closed loop  each viewer keeps one tap in flight, for S seconds;
//   open loop    taps on a fixed timetable at G gifts/s whatever the replies,
//                latency counted from each tap's scheduled time.
// Then the same K loops on a trivial dynamic route (GET /api/ping) as the
// baseline, and an exactly-once audit against the ledger: every acknowledged
// tap (idempotency key gift:<viewerId>:<clientKey>) is one transfer, no refused
// tap is one, balances are grants minus what was sent, and reconciliation
// finds zero drift. Exits 1 on any loss, duplicate or drift.
// Each phase also prints the CPU each part of the machine spent per gift
// (server, PostgreSQL, the SSE clients' process, this process), from /proc,
// and how long the system then took to settle: every watcher with every gift
// so far and every gift folded into the earnings. The next phase starts only
// then, so it is measured on its own load, not on the backlog of the one
// before (a streak leaves seconds of fan-out and folding behind it).
//   --viewers=200 --seconds=10 --rate=300 --watchers=500 --mode=both (closed|open|both)   --build: rebuild first
//   --streak=4 (0 skips the streak phase)   --warmup=3 (0 skips the warm-up)
// Profiling the server: NEXT_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" and
// BENCH_MARKS=1, which prints each closed phase's start and end on the profile's
// clock (µs, monotonic) to stderr, so the profile can be cut to one phase.
import { randomBytes } from "node:crypto";
import http from "node:http";
import { createUser, type UserProfile } from "../../lib/auth/users";
import { findGift } from "../../lib/economy";
import { convertCoinsToDiamonds } from "../../lib/economy/conversion";
import { getLedger } from "../../lib/ledger";
import { formatReconciliation, reconcile } from "../../lib/ledger/reconcile";
import { goLive } from "../../lib/live/streams";
import type { LedgerCounters } from "../../lib/ledger/ledger";
import { signIn, startNextServer } from "../support/next-server";
import { request as httpRequest } from "../support/http-client";
import { arg, benchDatabase, cpuPerOperation, cpuSnapshot, percentile, type CpuSnapshot } from "./support";
import { startWatchers } from "./watchers";

const viewerCount = arg("viewers", 200);
const seconds = arg("seconds", 10);
/** Seconds of gifts and of pings before the measured phases, so neither is timed on a cold server (JIT, pools, caches). */
const warmupSeconds = arg("warmup", 3, 0);
/** Taps per request in the streak phase (what the browser sends when taps come faster than replies); 0 skips it. */
const streakTaps = arg("streak", 4, 0);
const rate = arg("rate", 300);
const watcherCount = arg("watchers", 500);
const modeFlag = process.argv.find((a) => a.startsWith("--mode="))?.split("=")[1] ?? "both";
if (!["closed", "open", "both"].includes(modeFlag)) throw new Error(`--mode must be closed, open or both (not ${modeFlag})`);
const runClosed = modeFlag !== "open";
const runOpen = modeFlag !== "closed";

const PASSWORD = "storm-bench-2026";
const GRANT = 100_000n;
const ROSE = findGift("rose")!;
const ROSE_DIAMONDS = convertCoinsToDiamonds(ROSE.coins).diamondsMinor;
/** Open loop: taps beyond this many unanswered are not sent (counted as errors), so a stalled server cannot exhaust the bench. */
const OPEN_MAX_IN_FLIGHT = 2_000;
const REQUEST_TIMEOUT_MS = 30_000;
/** Watchers whose receipt times are kept for the latency figures (every watcher is checked for exactly-once). */
const TIMED_WATCHERS = 50;
const DRAIN_TIMEOUT_MS = 60_000;

/** One request on a keep-alive agent (tests/support/http-client.ts) with the bench's timeout. */
const request = (agent: http.Agent, url: URL, method: "GET" | "POST", headers: http.OutgoingHttpHeaders, body?: string) =>
  httpRequest(agent, url, method, headers, body, REQUEST_TIMEOUT_MS);

const fmt = (n: number) => Math.round(n).toLocaleString("en-US");
const ms = (n: number) => (Number.isFinite(n) ? `${n.toFixed(1)} ms` : "n/a");

async function inParallel<T>(items: T[], width: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        await work(items[index]!, index);
      }
    }),
  );
}

interface Viewer {
  profile: UserProfile;
  cookie: string;
}

type Outcome = "acked" | "refused" | "unknown" | "not-sent";

interface Tap {
  viewer: number;
  clientKey: string;
  phase: "warmup" | "closed" | "streak" | "open";
  outcome: Outcome;
  /** "200", "429 RATE_LIMITED", "network ECONNRESET"… */
  kind: string;
  transferId: string | null;
  replayed: boolean;
  latencyMs: number;
}

const newClientKey = () => randomBytes(12).toString("base64url");

async function sendTap(agent: http.Agent, target: URL, origin: string, viewer: Viewer, tap: Tap): Promise<void> {
  try {
    const reply = await request(
      agent,
      target,
      "POST",
      { "Content-Type": "application/json", Cookie: viewer.cookie, Origin: origin },
      JSON.stringify({ giftId: ROSE.id, clientKey: tap.clientKey }),
    );
    let parsed: { ok?: boolean; code?: string; transferId?: string; replayed?: boolean } = {};
    try {
      parsed = JSON.parse(reply.body);
    } catch {
      parsed = {}; // not JSON: an error page, counted by its status below
    }
    if (reply.status === 200 && parsed.ok === true && parsed.transferId) {
      tap.outcome = "acked";
      tap.kind = "200";
      tap.transferId = parsed.transferId;
      tap.replayed = parsed.replayed === true;
    } else {
      // A definite answer that the gift was not sent (4xx, 503 BUSY); a 500 may have committed.
      tap.outcome = (reply.status >= 400 && reply.status < 500) || reply.status === 503 ? "refused" : "unknown";
      tap.kind = `${reply.status} ${parsed.code ?? "(no code)"}`;
    }
  } catch (error) {
    tap.outcome = "unknown";
    tap.kind = `network ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`;
  }
}

/** Several taps of a streak in one request (`{ taps }`), each tap with its own key and its own result. */
async function sendStreak(agent: http.Agent, target: URL, origin: string, viewer: Viewer, taps: Tap[]): Promise<void> {
  try {
    const reply = await request(
      agent,
      target,
      "POST",
      { "Content-Type": "application/json", Cookie: viewer.cookie, Origin: origin },
      JSON.stringify({ taps: taps.map((tap) => ({ giftId: ROSE.id, clientKey: tap.clientKey })) }),
    );
    let parsed: { ok?: boolean; code?: string; results?: Array<{ clientKey: string; ok: boolean; code?: string; transferId?: string; replayed?: boolean }> } =
      {};
    try {
      parsed = JSON.parse(reply.body);
    } catch {
      parsed = {};
    }
    taps.forEach((tap, i) => {
      const result = parsed.results?.[i];
      if (reply.status === 200 && result?.clientKey === tap.clientKey && result.ok && result.transferId) {
        tap.outcome = "acked";
        tap.kind = "200";
        tap.transferId = result.transferId;
        tap.replayed = result.replayed === true;
      } else if (reply.status === 200 && result?.clientKey === tap.clientKey) {
        tap.outcome = result.code === "BUSY" ? "unknown" : "refused";
        tap.kind = `200 (tap ${result.code ?? "no code"})`;
      } else {
        tap.outcome = (reply.status >= 400 && reply.status < 500) || reply.status === 503 ? "refused" : "unknown";
        tap.kind = `${reply.status} ${parsed.code ?? "(no code)"}`;
      }
    });
  } catch (error) {
    for (const tap of taps) {
      tap.outcome = "unknown";
      tap.kind = `network ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`;
    }
  }
}

interface PhaseResult {
  label: string;
  taps: Tap[];
  elapsedS: number;
  /** live_events ids of this phase: (firstEventId, lastEventId]. */
  firstEventId: number;
  lastEventId: number;
  /** CPU used by each part of the machine during the phase. */
  cpu: { before: CpuSnapshot; after: CpuSnapshot };
  /** What settle() found after the phase. */
  settled?: Settled;
}

interface Settled {
  seconds: number;
  /** False when the watchers or the folder had not caught up within DRAIN_TIMEOUT_MS. */
  done: boolean;
}

function summarize(result: PhaseResult) {
  const acked = result.taps.filter((t) => t.outcome === "acked");
  const latencies = acked.map((t) => t.latencyMs).sort((a, b) => a - b);
  // Per kind of error: how many, and the median time until the answer (or the socket error).
  const errorTimes = new Map<string, number[]>();
  for (const tap of result.taps) if (tap.outcome !== "acked") errorTimes.set(tap.kind, [...(errorTimes.get(tap.kind) ?? []), tap.latencyMs]);
  const errors = new Map(
    [...errorTimes].map(([kind, times]) => [
      kind,
      {
        count: times.length,
        median: percentile(
          times.sort((a, b) => a - b),
          50,
        ),
      },
    ]),
  );
  return {
    acked: acked.length,
    perSecond: acked.length / result.elapsedS,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    max: latencies.at(-1) ?? NaN,
    errors,
  };
}

async function main() {
  const db = await benchDatabase("coin_economy_bench_storm");
  process.env.DATABASE_URL = db.url;
  const ledger = getLedger();
  const pool = ledger.pool;

  const server = await startNextServer({ databaseUrl: db.url, simAudience: "off", build: process.argv.includes("--build") ? "always" : "if-stale" });
  const origin = server.url;
  let failedEarly = true;
  try {
    // The creator, live; the viewers, made as sign-up makes them, with coins granted through the ledger.
    const setupStart = performance.now();
    const created = await createUser({
      email: "storm-creator@example.test",
      displayName: "Storm Creator",
      password: PASSWORD,
      birthDate: "1990-01-01",
      role: "CREATOR",
    });
    if (!created.ok) throw new Error(created.message);
    const stream = await goLive(created.user, { title: "Gift storm", goalCoins: null });
    const issuance = await ledger.platformAccount("coin_issuance");
    const profiles: UserProfile[] = new Array(viewerCount);
    await inParallel(
      Array.from({ length: viewerCount }, (_, i) => i),
      4,
      async (i) => {
        const result = await createUser({
          email: `storm-viewer-${i}@example.test`,
          displayName: `Storm viewer ${i}`,
          password: PASSWORD,
          birthDate: "1990-01-01",
        });
        if (!result.ok) throw new Error(result.message);
        const wallet = await ledger.userAccount(result.user.id, "VIEWER_COINS");
        await ledger.post({
          idempotencyKey: `storm-grant:${result.user.id}`,
          kind: "ADJUSTMENT",
          metadata: { reason: "bench:storm grant" },
          postings: [
            { accountId: issuance.id, amount: -GRANT },
            { accountId: wallet.id, amount: GRANT },
          ],
        });
        profiles[i] = result.user;
      },
    );
    const viewers: Viewer[] = new Array(viewerCount);
    await inParallel(profiles, 4, async (profile, i) => {
      viewers[i] = { profile, cookie: (await signIn(server.url, profile.email, PASSWORD)).cookie };
    });
    console.log(
      `bench:storm — next start on ${server.url}, ${fmt(viewerCount)} viewers signed in over HTTP (${((performance.now() - setupStart) / 1000).toFixed(1)} s), stream ${stream.id}`,
    );

    const watchers = startWatchers({
      url: `${server.url}/api/streams/${stream.id}/events`,
      count: watcherCount,
      clock: "wall",
      receiptClients: TIMED_WATCHERS,
    });
    const connectStart = performance.now();
    await watchers.ready;
    console.log(`watchers: ${fmt(watcherCount)} SSE clients subscribed in ${((performance.now() - connectStart) / 1000).toFixed(1)} s`);

    const cpu = () => cpuSnapshot(server.child.pid, watchers.pid);
    const giftUrl = new URL(`${server.url}/api/streams/${stream.id}/gifts`);
    const lastEventId = async () =>
      Number((await pool.query("SELECT COALESCE(max(id), 0)::text AS id FROM live_events WHERE stream_id = $1", [stream.id])).rows[0].id);
    const phases: PhaseResult[] = [];

    // Waits until every watcher has every gift event so far and the earnings
    // folder has folded every gift (the system back at rest), at most DRAIN_TIMEOUT_MS.
    const settle = async (gifts: number): Promise<Settled> => {
      const start = performance.now();
      for (;;) {
        const [caughtUp, folding] = await Promise.all([
          watchers.complete(gifts),
          pool.query("SELECT EXISTS (SELECT 1 FROM earnings_pending) AS pending").then((r) => r.rows[0].pending as boolean),
        ]);
        const seconds = (performance.now() - start) / 1000;
        if (caughtUp === watcherCount && !folding) return { seconds, done: true };
        if (seconds * 1000 >= DRAIN_TIMEOUT_MS) return { seconds, done: false };
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    const giftEvents = async () =>
      Number((await pool.query("SELECT count(*)::text AS n FROM live_events WHERE stream_id = $1 AND kind = 'gift'", [stream.id])).rows[0].n);

    // Each viewer keeps one request in flight for `duration` seconds: one tap,
    // or a streak's `tapsPerRequest` taps in one request, at most one request
    // per `minGapMs` (a person's pace).
    let streakRequests = 0;
    const closedLoop = async (phase: "warmup" | "closed" | "streak", duration: number, label: string, tapsPerRequest = 1, minGapMs = 0) => {
      const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
      const firstEventId = await lastEventId();
      const taps: Tap[] = [];
      const cpuBefore = cpu();
      if (process.env.BENCH_MARKS) console.error(`MARK ${phase} start ${process.hrtime.bigint() / 1000n}`);
      const start = performance.now();
      const deadline = start + duration * 1000;
      await Promise.all(
        viewers.map(async (viewer, v) => {
          while (performance.now() < deadline) {
            const group: Tap[] = Array.from({ length: tapsPerRequest }, () => ({
              viewer: v,
              clientKey: newClientKey(),
              phase,
              outcome: "unknown" as Outcome,
              kind: "",
              transferId: null,
              replayed: false,
              latencyMs: NaN,
            }));
            taps.push(...group);
            const sent = performance.now();
            if (tapsPerRequest === 1) {
              await sendTap(agent, giftUrl, origin, viewer, group[0]!);
            } else {
              streakRequests++;
              await sendStreak(agent, giftUrl, origin, viewer, group);
            }
            for (const tap of group) tap.latencyMs = performance.now() - sent;
            const pause = minGapMs - (performance.now() - sent);
            if (pause > 0) await new Promise((r) => setTimeout(r, pause));
          }
        }),
      );
      const elapsedS = (performance.now() - start) / 1000;
      if (process.env.BENCH_MARKS) console.error(`MARK ${phase} end ${process.hrtime.bigint() / 1000n}`);
      const cpuAfter = cpu();
      agent.destroy();
      phases.push({ label, taps, elapsedS, firstEventId, lastEventId: await lastEventId(), cpu: { before: cpuBefore, after: cpuAfter } });
      phases.at(-1)!.settled = await settle(await giftEvents());
    };
    const pingUrl = new URL(`${server.url}/api/ping`);
    // The baseline: the same K loops on a route that does nothing.
    const pingLoop = async (duration: number) => {
      const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
      const latencies: number[] = [];
      const errors = new Map<string, number>();
      const cpuBefore = cpu();
      const start = performance.now();
      const deadline = start + duration * 1000;
      await Promise.all(
        viewers.map(async (viewer) => {
          while (performance.now() < deadline) {
            const sent = performance.now();
            try {
              const reply = await request(agent, pingUrl, "GET", { Cookie: viewer.cookie });
              if (reply.status === 200) latencies.push(performance.now() - sent);
              else errors.set(String(reply.status), (errors.get(String(reply.status)) ?? 0) + 1);
            } catch (error) {
              const kind = `network ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`;
              errors.set(kind, (errors.get(kind) ?? 0) + 1);
            }
          }
        }),
      );
      const elapsed = (performance.now() - start) / 1000;
      const cpuAfter = cpu();
      agent.destroy();
      latencies.sort((a, b) => a - b);
      return { latencies, errors, perSecond: latencies.length / elapsed, cpu: { before: cpuBefore, after: cpuAfter } };
    };

    if (warmupSeconds > 0) {
      // Warm both paths the same way; the warm-up's taps are audited like the others.
      await closedLoop("warmup", warmupSeconds, `warm-up (closed loop, ${warmupSeconds} s, not timed against the targets)`);
      await pingLoop(warmupSeconds);
    }

    if (runClosed) await closedLoop("closed", seconds, `closed loop (${fmt(viewerCount)} viewers × 1 tap in flight, ${seconds} s)`);

    if (runClosed && streakTaps > 0) {
      // As the stream page sends a streak whose taps come faster than the replies;
      // at most one request per viewer every 250 ms (the rate limit is 20 taps a second).
      await closedLoop("streak", seconds, `streak (${fmt(viewerCount)} viewers × ${streakTaps} taps a request, ${seconds} s)`, streakTaps, 250);
    }

    if (runOpen) {
      const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
      const firstEventId = await lastEventId();
      const total = Math.round(rate * seconds);
      const interval = 1000 / rate;
      const taps: Tap[] = [];
      const pending: Promise<void>[] = [];
      let inFlight = 0;
      const cpuBefore = cpu();
      const start = performance.now();
      let lastReply = start;
      for (let i = 0; i < total;) {
        const now = performance.now();
        for (; i < total && start + i * interval <= now; i++) {
          const scheduled = start + i * interval;
          const v = i % viewerCount;
          const tap: Tap = {
            viewer: v,
            clientKey: newClientKey(),
            phase: "open",
            outcome: "not-sent",
            kind: "not sent (too many in flight)",
            transferId: null,
            replayed: false,
            latencyMs: NaN,
          };
          taps.push(tap);
          if (inFlight >= OPEN_MAX_IN_FLIGHT) continue;
          inFlight++;
          pending.push(
            sendTap(agent, giftUrl, origin, viewers[v]!, tap).then(() => {
              inFlight--;
              lastReply = performance.now();
              tap.latencyMs = lastReply - scheduled;
            }),
          );
        }
        await new Promise((r) => setTimeout(r, 1));
      }
      await Promise.all(pending);
      const cpuAfter = cpu();
      agent.destroy();
      const elapsedS = (lastReply - start) / 1000;
      phases.push({
        label: `open loop (${fmt(rate)} gifts/s offered, ${seconds} s, latency from the scheduled time)`,
        taps,
        elapsedS,
        firstEventId,
        lastEventId: await lastEventId(),
        cpu: { before: cpuBefore, after: cpuAfter },
      });
    }

    // Every watcher should now receive every gift event; then the receipts.
    const { rows: events } = await pool.query(
      "SELECT id::text AS id, transfer_id::text AS transfer_id, extract(epoch FROM created_at) * 1000 AS at FROM live_events WHERE stream_id = $1 AND kind = 'gift' ORDER BY id",
      [stream.id],
    );
    const expectedIdSum = events.reduce((sum, e) => sum + Number(e.id), 0);
    const drained = await settle(events.length);
    if (runOpen) phases.at(-1)!.settled = drained;
    await new Promise((r) => setTimeout(r, 200)); // anything arriving late would be a duplicate

    // The baseline (watchers still connected, no events).
    const baseline = await pingLoop(seconds);
    const baselineLatencies = baseline.latencies;
    const baselineErrors = baseline.errors;
    const baselinePerSecond = baseline.perSecond;

    const { clients: states, receipts: receiptList } = await watchers.report();
    const eventAt = new Map(events.map((e) => [e.id as string, Number(e.at)]));

    // ---- figures
    console.log("");
    let closedPerSecond = NaN;
    let openP99 = NaN;
    for (const phase of phases) {
      const s = summarize(phase);
      if (phase.taps[0]?.phase === "closed") closedPerSecond = s.perSecond;
      if (phase.taps[0]?.phase === "open") openP99 = s.p99;
      const watcherLatencies: number[] = [];
      for (const [id, times] of receiptList) {
        const n = Number(id);
        if (n <= phase.firstEventId || n > phase.lastEventId) continue;
        const at = eventAt.get(id);
        if (at !== undefined) for (const t of times) watcherLatencies.push(t - at);
      }
      watcherLatencies.sort((a, b) => a - b);
      console.log(phase.label);
      if (phase.taps[0]?.phase === "streak")
        console.log(`  requests: ${fmt(streakRequests)} (${fmt(streakRequests / phase.elapsedS)}/s), each with ${streakTaps} taps`);
      console.log(`  acknowledged: ${fmt(s.acked)} of ${fmt(phase.taps.length)} taps in ${phase.elapsedS.toFixed(1)} s → ${fmt(s.perSecond)} gifts/s`);
      console.log(`  send latency:            p50 ${ms(s.p50)}   p95 ${ms(s.p95)}   p99 ${ms(s.p99)}   max ${ms(s.max)}`);
      console.log(
        `  commit → watcher (${Math.min(TIMED_WATCHERS, watcherCount)} timed): p50 ${ms(percentile(watcherLatencies, 50))}   p95 ${ms(percentile(watcherLatencies, 95))}   p99 ${ms(percentile(watcherLatencies, 99))}`,
      );
      console.log(`  CPU per gift: ${cpuPerOperation(phase.cpu.before, phase.cpu.after, s.acked)}`);
      if (phase.settled)
        console.log(
          phase.settled.done
            ? `  then settled in ${phase.settled.seconds.toFixed(1)} s (every watcher had every gift, every gift folded)`
            : `  then NOT settled after ${phase.settled.seconds.toFixed(1)} s: watchers or the earnings folder still behind`,
        );
      console.log(
        `  errors: ${s.errors.size ? [...s.errors].map(([kind, e]) => `${kind} × ${fmt(e.count)}${Number.isFinite(e.median) ? ` (median after ${ms(e.median)})` : ""}`).join(", ") : "none"}`,
      );
    }
    console.log(`baseline: GET /api/ping, the same ${fmt(viewerCount)} loops, ${seconds} s`);
    console.log(
      `  ${fmt(baselinePerSecond)} req/s   p50 ${ms(percentile(baselineLatencies, 50))}   p95 ${ms(percentile(baselineLatencies, 95))}   p99 ${ms(percentile(baselineLatencies, 99))}   errors: ${baselineErrors.size ? [...baselineErrors].map(([kind, n]) => `${kind} × ${fmt(n)}`).join(", ") : "none"}`,
    );
    console.log(`  CPU per request: ${cpuPerOperation(baseline.cpu.before, baseline.cpu.after, baselineLatencies.length)}`);
    if (runClosed) console.log(`  ratio gifts/s ÷ baseline req/s: ${(closedPerSecond / baselinePerSecond).toFixed(2)}`);

    // How the server's ledger wrote the batches (the operator's counters route).
    const operator = await signIn(server.url, "operator@demo.coin", "operator-demo-2026");
    const statsReply = await fetch(`${server.url}/api/operator/ledger-stats`, { headers: { Cookie: operator.cookie } });
    if (!statsReply.ok) throw new Error(`ledger counters: HTTP ${statsReply.status} ${await statsReply.text()}`);
    const { stats } = (await statsReply.json()) as { stats: LedgerCounters };
    console.log(
      `ledger: ${fmt(stats.fastTransfers)} transfers in ${fmt(stats.fastBatches)} fast batches (${(stats.fastTransfers / Math.max(1, stats.fastBatches)).toFixed(1)} a batch), ` +
        `${fmt(stats.carefulTransfers)} in ${fmt(stats.carefulBatches)} careful; fallbacks ${JSON.stringify(stats.fallbacks)}, retries ${stats.retries}, failures ${stats.failures}`,
    );

    // ---- exactly once, against the ledger
    const taps = phases.flatMap((p) => p.taps);
    const { rows: transfers } = await pool.query("SELECT idempotency_key, id::text AS id FROM ledger_transfers WHERE idempotency_key LIKE 'gift:%'");
    const byKey = new Map<string, string[]>();
    for (const t of transfers) byKey.set(t.idempotency_key, [...(byKey.get(t.idempotency_key) ?? []), t.id]);
    let lost = 0;
    let duplicated = 0;
    let wrongTransfer = 0;
    let replayed = 0;
    let refusedButCharged = 0;
    let unknownCommitted = 0;
    let unknown = 0;
    const tapKeys = new Set<string>();
    const committedPerViewer = new Array<number>(viewerCount).fill(0);
    for (const tap of taps) {
      const key = `gift:${viewers[tap.viewer]!.profile.id}:${tap.clientKey}`;
      tapKeys.add(key);
      const found = byKey.get(key) ?? [];
      if (found.length > 1) duplicated++;
      if (found.length) committedPerViewer[tap.viewer]!++;
      if (tap.outcome === "acked") {
        if (!found.length) lost++;
        else if (found[0] !== tap.transferId) wrongTransfer++;
        if (tap.replayed) replayed++;
      } else if (tap.outcome === "refused" || tap.outcome === "not-sent") {
        if (found.length) refusedButCharged++;
      } else {
        unknown++;
        if (found.length) unknownCommitted++;
      }
    }
    const strays = transfers.filter((t) => !tapKeys.has(t.idempotency_key)).length;
    let balanceMismatches = 0;
    for (const [v, viewer] of viewers.entries()) {
      const wallet = await ledger.userAccount(viewer.profile.id, "VIEWER_COINS");
      if ((await ledger.getBalance(wallet.id)) !== GRANT - BigInt(committedPerViewer[v]!) * ROSE.coins) balanceMismatches++;
    }
    const committedGifts = committedPerViewer.reduce((a, b) => a + b, 0);
    const creatorDiamonds = await ledger.getBalance((await ledger.userAccount(created.user.id, "CREATOR_DIAMONDS")).id);
    const creatorOk = creatorDiamonds === BigInt(committedGifts) * ROSE_DIAMONDS;
    const eventsOk = events.length === committedGifts && events.every((e) => e.transfer_id !== null);
    const exactWatchers = states.filter((s) => s.gifts === events.length && s.inOrder && s.idSum === expectedIdSum).length;
    const reconciliation = await reconcile(pool);

    console.log("");
    console.log("exactly once, against the ledger:");
    console.log(
      `  taps: ${fmt(taps.length)} (${fmt(taps.filter((t) => t.outcome === "acked").length)} acknowledged, ${fmt(taps.filter((t) => t.outcome === "refused").length)} refused, ${fmt(taps.filter((t) => t.outcome === "not-sent").length)} not sent, ${fmt(unknown)} without an answer, of which ${fmt(unknownCommitted)} committed)`,
    );
    console.log(
      `  gift transfers in the ledger: ${fmt(transfers.length)}; acknowledged but missing: ${lost}; duplicated: ${duplicated}; acknowledged with another transfer id: ${wrongTransfer}; replayed: ${replayed}; refused but charged: ${refusedButCharged}; transfers no tap made: ${strays}`,
    );
    console.log(
      `  viewer balances equal to grant − gifts sent: ${fmt(viewerCount - balanceMismatches)} of ${fmt(viewerCount)}; creator diamonds equal to gifts × ${ROSE_DIAMONDS}: ${creatorOk ? "yes" : "NO"}`,
    );
    console.log(
      `  live events: ${fmt(events.length)} for ${fmt(committedGifts)} gifts; watchers with every gift exactly once, in order: ${fmt(exactWatchers)} of ${fmt(states.length)}`,
    );
    console.log(`  ${formatReconciliation(reconciliation).split("\n").at(-1)}`);

    const exact =
      lost + duplicated + wrongTransfer + replayed + refusedButCharged + strays + balanceMismatches === 0 && creatorOk && eventsOk && reconciliation.ok;
    console.log("");
    if (runClosed)
      console.log(
        `${closedPerSecond >= 0.8 * baselinePerSecond ? "PASS" : "FAIL"}  closed loop gifts/s ≥ 0.8 × baseline req/s (${fmt(closedPerSecond)} vs ${fmt(0.8 * baselinePerSecond)})`,
      );
    if (runOpen) console.log(`${openP99 < 100 ? "PASS" : "FAIL"}  open loop at ${fmt(rate)} gifts/s: send p99 < 100 ms (${ms(openP99)})`);
    console.log(`${exact ? "PASS" : "FAIL"}  zero lost or duplicated gifts, balances and reconciliation exact`);
    if (exactWatchers !== states.length)
      console.log(`FAIL  every watcher got every gift exactly once, in order (${fmt(exactWatchers)} of ${fmt(states.length)})`);
    const serverErrors = server.log.filter((line) => line.startsWith("err| ") && line.length > 5);
    if (serverErrors.length)
      console.log(`\nnext start wrote ${fmt(serverErrors.length)} line(s) to stderr; the last ones:\n${serverErrors.slice(-20).join("\n")}`);
    failedEarly = false;
    process.exitCode = exact && exactWatchers === states.length ? 0 : 1;
  } finally {
    if (failedEarly) console.log(`next start log:\n${server.logText()}`);
    await server.stop();
    await pool.end();
    await db.stop();
  }
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
