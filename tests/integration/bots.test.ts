import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, test } from "vitest";
import { GET as streamEvents } from "../../app/api/streams/[id]/events/route";
import { getLedger } from "../../lib/ledger";
import { startAudience, startAudienceFromEnv } from "../../lib/live/bots";
import { getLiveBus, LiveBus } from "../../lib/live/bus";
import { endStream, goLive } from "../../lib/live/streams";
import { currentTreasureBoxes, dropTreasure, getTreasureBox, runTreasureTimers } from "../../lib/live/treasure";
import { startTreasureCrowd, startTreasureDropper } from "../../lib/live/treasure-sim";
import { getPrisma } from "../../lib/db/prisma";
import { getWalletBalances } from "../../lib/ledger/wallets";
import { grant, newUser, reconcileAfterEach } from "./helpers";

/** A seeded generator, so a run is repeatable. */
function mulberry32(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 15_000) {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Opens an SSE connection to the stream; resolves with the first viewer count it is sent. */
async function watchOverSse(streamId: string): Promise<{ viewers: number; close: () => void }> {
  const abort = new AbortController();
  const response = await streamEvents(new Request(`http://localhost/api/streams/${streamId}/events`, { signal: abort.signal }), {
    params: Promise.resolve({ id: streamId }),
  });
  const reader = response.body!.getReader();
  let text = "";
  for (;;) {
    const match = /event: viewers\ndata: (\{.*\})\n/.exec(text);
    if (match) return { viewers: (JSON.parse(match[1]!) as { viewers: number }).viewers, close: () => abort.abort() };
    const { value, done } = await reader.read();
    if (done) throw new Error("the event stream ended before a viewer count");
    text += new TextDecoder().decode(value);
  }
}

const otherBuses: LiveBus[] = [];
afterAll(async () => {
  await Promise.all(otherBuses.map((b) => b.close()));
  await getLiveBus().close();
  delete (globalThis as { liveBus?: unknown }).liveBus;
});

reconcileAfterEach();

describe("the simulated audience", () => {
  test("is off unless SIM_AUDIENCE=on", async () => {
    expect(await startAudienceFromEnv({})).toBeNull();
    expect(await startAudienceFromEnv({ SIM_AUDIENCE: "off" })).toBeNull();
  });

  test("bots buy coins through the payment provider, gift and chat, stop cleanly, and the ledger balances", async () => {
    const host = await newUser("CREATOR", { name: "Bot Host" });
    const stream = await goLive(host, { title: "Bots welcome", goalCoins: null });
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
    const intents = await pool.query(`SELECT status, method, credited_transfer_id FROM payment_intents WHERE user_id = ANY($1::uuid[])`, [botIds]);
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
    const { rows: giftRows } = await pool.query("SELECT COALESCE(SUM(coins), 0)::bigint AS coins FROM live_events WHERE stream_id = $1 AND kind = 'gift'", [
      stream.id,
    ]);
    expect(-byKind.GIFT.coins).toBe(giftRows[0].coins);
  });

  test("the bots in a LIVE count as its viewers on every instance (presence, SSE count, peak) until the stream ends", async () => {
    const creator = await newUser("CREATOR");
    const stream = await goLive(creator, { title: "Bots are viewers", goalCoins: null });
    const pool = getLedger().pool;
    const bus = getLiveBus();
    const logs: string[] = [];
    const audience = await startAudience({
      target: { streamId: stream.id },
      bots: 5,
      giftsPerMinute: 0,
      chatsPerMinute: 0,
      presenceCheckMs: 100,
      log: (m) => logs.push(m),
    });
    try {
      expect(audience.watching).toBe(stream.id);
      expect(bus.localViewers(stream.id)).toBe(5);
      // What this instance reports is what the others add up.
      await until(
        async () =>
          (await pool.query("SELECT viewers FROM live_presence WHERE stream_id = $1 AND instance_id = $2", [stream.id, bus.instanceId])).rows[0]?.viewers === 5,
        "the presence row",
      );
      const other = new LiveBus(process.env.DATABASE_URL!, { heartbeatMs: 100 });
      otherBuses.push(other);
      const leaveOther = other.join(stream.id); // one person watching through another instance
      await other.heartbeat();
      expect(other.viewers(stream.id)).toBe(6);
      await bus.heartbeat();
      // An SSE client here counts itself, the bots and the viewer on the other instance.
      const sse = await watchOverSse(stream.id);
      expect(sse.viewers).toBe(7);
      const peak = async () => (
        await bus.heartbeat(),
        (await pool.query("SELECT peak_viewers FROM streams WHERE id = $1", [stream.id])).rows[0].peak_viewers as number
      );
      await until(async () => (await peak()) === 7, "the peak to include the bots");
      sse.close();
      leaveOther();

      await endStream(creator, stream.id);
      await until(() => audience.watching === null && bus.localViewers(stream.id) === 0, "the bots to leave the ended stream");
      await until(
        async () =>
          (await pool.query("SELECT count(*)::int AS n FROM live_presence WHERE stream_id = $1 AND instance_id = $2", [stream.id, bus.instanceId])).rows[0]
            .n === 0,
        "the presence row to go",
      );
    } finally {
      await audience.stop();
    }
    expect(logs).toEqual([]);
  });

  test("stopping the audience takes its bots out of the viewer count", async () => {
    const creator = await newUser("CREATOR");
    const stream = await goLive(creator, { title: "Bots leave", goalCoins: null });
    const audience = await startAudience({ target: { streamId: stream.id }, bots: 3, giftsPerMinute: 0, chatsPerMinute: 0 });
    expect(getLiveBus().localViewers(stream.id)).toBe(3);
    await audience.stop();
    expect(audience.watching).toBeNull();
    expect(getLiveBus().localViewers(stream.id)).toBe(0);
  });

  test("the crowd joins a person's treasure box in its LIVE during the countdown, and the box pays bots exactly its coins", async () => {
    const host = await newUser("CREATOR");
    const stream = await goLive(host, { title: "Treasure for the crowd", goalCoins: null });
    const audience = await startAudience({ target: { streamId: stream.id }, bots: 3, firstBot: 61, giftsPerMinute: 0, chatsPerMinute: 0 });
    const person = await newUser("VIEWER", { name: "Generous Person" });
    await grant(person, 1_000n);
    const { box } = await dropTreasure(person, { streamId: stream.id, coins: 300n, slots: 2, seconds: 60, clientKey: randomUUID() });
    // A short countdown left (the crowd plans its joins over what remains, leaving the last 8 s to people).
    await getLedger().pool.query("UPDATE treasure_boxes SET opens_at = clock_timestamp() + interval '9 seconds' WHERE id = $1", [box.id]);
    const logs: string[] = [];
    const crowd = startTreasureCrowd({ audience, watchMs: 50, joinShare: 1, random: mulberry32(3), log: (m) => logs.push(m) });
    await until(async () => (await getTreasureBox(box.id))!.entrants === 3, "the bots to join");
    await crowd.stop();
    expect(crowd.count).toBe(3);
    expect(logs).toEqual([]);
    const entrants = await getPrisma().treasureEntry.findMany({ where: { boxId: box.id }, select: { userId: true, joinedAt: true } });
    expect(entrants.map((e) => e.userId).sort()).toEqual(audience.bots.map((b) => b.id).sort());
    // The last seconds are left to people.
    const { opensAt } = (await getTreasureBox(box.id))!;
    for (const e of entrants) expect(Date.parse(opensAt) - e.joinedAt.getTime()).toBeGreaterThan(6_000);

    await getLedger().pool.query("UPDATE treasure_boxes SET opens_at = clock_timestamp() WHERE id = $1", [box.id]);
    expect(await runTreasureTimers()).toBe(1);
    const opened = (await getTreasureBox(box.id))!;
    expect(opened.winners).toHaveLength(2);
    expect(opened.winners.every((w) => audience.bots.some((b) => b.id === w.userId))).toBe(true);
    expect(opened.winners.reduce((sum, w) => sum + BigInt(w.coins), 0n)).toBe(300n);
    expect((await getWalletBalances(person.id)).coins).toBe(700n);
    await audience.stop();
  });

  test("the dropper: a bot drops a box from its own wallet (recharging when short) in the LIVE its audience watches", async () => {
    const host = await newUser("CREATOR");
    const stream = await goLive(host, { title: "Bots drop boxes", goalCoins: null });
    const audience = await startAudience({ target: { streamId: stream.id }, bots: 2, firstBot: 71, giftsPerMinute: 0, chatsPerMinute: 0 });
    const logs: string[] = [];
    const dropper = startTreasureDropper({ audience, gapMs: 60_000, firstMs: 0, random: mulberry32(5), log: (m) => logs.push(m) });
    await until(() => dropper.count === 1, "a bot's box");
    await dropper.stop();
    const boxes = await currentTreasureBoxes(stream.id);
    expect(boxes).toHaveLength(1);
    const [box] = boxes;
    expect(audience.bots.map((b) => b.id)).toContain(box!.dropperId);
    expect(BigInt(box!.coins)).toBeGreaterThanOrEqual(100n);
    expect(BigInt(box!.coins)).toBeLessThanOrEqual(500n);
    expect(box!.slots).toBeGreaterThanOrEqual(2);
    expect(logs).toEqual([`Simulated audience: ${box!.dropperName} dropped a treasure box of ${box!.coins} coins for ${box!.slots} winners.`]);
    await getLedger().pool.query("UPDATE treasure_boxes SET opens_at = clock_timestamp() WHERE id = $1", [box!.id]);
    expect(await runTreasureTimers()).toBe(1);
    expect((await getTreasureBox(box!.id))!.status).toBe("RETURNED");
    await audience.stop();
  });

  test("an audience with nobody live holds no presence", async () => {
    const audience = await startAudience({ target: { creatorEmail: `${randomUUID()}@example.test` }, bots: 2, giftsPerMinute: 0, chatsPerMinute: 0 });
    expect(audience.watching).toBeNull();
    await audience.stop();
  });
});
