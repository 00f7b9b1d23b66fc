// Reconciliation of treasure boxes against the ledger (npm run reconcile, the
// treasure tests). No "server-only": scripts run it as well.
import type pg from "pg";
import type { Queryable } from "../db/queryable";
import { inTransaction } from "../db/transaction";
import { drawTreasure } from "../economy/treasure-draw";

export interface TreasureProblem {
  boxId: string | null;
  problem: string;
}

/**
 * In one snapshot (REPEATABLE READ): the escrow balance equals the coins of
 * the boxes not yet opened; every box's drop moved exactly its coins into
 * escrow; every opened box's open transfer took exactly its coins out of
 * escrow, paid them (to the winners, or back to the dropper), matches the
 * stored result, and the stored result is what the box's seed draws from its
 * entrants. Returns what differs (nothing when all is well).
 */
export async function checkTreasureBoxes(pool: pg.Pool): Promise<TreasureProblem[]> {
  return inTransaction(pool, check, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
}

async function check(db: Queryable): Promise<TreasureProblem[]> {
  const problems: TreasureProblem[] = [];
  const { rows: escrow } = await db.query(
    `SELECT COALESCE((SELECT SUM(balance) FROM ledger_accounts WHERE kind = 'TREASURE_ESCROW'), 0)::text AS balance,
            COALESCE((SELECT SUM(coins) FROM treasure_boxes WHERE status = 'OPEN'), 0)::text AS unopened`,
  );
  if (escrow[0].balance !== escrow[0].unopened) {
    problems.push({ boxId: null, problem: `escrow holds ${escrow[0].balance} coins, unopened boxes ${escrow[0].unopened}` });
  }
  const { rows: boxes } = await db.query(
    `SELECT b.id, b.status, b.coins::text AS coins, b.slots, b.seed, b.result, b.dropper_id,
            d.kind AS drop_kind, d.idempotency_key AS drop_key_used, b.drop_key,
            (SELECT COALESCE(SUM(p.amount), 0) FROM ledger_postings p JOIN ledger_accounts a ON a.id = p.account_id
              WHERE p.transfer_id = b.drop_transfer_id AND a.kind = 'TREASURE_ESCROW')::text AS dropped,
            o.kind AS open_kind, o.idempotency_key AS open_key,
            (SELECT COALESCE(SUM(p.amount), 0) FROM ledger_postings p JOIN ledger_accounts a ON a.id = p.account_id
              WHERE p.transfer_id = b.open_transfer_id AND a.kind = 'TREASURE_ESCROW')::text AS released,
            (SELECT COALESCE(json_agg(json_build_object('userId', a.user_id, 'coins', p.amount::text) ORDER BY a.user_id), '[]'::json)
               FROM ledger_postings p JOIN ledger_accounts a ON a.id = p.account_id
              WHERE p.transfer_id = b.open_transfer_id AND a.kind = 'VIEWER_COINS') AS paid,
            (SELECT COALESCE(array_agg(e.user_id::text ORDER BY e.user_id), '{}') FROM treasure_entries e WHERE e.box_id = b.id) AS entrants
       FROM treasure_boxes b
       JOIN ledger_transfers d ON d.id = b.drop_transfer_id
       LEFT JOIN ledger_transfers o ON o.id = b.open_transfer_id`,
  );
  for (const b of boxes) {
    const id = b.id as string;
    const say = (problem: string) => problems.push({ boxId: id, problem });
    if (b.drop_kind !== "TREASURE_DROP" || b.drop_key_used !== b.drop_key) say(`its drop transfer is ${b.drop_kind} ${b.drop_key_used}`);
    if (b.dropped !== b.coins) say(`its drop put ${b.dropped} coins in escrow, not ${b.coins}`);
    if (b.status === "OPEN") continue;
    const expectedKind = b.status === "OPENED" ? "TREASURE_PAYOUT" : "TREASURE_RETURN";
    if (b.open_kind !== expectedKind || b.open_key !== `treasure:open:${id}`) say(`its open transfer is ${b.open_kind} ${b.open_key}`);
    if (b.released !== `-${b.coins}`) say(`its opening took ${b.released} coins from escrow, not -${b.coins}`);
    const paid = (b.paid as Array<{ userId: string; coins: string }>).map((p) => `${p.userId}:${p.coins}`).sort();
    const result = (b.result as Array<{ userId: string; coins: string }>) ?? [];
    const drawn = drawTreasure(b.seed as string, b.entrants as string[], BigInt(b.coins as string), b.slots as number);
    const stored = result.map((w) => `${w.userId}:${w.coins}`);
    if (stored.join() !== drawn.map((d) => `${d.userId}:${d.coins}`).join()) say("its stored result is not what its seed draws");
    const owed = b.status === "OPENED" ? [...stored].sort() : [`${b.dropper_id}:${b.coins}`];
    if (paid.join() !== owed.join()) say(`its opening paid ${paid.join(" ")} instead of ${owed.join(" ")}`);
  }
  return problems;
}
