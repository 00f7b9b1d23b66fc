// npm run bench:earnings — seeds 1,000,000 gifts (20 creators, one of them
// receiving half of all gifts, 5,000 supporters, 60 streams per creator over 30
// days) straight into the ledger's tables with a few set-based statements, then
// times the creator dashboard's queries for the busiest creator, and the same
// figures computed from the raw postings as the baseline.
//   --gifts=1000000 --runs=30
// Seeding goes through the real tables, so the postings trigger checks every
// transfer balances and the earnings trigger fills the aggregates, chunk by
// chunk; cached balances are then set from the postings and reconcile() must be clean.
import { createPool } from "../../lib/db/pool";
import { GIFTS } from "../../lib/economy";
import { Ledger } from "../../lib/ledger/ledger";
import { formatReconciliation, reconcile } from "../../lib/ledger/reconcile";
import {
  findEarningsDrift,
  foldEarnings,
  getEarningsSeries,
  getEarningsTotals,
  getGiftTypeEarnings,
  getLedgerGiftTotals,
  getStreamSeries,
  getTopSupporters,
  listStreamEarnings,
  utcDayStart,
} from "../../lib/earnings/queries";
import { getEconomyOverview } from "../../lib/operator/overview";
import { listTransfers } from "../../lib/operator/transfers";
import { arg, benchDatabase, percentile } from "./support";

const GIFT_COUNT = arg("gifts", 1_000_000);
const RUNS = arg("runs", 30);
const CREATORS = 20;
const VIEWERS = 5_000;
const STREAMS_PER_CREATOR = 60;
const CHUNK = 100_000;

async function time<T>(label: string, runs: number, fn: () => Promise<T>): Promise<{ label: string; p50: number; p95: number }> {
  await fn(); // warm the cache and the plan
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  const result = { label, p50: percentile(samples, 50), p95: percentile(samples, 95) };
  console.log(`${label.padEnd(52)} p50 ${result.p50.toFixed(2).padStart(9)} ms   p95 ${result.p95.toFixed(2).padStart(9)} ms   (${runs} runs)`);
  return result;
}

