// npm run reconcile: prints the trial balance (and keeps the run for the
// operator console); exits 1 on any drift.
import { createPool } from "../lib/db/pool";
import { provideDatabase } from "../lib/db/provide";
import { formatReconciliation } from "../lib/ledger/reconcile";
import { findFanPointsDrift } from "../lib/live/fans";
import { findGifterTotalsDrift } from "../lib/live/levels";
import { checkMatchScores } from "../lib/live/match-reconcile";
import { checkTreasureBoxes } from "../lib/live/treasure-reconcile";
import { runReconciliation } from "../lib/operator/reconciliations";

async function main() {
  const db = await provideDatabase({ cluster: "postgres", database: "coin_economy", log: () => undefined });
  const pool = createPool(db.url, 2);
  // Kept like the console's runs, so the console shows it as the last one.
  const { result } = await runReconciliation(pool, null);
  console.log(formatReconciliation(result));
  // Every LIVE Match side's stored score equals the coins of the gifts committed to it inside its window.
  const wrong = await checkMatchScores(pool);
  const { rows } = await pool.query("SELECT COUNT(*)::int AS n FROM live_matches WHERE status IN ('ACTIVE', 'ENDED')");
  if (wrong.length) {
    console.log(`LIVE Match scores: ${wrong.length} side(s) differ from the ledger's gifts:`);
    for (const w of wrong) console.log(`  match ${w.matchId} side ${w.side}: stored ${w.stored}, gifts ${w.gifts}`);
  } else {
    console.log(`LIVE Match scores: all ${rows[0].n} started match(es) equal the ledger's gifts in their windows.`);
  }
  // Every gifter's coins spent on gifts (their level) equal the ledger's gift postings.
  const gifters = await findGifterTotalsDrift(pool);
  const { rows: counted } = await pool.query("SELECT COUNT(*)::int AS n FROM gifter_totals");
  if (gifters.length) {
    console.log(`Gifter levels: ${gifters.length} gifter(s) differ from the ledger's gifts:`);
    for (const g of gifters.slice(0, 20)) console.log(`  user ${g.userId}: counted ${g.stored} coins, gifts say ${g.posted}`);
  } else {
    console.log(`Gifter levels: all ${counted[0].n} gifter(s)' coins spent equal the ledger's gifts.`);
  }
  // Every fan club member's gift points equal the rule applied to the ledger's gifts from them to that creator.
  const fans = await findFanPointsDrift(pool);
  const { rows: memberships } = await pool.query("SELECT COUNT(*)::int AS n FROM fan_club_members");
  if (fans.length) {
    console.log(`Fan clubs: ${fans.length} membership(s) differ from the ledger's gifts:`);
    for (const f of fans.slice(0, 20))
      console.log(
        `  ${f.userId} in ${f.creatorId}'s club: ${f.giftPoints} gift points + ${f.uncountedCoins} uncounted coins, gifts say ${f.postedCoins} coins`,
      );
  } else {
    console.log(`Fan clubs: all ${memberships[0].n} membership(s)' gift points equal the ledger's gifts.`);
  }
  // Escrow holds exactly the unopened boxes; every opened box paid exactly its coins, as its seed draws.
  const treasure = await checkTreasureBoxes(pool);
  const { rows: boxes } = await pool.query("SELECT COUNT(*)::int AS n FROM treasure_boxes");
  if (treasure.length) {
    console.log(`Treasure boxes: ${treasure.length} problem(s):`);
    for (const t of treasure) console.log(`  ${t.boxId ? `box ${t.boxId}` : "escrow"}: ${t.problem}`);
  } else {
    console.log(`Treasure boxes: all ${boxes[0].n} box(es) reconcile with the escrow account and their seeds' draws.`);
  }
  await pool.end();
  await db.stop();
  process.exit(result.ok && !wrong.length && !gifters.length && !fans.length && !treasure.length ? 0 : 1);
}

main().catch((error) => {
  console.error(error);
  process.exit(2);
});
