// npm run bench:match — a LIVE Match under a gift storm on the real production
// server. `next start` (tests/support/next-server.ts; builds first when there is
// no build or the sources changed since) on a fresh PostgreSQL database
// (embedded when DATABASE_URL is unset), simulated audience off. Two creators
// live and in a match; M Server-Sent-Event watchers on each stream; K viewers,
// signed in over HTTP, each keep one tap in flight through the route the
// browser uses (POST /api/streams/<id>/gifts), alternating between the sides.
// Prints:
//   - gifts/s acknowledged;
//   - commit → score-bar latency on both sides: for every score version the
//     database announced (its `at` is the database clock when the gift batch
//     scored, just before COMMIT), how long until each timed watcher of that
//     side had that version or a newer one (the bar shows the newest);
//   - the baseline, measured in the same run: commit → gift event latency on
//     the same watchers (the gift's own live event), and the ratio;
//   - exactness: after the match ends, each side's stored score equals the
//     coins of the acknowledged taps to that side and the ledger's gifts in the
//     match window (lib/live/match-reconcile.ts); every watcher's last score is
//     the final one; the ledger reconciles. Exits 1 on any mismatch.
//   --viewers=100 --watchers=500 (per side) --rate=300 (gifts/s offered, both sides; 0: as fast as
//   each viewer's one tap in flight allows) --seconds=10 --warmup=2   --build: rebuild first
import { randomBytes } from "node:crypto";
import http from "node:http";
import pg from "pg";
import { createUser, type UserProfile } from "../../lib/auth/users";
import { findGift } from "../../lib/economy";
import { getLedger } from "../../lib/ledger";
import { formatReconciliation, reconcile } from "../../lib/ledger/reconcile";
import { answerMatch, getMatch, inviteToMatch } from "../../lib/live/match";
import { checkMatchScores } from "../../lib/live/match-reconcile";
import { goLive } from "../../lib/live/streams";
import { request } from "../support/http-client";
import { signIn, startNextServer } from "../support/next-server";
import { arg, benchDatabase, percentile } from "./support";
import { startWatchers, type Watchers } from "./watchers";

const viewerCount = arg("viewers", 100);
const watchersPerSide = arg("watchers", 500);
const seconds = arg("seconds", 10);
const warmupSeconds = arg("warmup", 2, 0);
const rate = arg("rate", 300, 0);
/** Watchers per side whose receipt times are kept (every watcher is checked). */
const TIMED_WATCHERS = 50;
const PASSWORD = "match-bench-2026";
const GRANT = 1_000_000n;
const ROSE = findGift("rose")!;
/** Each viewer taps at most once every this many ms: the offered rate spread over the viewers, never faster than a person (the gift rate limit is 20/s). */
const MIN_GAP_MS = Math.max(60, rate > 0 ? (viewerCount * 1000) / rate : 0);

const fmt = (n: number) => Math.round(n).toLocaleString("en-US");
const ms = (n: number) => (Number.isFinite(n) ? `${n.toFixed(1)} ms` : "n/a");

interface Viewer {
  profile: UserProfile;
  cookie: string;
}

interface Side {
  name: "A" | "B";
  streamId: string;
  watchers: Watchers;
  /** Coins of the taps acknowledged for this side while the match ran. */
  acked: bigint;
}

