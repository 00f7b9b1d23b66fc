// npm run bench:ledger — N viewers gift one hot creator through lib/ledger for a
// fixed time, then the same load through a naive one-transaction-per-gift
// baseline, on the same real PostgreSQL in the same run.
//   --viewers=64 --seconds=10 --inflight=1 --batches=2 (ledger batches in flight)
import { randomUUID } from "node:crypto";
import type pg from "pg";
import { convertCoinsToDiamonds } from "../../lib/economy";
import { createPool } from "../../lib/db/pool";
import { startEarningsFolder } from "../../lib/earnings/folder";
import { findEarningsDrift } from "../../lib/earnings/queries";
import { createGiftPoster } from "../../lib/ledger/gifts";
import { Ledger } from "../../lib/ledger/ledger";
import { formatReconciliation, reconcile } from "../../lib/ledger/reconcile";
import { arg, benchDatabase, formatStats, runFor } from "./support";

const viewers = arg("viewers", 64);
const seconds = arg("seconds", 10);
const inflight = arg("inflight", 1);
// Other users on the platform (accounts the gifts do not touch), so that every
// lookup is measured against a table of realistic size, not a few dozen rows.
const population = arg("population", 100_000);
// --no-baseline skips the naive run (for quick A/B runs of the ledger alone).
const baseline = !process.argv.includes("--no-baseline");
const GIFT_COINS = 1n; // a Rose

/** Users with a coin wallet each, who take no part in the run. */
async function populate(pool: pg.Pool, count: number) {
  await pool.query(
    `WITH u AS (
       INSERT INTO users (id, email, display_name, password_hash, birth_date, role)
       SELECT gen_random_uuid(), 'resident-' || g || '@example.test', 'Resident ' || g, 'x', '1990-01-01', 'VIEWER'
         FROM generate_series(1, $1) g RETURNING id)
     INSERT INTO ledger_accounts (code, asset, kind, user_id) SELECT 'user:' || id || ':coins', 'COIN', 'VIEWER_COINS', id FROM u`,
    [count],
  );
  await pool.query("VACUUM ANALYZE users, ledger_accounts");
}

async function setup(ledger: Ledger, count: number) {
  const { rows } = await ledger.pool.query(
    `INSERT INTO users (id, email, display_name, password_hash, birth_date, role)
     SELECT gen_random_uuid(), 'bench-' || g || '-' || gen_random_uuid() || '@example.test', 'Bench ' || g, 'x', '1990-01-01', 'VIEWER'
       FROM generate_series(0, $1) g RETURNING id`,
    [count],
  );
  const [creator, ...rest] = rows.map((r) => r.id as string);
  const creatorDiamonds = (await ledger.userAccount(creator!, "CREATOR_DIAMONDS")).id;
  const issuance = (await ledger.platformAccount("coin_issuance")).id;
  const viewerCoins: bigint[] = [];
  for (const id of rest) {
    const account = (await ledger.userAccount(id, "VIEWER_COINS")).id;
    await ledger.post({
      idempotencyKey: `bench-grant:${id}`,
      kind: "ADJUSTMENT",
      postings: [
        { accountId: issuance, amount: -1_000_000_000n },
        { accountId: account, amount: 1_000_000_000n },
      ],
    });
    viewerCoins.push(account);
  }
  return { creatorDiamonds, viewerCoins };
}

