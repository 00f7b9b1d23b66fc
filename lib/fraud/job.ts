// The fraud job: reads each rule's figures from the database, asks the pure
// rules in lib/economy/fraud.ts, and writes one OPEN flag per user and rule
// (a partial unique index makes a second one impossible; a later run refreshes
// the open flag's evidence). One run at a time across instances: a run takes a
// transaction-scoped advisory lock and a run that cannot get it does nothing.
import "server-only";
import type pg from "pg";
import {
  DEFAULT_FRAUD_PARAMS,
  manyCards,
  newAccountBurst,
  oneViewerFunding,
  repeatedDeclines,
  youngGiftsWithdrawal,
  type FraudEvidence,
  type FraudParams,
  type FraudRule,
} from "../economy";
import { getLedger } from "../ledger";
import { inTransaction } from "../db/transaction";
import { column, queryOne, queryRow, queryRows } from "../db/rows";
import { z } from "zod";

/** How often instrumentation.ts runs the job. */
export const FRAUD_JOB_INTERVAL_MS = 5_000;

// The figures each rule reads, per row.
const ZBurstRow = z.object({ id: column.text, created_at: column.time, recharged: column.int8, gifted: column.int8 });
const ZCardsRow = z.object({ user_id: column.text, cards: column.int4 });
const ZDeclinesRow = z.object({ user_id: column.text, declines: column.int4 });
const ZFundingRow = z.object({ viewer_id: column.text, creator_id: column.text, diamonds: column.int8, total: column.int8 });
const ZYoungRow = z.object({ id: column.text, creator_id: column.text, diamonds: column.int8, young: column.int8 });
const ZLocked = z.object({ locked: column.bool });
const ZInserted = z.object({ inserted: column.bool });

type Hit = { userId: string; rule: FraudRule; evidence: FraudEvidence };

