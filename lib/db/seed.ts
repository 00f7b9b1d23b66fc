// Demo data, written once: the demo accounts and their starting coins. Coins are
// credited through the ledger like everything else (idempotent keys, so a
// second run changes nothing).
import type pg from "pg";
import { hashPassword } from "../auth/password";
import { Ledger } from "../ledger/ledger";
import { DEMO_ACCOUNTS } from "./demo";
import { z } from "zod";
import { column, queryOne, queryRow } from "./rows";

const ZId = z.object({ id: column.text });

export async function seedDemoData(pool: pg.Pool, log: (message: string) => void = console.log): Promise<void> {
  const ledger = new Ledger(pool);
  const issuance = await ledger.platformAccount("coin_issuance");
  let created = 0;
  for (const demo of DEMO_ACCOUNTS) {
    const inserted = await queryRow(
      pool,
      ZId,
      `INSERT INTO users (id, email, display_name, password_hash, birth_date, role)
       VALUES (gen_random_uuid(), $1, $2, $3, $4, $5)
       ON CONFLICT (email) DO NOTHING RETURNING id`,
      [demo.email, demo.displayName, await hashPassword(demo.password), demo.birthDate, demo.role],
    );
    const { id } = inserted ?? (await queryOne(pool, ZId, "SELECT id FROM users WHERE email = $1", [demo.email]));
    if (inserted) created++;
    const coins = await ledger.userAccount(id, "VIEWER_COINS");
    if (demo.role === "CREATOR") await ledger.userAccount(id, "CREATOR_DIAMONDS");
    if (demo.coins > 0n) {
      await ledger.post({
        idempotencyKey: `seed:demo-coins:${demo.email}`,
        kind: "ADJUSTMENT",
        metadata: { label: "Demo starting coins" },
        postings: [
          { accountId: issuance.id, amount: -demo.coins },
          { accountId: coins.id, amount: demo.coins },
        ],
      });
    }
  }
  // Both demo creators are live, so "Live now" has something to show and the
  // simulated audience can stage LIVE Matches between them (lib/live/match-sim.ts).
  const { rowCount } = await pool.query(
    `INSERT INTO streams (id, creator_id, title, goal_coins)
     SELECT gen_random_uuid(), u.id, d.title, d.goal FROM users u
       JOIN (VALUES ('creator@demo.coin', 'Cozy evening stream: say hi!', 10000::bigint),
                    ('rival@demo.coin', 'Late-night beats: battle me!', NULL::bigint)) AS d(email, title, goal) ON d.email = u.email
      WHERE NOT EXISTS (SELECT 1 FROM streams s WHERE s.creator_id = u.id)`,
  );
  if (created) log(`Seeded ${created} demo account(s).`);
  if (rowCount) log(`${rowCount === 1 ? "A demo creator is" : "The demo creators are"} live.`);
}