/** The baseline: one interactive transaction per gift that locks both accounts. */
async function naiveGift(pool: pg.Pool, ids: { viewer: bigint; creator: bigint; revenue: bigint; issuance: bigint }) {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const diamonds = convertCoinsToDiamonds(GIFT_COINS).diamondsMinor;
    const locked = [ids.viewer, ids.creator].sort((a, b) => (a < b ? -1 : 1)).map(String);
    const { rows } = await client.query("SELECT id, balance FROM ledger_accounts WHERE id = ANY($1::bigint[]) ORDER BY id FOR UPDATE", [locked]);
    const viewerRow = rows.find((r) => r.id === ids.viewer);
    if (viewerRow.balance < GIFT_COINS) throw new Error("insufficient funds");
    const t = await client.query("INSERT INTO ledger_transfers (idempotency_key, kind, content_hash) VALUES ($1, 'GIFT', 'naive') RETURNING id", [
      randomUUID(),
    ]);
    await client.query(
      `INSERT INTO ledger_postings (transfer_id, account_id, asset, amount) VALUES
        ($1, $2, 'COIN', $6), ($1, $3, 'COIN', $7), ($1, $4, 'DIAMOND', $8), ($1, $5, 'DIAMOND', $9)`,
      [
        t.rows[0].id,
        String(ids.viewer),
        String(ids.revenue),
        String(ids.issuance),
        String(ids.creator),
        String(-GIFT_COINS),
        String(GIFT_COINS),
        String(-diamonds),
        String(diamonds),
      ],
    );
    await client.query(`UPDATE ledger_accounts a SET balance = a.balance + d.delta FROM unnest($1::bigint[], $2::bigint[]) d(id, delta) WHERE a.id = d.id`, [
      [ids.viewer, ids.revenue, ids.issuance, ids.creator].map(String),
      [-GIFT_COINS, GIFT_COINS, -diamonds, diamonds].map(String),
    ]);
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK");
    throw error;
  } finally {
    client.release();
  }
}

async function main() {
  const db = await benchDatabase("coin_economy_bench");
  const pool = createPool(db.url, 8);
  const ledger = new Ledger(pool, { maxBatch: 2000, concurrency: arg("batches", 2) });
  console.log(
    `bench:ledger — ${viewers} viewers × ${inflight} gift(s) in flight each → one creator, ${seconds} s per run, ${population.toLocaleString("en-US")} other users`,
  );
  await populate(pool, population);
  const { creatorDiamonds, viewerCoins } = await setup(ledger, viewers);
  const postGift = await createGiftPoster(ledger);
  const creatorBefore = await ledger.getBalance(creatorDiamonds);

  // Warm up both paths briefly (JIT, connections).
  const naivePool = createPool(db.url, Math.min(viewers, 64));
  const ids = {
    creator: creatorDiamonds,
    revenue: (await ledger.platformAccount("gift_revenue")).id,
    issuance: (await ledger.platformAccount("diamond_issuance")).id,
  };
  const grouped = async (w: number) => {
    await postGift({ viewerCoins: viewerCoins[w % viewers]!, creatorDiamonds, coins: GIFT_COINS, idempotencyKey: randomUUID() });
  };
  const naive = (w: number) => naiveGift(naivePool, { ...ids, viewer: viewerCoins[w % viewers]! });
  await runFor(viewers, 1, grouped);
  if (baseline) await runFor(viewers, 1, naive);

  // Each run starts right after a checkpoint, so runs pay the same share of
  // full-page writes whatever the runs before them left in the WAL.
  await pool.query("CHECKPOINT");
  // As in the app, the earnings folder runs alongside (every second).
  const folder = startEarningsFolder(pool);
  const groupedStats = await runFor(viewers * inflight, seconds, grouped);
  await folder.stop();
  console.log(formatStats("lib/ledger (group commit)", groupedStats));
  console.log(`earnings folder: ${folder.handled.toLocaleString("en-US")} gifts folded into the creator's aggregates during the run`);
  if (baseline) {
    await pool.query("CHECKPOINT");
    const naiveStats = await runFor(viewers * inflight, seconds, naive);
    console.log(formatStats("naive (1 transaction per gift)", naiveStats));
    console.log(`ratio: ${(groupedStats.perSecond / naiveStats.perSecond).toFixed(1)}× the naive baseline`);
  }

  const reconciliation = await reconcile(pool);
  const creatorAfter = await ledger.getBalance(creatorDiamonds);
  console.log(`creator diamonds grew by ${creatorAfter - creatorBefore} milli-diamonds`);
  console.log(formatReconciliation(reconciliation));
  const earningsDrift = await findEarningsDrift(pool);
  console.log(`earnings aggregates vs postings: ${earningsDrift.length === 0 ? "equal" : `${earningsDrift.length} accounts DIFFER`}`);
  await naivePool.end();
  await pool.end();
  await db.stop();
  if (!reconciliation.ok || earningsDrift.length) process.exit(1);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