async function findHits(client: pg.PoolClient, now: Date, p: FraudParams): Promise<Hit[]> {
  const hits: Hit[] = [];
  const ago = (ms: number) => new Date(now.getTime() - ms);

  const burst = await queryRows(
    client,
    ZBurstRow,
    `SELECT u.id, u.created_at,
            COALESCE((SELECT SUM(i.coins + i.bonus_coins) FROM payment_intents i
                       WHERE i.user_id = u.id AND i.status = 'SUCCEEDED' AND i.updated_at >= $2), 0)::bigint AS recharged,
            COALESCE((SELECT SUM(-p.amount) FROM ledger_postings p JOIN ledger_transfers t ON t.id = p.transfer_id
                       JOIN ledger_accounts a ON a.id = p.account_id
                       WHERE a.user_id = u.id AND a.kind = 'VIEWER_COINS' AND t.kind = 'GIFT' AND p.amount < 0 AND p.created_at >= $2), 0)::bigint AS gifted
       FROM users u WHERE u.created_at > $1`,
    [ago(p.newAccountBurst.maxAccountAgeMs), ago(p.newAccountBurst.windowMs)],
  );
  for (const r of burst) {
    const evidence = newAccountBurst(
      { accountAgeMs: now.getTime() - r.created_at.getTime(), rechargedCoins: r.recharged, giftedCoins: r.gifted },
      p.newAccountBurst,
    );
    if (evidence) hits.push({ userId: r.id, rule: "NEW_ACCOUNT_BURST", evidence });
  }

  const cards = await queryRows(
    client,
    ZCardsRow,
    `SELECT user_id, COUNT(DISTINCT (card_brand, card_last4))::int AS cards FROM payment_intents
      WHERE card_last4 IS NOT NULL AND updated_at >= $1 GROUP BY user_id`,
    [ago(p.manyCards.windowMs)],
  );
  for (const r of cards) {
    const evidence = manyCards({ distinctCards: r.cards }, p.manyCards);
    if (evidence) hits.push({ userId: r.user_id, rule: "MANY_CARDS", evidence });
  }

  const declines = await queryRows(
    client,
    ZDeclinesRow,
    `SELECT user_id, COUNT(*)::int AS declines FROM payment_intents
      WHERE status = 'FAILED' AND updated_at >= $1 GROUP BY user_id`,
    [ago(p.repeatedDeclines.windowMs)],
  );
  for (const r of declines) {
    const evidence = repeatedDeclines({ declines: r.declines }, p.repeatedDeclines);
    if (evidence) hits.push({ userId: r.user_id, rule: "REPEATED_DECLINES", evidence });
  }

  // Per creator: diamonds received in the window, and the largest share from one viewer.
  const funding = await queryRows(
    client,
    ZFundingRow,
    `WITH gifts AS (
       SELECT c.user_id AS creator_id, v.user_id AS viewer_id, pc.amount AS diamonds
         FROM ledger_transfers t
         JOIN ledger_postings pc ON pc.transfer_id = t.id AND pc.amount > 0
         JOIN ledger_accounts c ON c.id = pc.account_id AND c.kind = 'CREATOR_DIAMONDS'
         JOIN ledger_postings pv ON pv.transfer_id = t.id AND pv.amount < 0
         JOIN ledger_accounts v ON v.id = pv.account_id AND v.kind = 'VIEWER_COINS'
        WHERE t.kind = 'GIFT' AND t.created_at >= $1),
     per_pair AS (SELECT creator_id, viewer_id, SUM(diamonds)::bigint AS diamonds FROM gifts GROUP BY creator_id, viewer_id),
     totals AS (SELECT creator_id, SUM(diamonds)::bigint AS total FROM per_pair GROUP BY creator_id)
     SELECT p.viewer_id, p.creator_id, p.diamonds, t.total FROM per_pair p JOIN totals t USING (creator_id) WHERE p.diamonds >= $2`,
    [ago(p.oneViewerFunding.windowMs), p.oneViewerFunding.minDiamonds],
  );
  for (const r of funding) {
    const evidence = oneViewerFunding({ fromViewerDiamonds: r.diamonds, creatorTotalDiamonds: r.total }, p.oneViewerFunding);
    // The flag is on the viewer doing the funding; the evidence names the creator.
    if (evidence) hits.push({ userId: r.viewer_id, rule: "ONE_VIEWER_FUNDING", evidence: { ...evidence, creatorId: r.creator_id } });
  }

  // Withdrawals still pending (or made in the window): diamonds from young accounts in the window before each.
  const young = await queryRows(
    client,
    ZYoungRow,
    `SELECT w.id, w.creator_id, w.diamonds,
            COALESCE((SELECT SUM(pc.amount) FROM ledger_transfers t
                       JOIN ledger_postings pc ON pc.transfer_id = t.id AND pc.amount > 0
                       JOIN ledger_accounts c ON c.id = pc.account_id AND c.kind = 'CREATOR_DIAMONDS' AND c.user_id = w.creator_id
                       JOIN ledger_postings pv ON pv.transfer_id = t.id AND pv.amount < 0
                       JOIN ledger_accounts v ON v.id = pv.account_id AND v.kind = 'VIEWER_COINS'
                       JOIN users s ON s.id = v.user_id
                      WHERE t.kind = 'GIFT' AND t.created_at BETWEEN w.created_at - $2 * interval '1 millisecond' AND w.created_at
                        AND s.created_at > t.created_at - $3 * interval '1 millisecond'
                        AND s.email NOT LIKE '%@audience.sim'), 0)::bigint AS young
       FROM withdrawals w WHERE w.status = 'PENDING' OR w.created_at >= $1`,
    [ago(p.youngGiftsWithdrawal.windowMs), p.youngGiftsWithdrawal.windowMs, p.youngGiftsWithdrawal.maxSenderAgeMs],
  );
  for (const r of young) {
    const evidence = youngGiftsWithdrawal({ withdrawnDiamonds: r.diamonds, fromYoungAccountsDiamonds: r.young }, p.youngGiftsWithdrawal);
    if (evidence) hits.push({ userId: r.creator_id, rule: "YOUNG_GIFTS_WITHDRAWAL", evidence: { ...evidence, withdrawalId: r.id } });
  }
  return hits;
}

/**
 * One run of the fraud job. Returns the number of flags newly opened, or 0 when
 * another instance holds the run.
 */
export async function runFraudJob({
  now = new Date(),
  params = DEFAULT_FRAUD_PARAMS,
  pool = getLedger().pool,
}: { now?: Date; params?: FraudParams; pool?: pg.Pool } = {}): Promise<number> {
  return inTransaction(pool, async (client) => {
    const { locked } = await queryOne(client, ZLocked, "SELECT pg_try_advisory_xact_lock(hashtext('fraud-job')) AS locked");
    if (!locked) return 0;
    let opened = 0;
    for (const hit of await findHits(client, now, params)) {
      const result = await queryRow(
        client,
        ZInserted,
        // A flag an operator resolved in the last day is not raised again for the same figures' window.
        `INSERT INTO fraud_flags (id, user_id, rule, evidence, created_at)
         SELECT gen_random_uuid(), $1::uuid, $2, $3::jsonb, $4
          WHERE NOT EXISTS (SELECT 1 FROM fraud_flags f WHERE f.user_id = $1::uuid AND f.rule = $2 AND f.status <> 'OPEN'
                              AND f.resolved_at > $4::timestamptz - interval '24 hours')
         ON CONFLICT (user_id, rule) WHERE status = 'OPEN' DO UPDATE SET evidence = EXCLUDED.evidence
         RETURNING (xmax = 0) AS inserted`,
        [hit.userId, hit.rule, JSON.stringify(hit.evidence), now],
      );
      if (result?.inserted) opened++;
    }
    return opened;
  });
}