async function main() {
  const db = await benchDatabase("coin_economy_bench_match");
  process.env.DATABASE_URL = db.url;
  // The match lasts longer than the bench; it is ended on purpose once the taps stop.
  const server = await startNextServer({
    databaseUrl: db.url,
    simAudience: "off",
    build: process.argv.includes("--build") ? "always" : "if-stale",
    env: { LIVE_MATCH_SECONDS: "3600" },
  });
  const ledger = getLedger();
  const pool = ledger.pool;
  const failures: string[] = [];
  const check = (ok: boolean, line: string) => {
    console.log(`  ${ok ? "ok  " : "FAIL"} ${line}`);
    if (!ok) failures.push(line);
  };
  const listener = new pg.Client({ connectionString: db.url });
  try {
    const made = await Promise.all(
      ["a", "b"].map(async (side) => {
        const created = await createUser({
          email: `match-creator-${side}@example.test`,
          displayName: `Creator ${side.toUpperCase()}`,
          password: PASSWORD,
          birthDate: "1990-01-01",
          role: "CREATOR",
        });
        if (!created.ok) throw new Error(created.message);
        return { creator: created.user, stream: await goLive(created.user, { title: `Match side ${side.toUpperCase()}`, goalCoins: null }) };
      }),
    );
    const [a, b] = made as [(typeof made)[number], (typeof made)[number]];
    const issuance = await ledger.platformAccount("coin_issuance");
    const viewers: Viewer[] = [];
    for (let i = 0; i < viewerCount; i += 8) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(8, viewerCount - i) }, async (_, j) => {
          const created = await createUser({
            email: `match-viewer-${i + j}@example.test`,
            displayName: `Match viewer ${i + j}`,
            password: PASSWORD,
            birthDate: "1990-01-01",
          });
          if (!created.ok) throw new Error(created.message);
          const wallet = await ledger.userAccount(created.user.id, "VIEWER_COINS");
          await ledger.post({
            idempotencyKey: `match-grant:${created.user.id}`,
            kind: "ADJUSTMENT",
            postings: [
              { accountId: issuance.id, amount: -GRANT },
              { accountId: wallet.id, amount: GRANT },
            ],
          });
          return { profile: created.user, cookie: (await signIn(server.url, created.user.email, PASSWORD)).cookie };
        }),
      );
      viewers.push(...batch);
    }

    // Every score version the database announces, with its database time.
    const announced = new Map<number, { at: number; a: bigint; b: bigint }>();
    await listener.connect();
    listener.on("notification", (message) => {
      const score = JSON.parse(message.payload!) as { v: string; a: string; b: string; at: string };
      announced.set(Number(score.v), { at: Date.parse(score.at), a: BigInt(score.a), b: BigInt(score.b) });
    });
    await listener.query("LISTEN live_match");

    const invitation = await inviteToMatch(a.creator, { opponentId: b.creator.id });
    await answerMatch(b.creator, invitation.id, true);
    const sides: Side[] = [
      {
        name: "A",
        streamId: a.stream.id,
        watchers: startWatchers({
          url: `${server.url}/api/streams/${a.stream.id}/events`,
          count: watchersPerSide,
          clock: "wall",
          receiptClients: TIMED_WATCHERS,
        }),
        acked: 0n,
      },
      {
        name: "B",
        streamId: b.stream.id,
        watchers: startWatchers({
          url: `${server.url}/api/streams/${b.stream.id}/events`,
          count: watchersPerSide,
          clock: "wall",
          receiptClients: TIMED_WATCHERS,
        }),
        acked: 0n,
      },
    ];
    await Promise.all(sides.map((s) => s.watchers.ready));
    console.log(
      `bench:match — next start on ${server.url}; match ${invitation.id}; ${fmt(viewerCount)} viewers tapping Roses on both sides${rate ? ` at ${fmt(rate)} gifts/s offered` : " as fast as answered"}; ${fmt(watchersPerSide)} watchers per side`,
    );

    const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
    let refused = 0;
    const storm = async (durationS: number, count: boolean) => {
      const end = performance.now() + durationS * 1000;
      let acked = 0;
      await Promise.all(
        viewers.map(async (viewer, i) => {
          let turn = i;
          // Spread the viewers' first taps over one gap, so the offered rate is even.
          await new Promise((r) => setTimeout(r, (i * MIN_GAP_MS) / viewers.length));
          while (performance.now() < end) {
            const started = performance.now();
            const side = sides[turn++ % 2]!;
            const reply = await request(
              agent,
              new URL(`${server.url}/api/streams/${side.streamId}/gifts`),
              "POST",
              { "Content-Type": "application/json", Cookie: viewer.cookie, Origin: server.url },
              JSON.stringify({ giftId: ROSE.id, clientKey: randomBytes(12).toString("base64url") }),
              30_000,
            );
            if (reply.status === 200) {
              side.acked += ROSE.coins;
              acked++;
            } else if (count) refused++;
            const wait = MIN_GAP_MS - (performance.now() - started);
            if (wait > 0) await new Promise((r) => setTimeout(r, wait));
          }
        }),
      );
      return acked;
    };
    if (warmupSeconds) await storm(warmupSeconds, false);
    const firstVersion = Math.max(0, ...announced.keys()) + 1;
    const started = performance.now();
    const acked = await storm(seconds, true);
    const elapsed = (performance.now() - started) / 1000;

    // The match ends now (its end instant moved to the database's now); the server's timer ends it.
    await pool.query("UPDATE live_matches SET ends_at = clock_timestamp() WHERE id = $1", [invitation.id]);
    const deadline = Date.now() + 30_000;
    while ((await getMatch(invitation.id))!.status !== "ENDED" && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const ended = (await getMatch(invitation.id))!;
    await new Promise((r) => setTimeout(r, 1_000)); // the end reaches every watcher
    const reports = await Promise.all(sides.map((s) => s.watchers.report()));

    console.log(`\ngifts: ${fmt(acked)} acknowledged in ${elapsed.toFixed(1)} s = ${fmt(acked / elapsed)} gifts/s (refused ${fmt(refused)})`);
    const lastVersion = Math.max(...announced.keys());
    console.log(`score versions announced while measured: ${fmt(lastVersion - firstVersion + 1)} (one per scoring batch)`);
    for (const [i, side] of sides.entries()) {
      const report = reports[i]!;
      // Score latency: per version v (measured phase), per timed watcher, first receipt of a version >= v, minus at(v).
      const scoreLatencies: number[] = [];
      for (const receipts of report.scoreReceipts) {
        let k = 0;
        for (let v = firstVersion; v <= lastVersion; v++) {
          const at = announced.get(v)?.at;
          if (at === undefined) continue;
          while (k < receipts.length && receipts[k]![0] < v) k++;
          if (k < receipts.length) scoreLatencies.push(receipts[k]![1] - at);
        }
      }
      // Baseline: the same watchers' gift events of the measured phase, from the event's database time.
      const { rows } = await pool.query(
        "SELECT id::text AS id, (extract(epoch FROM created_at) * 1000)::float8 AS at FROM live_events WHERE stream_id = $1 AND kind = 'gift' AND created_at >= to_timestamp($2::float8 / 1000)",
        [side.streamId, Date.now() - (performance.now() - started)],
      );
      const giftAt = new Map(rows.map((r) => [r.id as string, r.at as number]));
      const giftLatencies: number[] = [];
      for (const [id, times] of report.receipts) {
        const at = giftAt.get(id);
        if (at !== undefined) for (const t of times) giftLatencies.push(t - at);
      }
      scoreLatencies.sort((x, y) => x - y);
      giftLatencies.sort((x, y) => x - y);
      const p = (list: number[], q: number) => ms(percentile(list, q));
      console.log(
        `side ${side.name}: score bar p50 ${p(scoreLatencies, 50)}, p95 ${p(scoreLatencies, 95)}, p99 ${p(scoreLatencies, 99)} (${fmt(scoreLatencies.length)} samples)` +
          ` | baseline, the gift's own event: p50 ${p(giftLatencies, 50)}, p95 ${p(giftLatencies, 95)}, p99 ${p(giftLatencies, 99)}` +
          ` | ratio p95 score/gift ${(percentile(scoreLatencies, 95) / percentile(giftLatencies, 95)).toFixed(2)}`,
      );
      const final = side.name === "A" ? ended.a.score : ended.b.score;
      check(ended.status === "ENDED", `match ended (${ended.outcome})`);
      check(BigInt(final) === side.acked, `side ${side.name}: final score ${final} = coins of its acknowledged taps ${side.acked}`);
      const stale = report.clients.filter((c) => c.score?.v !== ended.scoreVersion || (side.name === "A" ? c.score?.a : c.score?.b) !== final);
      check(stale.length === 0, `side ${side.name}: every watcher (${report.clients.length}) ends on the final score (${stale.length} not)`);
      check(
        report.clients.every((c) => !c.scoreOutOfOrder),
        `side ${side.name}: no watcher was sent an older score after a newer one`,
      );
      check(percentile(scoreLatencies, 95) < 100, `side ${side.name}: score bar p95 < 100 ms (${p(scoreLatencies, 95)})`);
    }
    const wrong = await checkMatchScores(pool);
    check(wrong.length === 0, `stored scores equal the ledger's gifts in the match window (${wrong.length} sides differ)`);
    const recon = await reconcile(pool);
    check(recon.ok, recon.ok ? "RECONCILED: zero drift" : formatReconciliation(recon));
  } finally {
    await listener.end().catch((error: unknown) => console.error(`bench:match: closing the LISTEN connection: ${String(error)}`));
    await server.stop();
    await ledger.pool.end();
    await db.stop();
  }
  if (failures.length) {
    console.log(`\nFAIL (${failures.length}): ${failures.join("; ")}`);
    process.exit(1);
  }
  console.log("\nPASS");
}

main().catch((error) => {
  console.error(error);
  process.exit(2);
});
