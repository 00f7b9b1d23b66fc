// npm run bench:live — M Server-Sent-Event clients watch one stream served by
// the real production server (`next start`, tests/support/next-server.ts; it
// builds first when there is no build or the sources changed since) while
// viewers send gifts through lib/live sendGift at a fixed rate. Prints gifts/s,
// delivery latency from commit (the gift's ledger post() resolving) to each
// client, and whether every client received every gift exactly once and in order.
//   --clients=1000 --seconds=10 --rate=100 (gifts/s offered)   --build: rebuild first
import { randomUUID } from "node:crypto";
import { createPool } from "../../lib/db/pool";
import type { UserProfile } from "../../lib/auth/users";
import { getLiveLedger, GIFT_RATE_PER_SECOND, sendGift } from "../../lib/live/gifting";
import { formatReconciliation, reconcile } from "../../lib/ledger/reconcile";
import { startNextServer } from "../support/next-server";
import { arg, benchDatabase, percentile } from "./support";
import { startWatchers } from "./watchers";
import { stopRateLimiters } from "../../lib/limits";

const clientCount = arg("clients", 1000);
const seconds = arg("seconds", 10);
const rate = arg("rate", 100);
const MAX_IN_FLIGHT = 256;
const DRAIN_TIMEOUT_MS = 60_000;

/** Monotonic milliseconds, the same clock in the clients' process. */
const now = () => Number(process.hrtime.bigint()) / 1e6;

