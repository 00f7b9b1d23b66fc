import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, test } from "vitest";
import { createUser } from "../../lib/auth/users";
import { getLedger, reconcile } from "../../lib/ledger";
import { startAudience, startAudienceFromEnv } from "../../lib/live/bots";
import { goLive } from "../../lib/live/streams";

/** A seeded generator, so a run is repeatable. */
function mulberry32(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

afterEach(async () => {
  const result = await reconcile(getLedger().pool);
  expect(result.drift).toEqual([]);
  expect(result.ok).toBe(true);
});

describe("the simulated audience", () => {
  test("is off unless SIM_AUDIENCE=on", async () => {
    expect(await startAudienceFromEnv({})).toBeNull();
    expect(await startAudienceFromEnv({ SIM_AUDIENCE: "off" })).toBeNull();
  });

  test("bots buy coins through the payment provider, gift and chat, stop cleanly, and the ledger balances", async () => {
    const created = await createUser({ email: `${randomUUID()}@example.test`, displayName: "Bot Host", password: "correct-horse-42", birthDate: "1990-01-01", role: "CREATOR" });
    if (!created.ok) throw new Error(created.message);
    const stream = await goLive(created.user, { title: "Bots welcome", goalCoins: null });
    const logs: string[] = [];
    const audience = await startAudience({
      target: { streamId: stream.id },
      bots: 4,
      giftsPerMinute: 1_200,
      chatsPerMinute: 240,
      packageId: "coins-70", // small packages: every bot has to recharge several times
      random: mulberry32(7),
      log: (m) => logs.push(m),
    });
    const started = Date.now();
    while ((audience.stats.gifts < 40 || audience.stats.chats < 3) && Date.now() - started < 30_000) await new Promise((r) => setTimeout(r, 50));
    await audience.stop();
    const stats = { ...audience.stats };
    expect(logs).toEqual([]);
    expect(stats.gifts).toBeGreaterThanOrEqual(40);
    expect(stats.chats).toBeGreaterThanOrEqual(3);
    expect(stats.recharges).toBeGreaterThanOrEqual(audience.bots.length);

    // Stopped means stopped: nothing more happens.
    const pool = getLedger().pool;
    const count = async () => (await pool.query("SELECT count(*)::int AS n FROM live_events WHERE stream_id = $1", [stream.id])).rows[0].n as number;
    const events = await count();
    await new Promise((r) => setTimeout(r, 600));
    expect(await count()).toBe(events);
    expect(events).toBe(stats.gifts + stats.chats);

    const botIds = audience.bots.map((b) => b.id);
    // Every recharge went through the provider: paid by card, credited by the webhook.
    const intents = await pool.query(
      `SELECT status, method, credited_transfer_id FROM payment_intents WHERE user_id = ANY($1::uuid[])`,
      [botIds],
    );
    expect(intents.rows).toHaveLength(stats.recharges);
    for (const row of intents.rows) {
      expect(row).toMatchObject({ status: "SUCCEEDED", method: "CARD" });
      expect(row.credited_transfer_id).not.toBeNull();
    }
    // Coins came only from recharges (and their bonus) and went only into gifts.
    const { rows } = await pool.query(
      `SELECT t.kind, SUM(p.amount)::bigint AS coins, COUNT(*)::int AS n
         FROM ledger_postings p JOIN ledger_transfers t ON t.id = p.transfer_id JOIN ledger_accounts a ON a.id = p.account_id
        WHERE a.user_id = ANY($1::uuid[]) AND p.asset = 'COIN'
        GROUP BY t.kind ORDER BY t.kind`,
      [botIds],
    );
    const byKind = Object.fromEntries(rows.map((r) => [r.kind, r]));
    expect(Object.keys(byKind).sort()).toEqual(expect.arrayContaining(["GIFT", "RECHARGE"]));
    expect(Object.keys(byKind).every((k) => ["GIFT", "RECHARGE", "BONUS"].includes(k))).toBe(true);
    expect(byKind.RECHARGE.n).toBe(stats.recharges);
    expect(byKind.GIFT.n).toBe(stats.gifts);
    const { rows: giftRows } = await pool.query("SELECT COALESCE(SUM(coins), 0)::bigint AS coins FROM live_events WHERE stream_id = $1 AND kind = 'gift'", [stream.id]);
    expect(-byKind.GIFT.coins).toBe(giftRows[0].coins);
  });
});