async function main() {
  const db = await benchDatabase("coin_economy_bench_earnings");
  const pool = createPool(db.url, 4);
  const ledger = new Ledger(pool);
  console.log(`bench:earnings — ${GIFT_COUNT.toLocaleString("en-US")} gifts, ${CREATORS} creators, ${VIEWERS.toLocaleString("en-US")} supporters`);

  // Users, wallets, streams, and a coin grant for every supporter.
  const t0 = performance.now();
  await pool.query(
    `INSERT INTO users (id, email, display_name, password_hash, birth_date, role, hide_from_rankings)
     SELECT gen_random_uuid(), 'bench-' || r || '-' || g || '@example.test', initcap(r) || ' ' || g, 'x', '1990-01-01',
            (CASE WHEN r = 'creator' THEN 'CREATOR' ELSE 'VIEWER' END)::"Role", r = 'viewer' AND g % 10 = 0
       FROM (SELECT 'creator' AS r, g FROM generate_series(0, $1 - 1) g UNION ALL SELECT 'viewer', g FROM generate_series(0, $2 - 1) g) x`,
    [CREATORS, VIEWERS],
  );
  await pool.query(
    `INSERT INTO ledger_accounts (code, asset, kind, user_id)
     SELECT 'user:' || id || CASE WHEN role = 'CREATOR' THEN ':diamonds' ELSE ':coins' END,
            (CASE WHEN role = 'CREATOR' THEN 'DIAMOND' ELSE 'COIN' END)::"Asset",
            (CASE WHEN role = 'CREATOR' THEN 'CREATOR_DIAMONDS' ELSE 'VIEWER_COINS' END)::"AccountKind", id
       FROM users WHERE email LIKE 'bench-%'`,
  );
  await pool.query(
    `INSERT INTO streams (id, creator_id, title, status, peak_viewers, started_at, ended_at)
     SELECT gen_random_uuid(), u.id, 'Stream ' || k, 'ENDED', 100 + k,
            date_trunc('hour', now()) - interval '30 days' + k * interval '12 hours',
            date_trunc('hour', now()) - interval '30 days' + k * interval '12 hours' + interval '2 hours'
       FROM users u CROSS JOIN generate_series(0, $1 - 1) k WHERE u.role = 'CREATOR' AND u.email LIKE 'bench-%'`,
    [STREAMS_PER_CREATOR],
  );
  await pool.query(
    `WITH v AS (SELECT a.id, row_number() OVER (ORDER BY a.id) AS n FROM ledger_accounts a WHERE a.kind = 'VIEWER_COINS'),
     t AS (INSERT INTO ledger_transfers (idempotency_key, kind, content_hash, metadata)
           SELECT 'bench-grant:' || v.id, 'ADJUSTMENT', 'bench', '{}' FROM v RETURNING id, idempotency_key)
     INSERT INTO ledger_postings (transfer_id, account_id, asset, amount)
     SELECT t.id, x.account_id, 'COIN', x.amount
       FROM t JOIN v ON t.idempotency_key = 'bench-grant:' || v.id
       CROSS JOIN LATERAL (VALUES (v.id, 1000000000000::bigint),
                                  ((SELECT id FROM ledger_accounts WHERE code = 'platform:coin_issuance'), -1000000000000::bigint)) x(account_id, amount)`,
  );
  console.log(`set-up: ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  // The gifts, in chunks: creator 1 of 20 receives every second gift.
  const t1 = performance.now();
  let folded = 0;
  let foldMs = 0;
  const giftIds = GIFTS.map((g) => g.id);
  const giftCoins = GIFTS.map((g) => String(g.coins));
  for (let from = 0; from < GIFT_COUNT; from += CHUNK) {
    const to = Math.min(GIFT_COUNT, from + CHUNK) - 1;
    await pool.query(
      `WITH creators AS (SELECT a.id AS account_id, a.user_id, row_number() OVER (ORDER BY u.email) - 1 AS c
                           FROM ledger_accounts a JOIN users u ON u.id = a.user_id
                          WHERE a.kind = 'CREATOR_DIAMONDS' AND u.email LIKE 'bench-%'),
       viewers AS (SELECT id AS account_id, row_number() OVER (ORDER BY id) - 1 AS v FROM ledger_accounts WHERE kind = 'VIEWER_COINS'),
       streams AS (SELECT id, creator_id, started_at, row_number() OVER (PARTITION BY creator_id ORDER BY started_at) - 1 AS k FROM streams),
       g AS (
         SELECT n, cr.account_id AS creator, vw.account_id AS viewer, s.id AS stream_id,
                s.started_at + (n % 7200) * interval '1 second' AS created_at,
                ($3::text[])[1 + (n * 7919) % cardinality($3::text[])] AS gift_id,
                ($4::bigint[])[1 + (n * 7919) % cardinality($3::text[])] AS coins
           FROM generate_series($1::bigint, $2::bigint) n
           JOIN creators cr ON cr.c = CASE WHEN n % 2 = 0 THEN 0 ELSE 1 + (n / 2) % ($5 - 1) END
           JOIN viewers vw ON vw.v = (n * 2654435761) % $6
           JOIN streams s ON s.creator_id = cr.user_id AND s.k = (n / 3) % $7),
       t AS (
         INSERT INTO ledger_transfers (idempotency_key, kind, content_hash, metadata, created_at)
         SELECT 'bench-gift:' || n, 'GIFT', 'bench', jsonb_build_object('streamId', stream_id, 'giftId', gift_id, 'coins', coins::text), created_at
           FROM g ORDER BY n RETURNING id, idempotency_key)
       INSERT INTO ledger_postings (transfer_id, account_id, asset, amount, created_at)
       SELECT t.id, x.account_id, x.asset::"Asset", x.amount, g.created_at
         FROM g JOIN t ON t.idempotency_key = 'bench-gift:' || g.n
         CROSS JOIN LATERAL (VALUES (g.viewer, 'COIN', -g.coins),
                                    ((SELECT id FROM ledger_accounts WHERE code = 'platform:gift_revenue'), 'COIN', g.coins),
                                    ((SELECT id FROM ledger_accounts WHERE code = 'platform:diamond_issuance'), 'DIAMOND', -g.coins * 500),
                                    (g.creator, 'DIAMOND', g.coins * 500)) x(account_id, asset, amount)`,
      [from, to, giftIds, giftCoins, CREATORS, VIEWERS, STREAMS_PER_CREATOR],
    );
    // What the app's folder does every second: move the chunk's pending sums into the aggregates.
    const f0 = performance.now();
    folded += await foldEarnings(pool);
    foldMs += performance.now() - f0;
    process.stdout.write(`  ${(to + 1).toLocaleString("en-US")} gifts\r`);
  }
  // Cached balances from the postings, exactly what the ledger would have kept.
  await pool.query(
    `UPDATE ledger_accounts a SET balance = s.total
       FROM (SELECT account_id, SUM(amount)::bigint AS total FROM ledger_postings GROUP BY account_id) s WHERE a.id = s.account_id`,
  );
  await pool.query("VACUUM ANALYZE");
  console.log(`seeded ${GIFT_COUNT.toLocaleString("en-US")} gifts in ${((performance.now() - t1) / 1000).toFixed(1)} s`);
  console.log(
    `folded ${folded.toLocaleString("en-US")} gifts into the aggregates in ${(foldMs / 1000).toFixed(1)} s (${Math.round(folded / (foldMs / 1000)).toLocaleString("en-US")} gifts/s)`,
  );

  const sizes = await pool.query(
    `SELECT (SELECT count(*) FROM ledger_postings)::bigint AS postings, (SELECT count(*) FROM earnings_hourly)::bigint AS hourly,
            (SELECT count(*) FROM earnings_supporters)::bigint AS supporters, (SELECT count(*) FROM earnings_supporter_totals)::bigint AS totals`,
  );
  console.log(
    `rows: ${sizes.rows[0].postings} postings; aggregates: ${sizes.rows[0].hourly} hourly, ${sizes.rows[0].supporters} per stream and supporter, ${sizes.rows[0].totals} per supporter`,
  );

  const { rows } = await pool.query(
    `SELECT a.id, a.user_id FROM ledger_accounts a JOIN users u ON u.id = a.user_id
      WHERE a.kind = 'CREATOR_DIAMONDS' AND u.email LIKE 'bench-%' ORDER BY u.email LIMIT 1`,
  );
  const account = rows[0].id as bigint;
  const creatorId = rows[0].user_id as string;
  const stream = (await pool.query("SELECT id FROM streams WHERE creator_id = $1 ORDER BY started_at DESC LIMIT 1", [creatorId])).rows[0].id as string;
  const now = new Date();

  console.log(`\nDashboard queries for the busiest creator (${GIFT_COUNT / 2} gifts), from the aggregates:`);
  await time("totals: today, 7 d, 30 d, all time", RUNS, () => getEarningsTotals(pool, account, now));
  await time("chart: today by hour", RUNS, () => getEarningsSeries(pool, account, "today", now));
  await time("chart: 30 days by day", RUNS, () => getEarningsSeries(pool, account, "30d", now));
  await time("streams: newest 20 with totals and top gifter", RUNS, () => listStreamEarnings(pool, creatorId, account));
  await time("gift types: all time", RUNS, () => getGiftTypeEarnings(pool, account));
  await time("top 10 supporters: all time", RUNS, () => getTopSupporters(pool, account));
  await time("one stream: hourly + gift types + top 10", RUNS, async () => {
    await getStreamSeries(pool, account, stream);
    await getGiftTypeEarnings(pool, account, stream);
    await getTopSupporters(pool, account, { streamId: stream });
  });

  // The operator console over the whole economy: the overview from balances and
  // aggregates, the transfer browser, against what the console did before on
  // every view (a full reconciliation from the postings).
  console.log(`\nOperator console over all ${GIFT_COUNT.toLocaleString("en-US")} gifts:`);
  const overview = await time("overview: money in, owed, kept, 14 days of charts", RUNS, () => getEconomyOverview(pool, { now }));
  await time("transfers: newest 50, no filter", RUNS, () => listTransfers(pool, { kind: null, email: null, from: null, to: null, before: null }));
  await time("transfers: newest 50 gifts", RUNS, () => listTransfers(pool, { kind: "GIFT", email: null, from: null, to: null, before: null }));
  await time("transfers: newest 50 adjustments (a rare kind)", RUNS, () =>
    listTransfers(pool, { kind: "ADJUSTMENT", email: null, from: null, to: null, before: null }),
  );
  const supporter = (await pool.query<{ email: string }>("SELECT email FROM users WHERE email LIKE 'bench-viewer-%' ORDER BY email LIMIT 1")).rows[0]!.email;
  await time("transfers: newest 50 of one supporter", RUNS, () => listTransfers(pool, { kind: null, email: supporter, from: null, to: null, before: null }));
  const recon = await time("baseline: a full reconciliation (the console's old view)", 3, () => reconcile(pool));
  console.log(`overview ÷ full reconciliation: ${(overview.p50 / recon.p50).toFixed(4)} (${(recon.p50 / overview.p50).toFixed(0)}× faster)`);

  const baselineRuns = 3;
  console.log("\nBaseline: the same figures summed from the ledger's postings (no aggregates):");
  await time("totals: all time (postings)", baselineRuns, () => getLedgerGiftTotals(pool, account));
  await time("totals: today (postings)", baselineRuns, () => getLedgerGiftTotals(pool, account, utcDayStart(now)));
  await time("gift types: all time (postings)", baselineRuns, () =>
    pool.query(
      `SELECT t.metadata->>'giftId' AS gift_id, count(*), sum(d.amount)
         FROM ledger_postings d JOIN ledger_transfers t ON t.id = d.transfer_id AND t.kind = 'GIFT'
        WHERE d.account_id = $1 AND d.amount > 0 GROUP BY 1 ORDER BY 3 DESC`,
      [String(account)],
    ),
  );
  await time("top 10 supporters: all time (postings)", baselineRuns, () =>
    pool.query(
      `SELECT c.account_id, -sum(c.amount) AS coins
         FROM ledger_postings d JOIN ledger_postings c ON c.transfer_id = d.transfer_id AND c.asset = 'COIN' AND c.amount < 0
        WHERE d.account_id = $1 AND d.amount > 0 GROUP BY 1 ORDER BY 2 DESC LIMIT 10`,
      [String(account)],
    ),
  );

  // Everything adds up: aggregates equal the postings, balances equal the postings.
  const t2 = performance.now();
  const drift = await findEarningsDrift(pool);
  const ledgerTotals = await getLedgerGiftTotals(pool, account);
  const aggregated = await getEarningsTotals(pool, account, now);
  const reconciliation = await reconcile(ledger.pool);
  console.log(
    `\naggregates vs postings: ${drift.length === 0 ? "equal" : `${drift.length} accounts DIFFER`}; busiest creator ${aggregated.allTime.diamonds} = ${ledgerTotals.diamonds} milli-diamonds (checked in ${((performance.now() - t2) / 1000).toFixed(1)} s)`,
  );
  console.log(formatReconciliation(reconciliation));
  await pool.end();
  await db.stop();
  if (!reconciliation.ok || drift.length || aggregated.allTime.diamonds !== ledgerTotals.diamonds) process.exit(1);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