async function main() {
  const db = await benchDatabase("coin_economy_bench_live");
  process.env.DATABASE_URL = db.url;
  const pool = createPool(db.url, 4);

  // A creator live on one stream, and enough viewers to stay under the per-viewer rate limit.
  const senderCount = Math.max(10, Math.ceil(rate / (GIFT_RATE_PER_SECOND / 2)));
  const { rows: users } = await pool.query(
    `INSERT INTO users (id, email, display_name, password_hash, birth_date, role)
     SELECT gen_random_uuid(), 'live-bench-' || g || '@example.test', 'Bench viewer ' || g, 'x', '1990-01-01', CASE WHEN g = 0 THEN 'CREATOR' ELSE 'VIEWER' END::"Role"
       FROM generate_series(0, $1) g RETURNING id, email, display_name, role`,
    [senderCount],
  );
  const profiles: UserProfile[] = users.map((u) => ({
    id: u.id,
    email: u.email,
    displayName: u.display_name,
    role: u.role,
    birthDate: "1990-01-01",
    isAdult: true,
  }));
  const [creator, ...senders] = profiles;
  const { rows: streams } = await pool.query("INSERT INTO streams (id, creator_id, title) VALUES (gen_random_uuid(), $1, 'Bench stream') RETURNING id", [
    creator!.id,
  ]);
  const streamId = streams[0].id as string;
  const ledger = getLiveLedger();
  const issuance = await ledger.platformAccount("coin_issuance");
  for (const sender of senders) {
    const wallet = await ledger.userAccount(sender.id, "VIEWER_COINS");
    await ledger.post({
      idempotencyKey: `bench-grant:${sender.id}`,
      kind: "ADJUSTMENT",
      postings: [
        { accountId: issuance.id, amount: -1_000_000n },
        { accountId: wallet.id, amount: 1_000_000n },
      ],
    });
  }

  // Commit time of each gift: when the ledger's post() resolves (the batch has committed).
  const committedAt = new Map<bigint, number>();
  const post = ledger.post.bind(ledger);
  ledger.post = async (input) => {
    const result = await post(input);
    committedAt.set(result.id, now());
    return result;
  };

  const instance = await startNextServer({
    databaseUrl: db.url,
    build: process.argv.includes("--build") ? "always" : "if-stale",
    // Every benchmark client connects from 127.0.0.1: the per-address cap on live connections is lifted.
    env: { DB_POOL_SIZE: "10", LIVE_COALESCE_MS: process.env.LIVE_COALESCE_MS, LIVE_SSE_CONNECTIONS_PER_CLIENT: String(clientCount) },
  });
  console.log(
    `bench:live — ${clientCount.toLocaleString("en-US")} SSE clients on one stream, ${rate} gifts/s offered for ${seconds} s (${senders.length} senders), next start on ${instance.url}`,
  );

  // Connect the clients (in waves of 100, like an audience arriving) and wait until each is subscribed.
  const connectStart = now();
  const clients = startWatchers({ url: `${instance.url}/api/streams/${streamId}/events`, count: clientCount });
  await clients.ready;
  console.log(`connected and subscribed: ${clientCount.toLocaleString("en-US")} clients in ${((now() - connectStart) / 1000).toFixed(1)} s`);

  // Offer gifts at a fixed rate; a slow system shows up as fewer gifts/s, not as an unbounded queue.
  let sent = 0;
  let failed = 0;
  let inFlight = 0;
  const sendStart = now();
  const deadline = sendStart + seconds * 1000;
  const pending: Promise<void>[] = [];
  while (now() < deadline) {
    const due = Math.floor(((now() - sendStart) / 1000) * rate);
    while (sent < due && inFlight < MAX_IN_FLIGHT) {
      const sender = senders[sent % senders.length]!;
      sent++;
      inFlight++;
      pending.push(
        sendGift(sender, { streamId, giftId: "rose", clientKey: randomUUID() })
          .then(
            () => undefined,
            () => void failed++,
          )
          .finally(() => void inFlight--),
      );
    }
    await new Promise((r) => setTimeout(r, 2));
  }
  await Promise.all(pending);
  const sendSeconds = (now() - sendStart) / 1000;
  const committed = committedAt.size;

  const { rows: events } = await pool.query(
    "SELECT e.id::text AS id, e.transfer_id FROM live_events e WHERE e.stream_id = $1 AND e.kind = 'gift' ORDER BY e.id",
    [streamId],
  );
  const expectedSum = events.reduce((sum, e) => sum + Number(e.id), 0);
  const drainStart = now();
  while ((await clients.complete(events.length)) < clientCount && now() - drainStart < DRAIN_TIMEOUT_MS) await new Promise((r) => setTimeout(r, 50));
  await new Promise((r) => setTimeout(r, 200)); // anything arriving late would be a duplicate
  const { clients: states, receipts: receiptList } = await clients.report();
  const receipts = new Map(receiptList);

  const latencies: number[] = [];
  for (const event of events) {
    const at = committedAt.get(event.transfer_id as bigint);
    if (at === undefined) continue;
    for (const received of receipts.get(event.id) ?? []) latencies.push(received - at);
  }
  latencies.sort((x, y) => x - y);
  const exact = states.filter((s) => s.gifts === events.length && s.inOrder && s.idSum === expectedSum).length;
  const delivered = states.reduce((n, s) => n + s.gifts, 0);
  const viewerCounts = new Set(states.map((s) => s.viewers));

  const fmt = (n: number) => n.toLocaleString("en-US");
  console.log(
    `gifts: ${fmt(committed)} committed of ${fmt(sent)} offered (${failed} failed) in ${sendSeconds.toFixed(1)} s → ${(committed / sendSeconds).toFixed(0)} gifts/s`,
  );
  console.log(
    `deliveries: ${fmt(delivered)} of ${fmt(events.length * states.length)} expected (${fmt(events.length)} gifts × ${fmt(states.length)} clients), ${fmt(Math.round(delivered / sendSeconds))}/s`,
  );
  console.log(`clients with every gift exactly once, in order: ${fmt(exact)} of ${fmt(states.length)}`);
  console.log(
    `latency commit → client: p50 ${percentile(latencies, 50).toFixed(1)} ms   p95 ${percentile(latencies, 95).toFixed(1)} ms   p99 ${percentile(latencies, 99).toFixed(1)} ms   max ${(latencies.at(-1) ?? NaN).toFixed(1)} ms`,
  );
  console.log(`viewer count shown to clients: ${[...viewerCounts].join(", ")} (expected ${states.length})`);

  await instance.stop();
  const reconciliation = await reconcile(pool);
  console.log(formatReconciliation(reconciliation));
  // The gift limiter shares its counts on the ledger's pool: its last counts out before the pool ends.
  await stopRateLimiters();
  await pool.end();
  await ledger.pool.end();
  await db.stop();
  const ok = reconciliation.ok && exact === states.length && committed === events.length;
  if (!ok) console.log("FAILED: not every client received every gift exactly once, or the ledger does not reconcile.");
  process.exit(ok ? 0 : 1);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
