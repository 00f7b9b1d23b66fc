import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, test } from "vitest";
import { getLedger } from "../../lib/ledger";
import { getWalletBalances } from "../../lib/ledger/wallets";
import { LiveBus } from "../../lib/live/bus";
import { listLiveEvents, type LiveEvent } from "../../lib/live/events";
import { sendGift } from "../../lib/live/gifting";
import { endStream, goLive, postChat, topGifters } from "../../lib/live/streams";
import { grant, newUser, reconcileAfterEach } from "./helpers";

const buses: LiveBus[] = [];
function listen(streamId: string): Promise<{ events: LiveEvent[]; bus: LiveBus }> {
  const bus = new LiveBus(process.env.DATABASE_URL!);
  buses.push(bus);
  const events: LiveEvent[] = [];
  return bus.subscribe(streamId, (e) => events.push(e)).then(() => ({ events, bus }));
}

reconcileAfterEach();

afterAll(async () => {
  await Promise.all(buses.map((b) => b.close()));
});

async function until(check: () => boolean, timeoutMs = 15_000) {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("live gifting", () => {
  test("a burst of 1,000 gifts from 50 viewers: 1,000 transfers, 1,000 events to each listener, in commit order", async () => {
    const creator = await newUser("CREATOR");
    const stream = await goLive(creator, { title: "Burst test", goalCoins: null });
    const viewers = await Promise.all(Array.from({ length: 50 }, () => newUser()));
    await Promise.all(viewers.map((v) => grant(v, 100n)));
    const listeners = await Promise.all([listen(stream.id), listen(stream.id)]); // two "instances"
    const diamondsBefore = (await getWalletBalances(creator.id)).diamondsMinor;
    await Promise.all(
      viewers.flatMap((viewer) =>
        Array.from({ length: 20 }, (_, i) =>
          sendGift(viewer, { streamId: stream.id, giftId: i % 2 ? "rose" : "finger-heart", clientKey: randomUUID() }, Date.now() + i * 1000),
        ),
      ),
    );
    const { rows } = await getLedger().pool.query("SELECT count(*)::int AS n FROM ledger_transfers WHERE kind = 'GIFT' AND metadata->>'streamId' = $1", [
      stream.id,
    ]);
    expect(rows[0].n).toBe(1000);
    for (const { events } of listeners) {
      await until(() => events.length >= 1000);
      expect(events).toHaveLength(1000);
      const ids = events.map((e) => BigInt(e.id));
      expect(ids).toEqual([...ids].sort((a, b) => (a < b ? -1 : 1)));
      expect(new Set(ids).size).toBe(1000);
    }
    // 50 viewers × (10 Roses + 10 Finger Hearts) = 3,000 coins → 1,500 diamonds.
    expect((await getWalletBalances(creator.id)).diamondsMinor - diamondsBefore).toBe(1_500_000n);
    for (const viewer of viewers) expect((await getWalletBalances(viewer.id)).coins).toBe(40n);
  });

  test("a client that reconnects with Last-Event-ID receives exactly the gap", async () => {
    const creator = await newUser("CREATOR");
    const stream = await goLive(creator, { title: "Replay", goalCoins: 100n });
    const viewer = await newUser();
    await grant(viewer, 50n);
    for (let i = 0; i < 3; i++) await sendGift(viewer, { streamId: stream.id, giftId: "rose", clientKey: randomUUID() }, Date.now() + i * 1000);
    const seen = await listLiveEvents(getLedger().pool, stream.id, "0");
    expect(seen).toHaveLength(3);
    const lastSeen = seen[2]!.id;
    await postChat(viewer, stream.id, "<b>hello</b>");
    for (let i = 0; i < 2; i++) await sendGift(viewer, { streamId: stream.id, giftId: "rosa", clientKey: randomUUID() }, Date.now() + 10_000 + i * 1000);
    const gap = await listLiveEvents(getLedger().pool, stream.id, lastSeen);
    expect(gap.map((e) => [e.kind, e.giftId, e.body])).toEqual([
      ["chat", null, "<b>hello</b>"],
      ["gift", "rosa", null],
      ["gift", "rosa", null],
    ]);
  });

  test("retrying a tap with the same key charges once", async () => {
    const creator = await newUser("CREATOR");
    const stream = await goLive(creator, { title: "Retry", goalCoins: null });
    const viewer = await newUser();
    await grant(viewer, 100n);
    const clientKey = randomUUID();
    const results = await Promise.all([1, 2, 3].map(() => sendGift(viewer, { streamId: stream.id, giftId: "doughnut", clientKey })));
    expect(new Set(results.map((r) => r.transferId)).size).toBe(1);
    expect((await getWalletBalances(viewer.id)).coins).toBe(70n);
    expect(await listLiveEvents(getLedger().pool, stream.id, "0")).toHaveLength(1);
  });

  test.each([
    ["an under-18 viewer", "UNDER_AGE"],
    ["the creator themself", "OWN_STREAM"],
    ["an ended stream", "ENDED"],
    ["an unknown gift", "INVALID"],
    ["not enough coins", "INSUFFICIENT_COINS"],
  ])("refused: %s (%s), nothing charged", async (label, code) => {
    const creator = await newUser("CREATOR");
    const stream = await goLive(creator, { title: "Guards", goalCoins: null });
    const viewer =
      label === "an under-18 viewer" ? await newUser("VIEWER", { birthDate: "2012-05-05" }) : label === "the creator themself" ? creator : await newUser();
    if (label !== "not enough coins") await grant(viewer, 10n);
    if (label === "an ended stream") await endStream(creator, stream.id);
    const giftId = label === "an unknown gift" ? "golden-unicorn" : "rose";
    const error = await sendGift(viewer, { streamId: stream.id, giftId, clientKey: randomUUID() }).catch((e) => e);
    expect(error.code).toBe(code);
    expect((await getWalletBalances(viewer.id)).coins).toBe(label === "not enough coins" ? 0n : 10n);
  });

  test("sends are rate-limited per viewer", async () => {
    const creator = await newUser("CREATOR");
    const stream = await goLive(creator, { title: "Rate", goalCoins: null });
    const viewer = await newUser();
    await grant(viewer, 100n);
    const now = Date.now();
    const results = await Promise.allSettled(
      Array.from({ length: 25 }, () => sendGift(viewer, { streamId: stream.id, giftId: "rose", clientKey: randomUUID() }, now)),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(20);
    expect((await getWalletBalances(viewer.id)).coins).toBe(80n);
  });

  test("top gifters rank by coins and hide viewers who opted out", async () => {
    const creator = await newUser("CREATOR");
    const stream = await goLive(creator, { title: "Ranking", goalCoins: null });
    const [a, b] = await Promise.all([newUser(), newUser()]);
    await Promise.all([grant(a, 100n), grant(b, 100n)]);
    await sendGift(a, { streamId: stream.id, giftId: "rosa", clientKey: randomUUID() });
    await sendGift(b, { streamId: stream.id, giftId: "doughnut", clientKey: randomUUID() });
    await getLedger().pool.query("UPDATE users SET hide_from_rankings = true WHERE id = $1", [b.id]);
    const top = await topGifters({ streamId: stream.id });
    expect(top.map((t) => [t.name, t.coins])).toEqual([
      ["Anonymous supporter", 30n],
      [a.displayName, 10n],
    ]);
  });
});
