// Gifter levels come from the ledger's gift postings (gifter_totals, folded
// with the earnings aggregates); reaching a level writes one `level` event in
// the LIVE where it happened, however many folders run.
import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, test } from "vitest";
import { foldEarnings } from "../../lib/earnings/queries";
import { gifterLevel } from "../../lib/economy/levels";
import { getLedger } from "../../lib/ledger";
import { LiveBus } from "../../lib/live/bus";
import { listLiveEvents } from "../../lib/live/events";
import { sendGift } from "../../lib/live/gifting";
import { findGifterTotalsDrift, getGifterStanding } from "../../lib/live/levels";
import { watchersOf } from "../../lib/live/presence";
import { setHideFromRankings } from "../../lib/live/rankings";
import { goLive, topGifters } from "../../lib/live/streams";
import { grant, newUser, reconcileAfterEach } from "./helpers";

reconcileAfterEach();
afterEach(async () => {
  // Every gift is counted once, folded or pending.
  expect(await findGifterTotalsDrift(getLedger().pool)).toEqual([]);
});

async function liveStream() {
  const creator = await newUser("CREATOR", { name: "Cleo" });
  const stream = await goLive(creator, { title: "Levels", goalCoins: null });
  return { creator, stream };
}

const tap = (viewer: Awaited<ReturnType<typeof newUser>>, streamId: string, giftId: string) => sendGift(viewer, { streamId, giftId, clientKey: randomUUID() });

const levelEvents = async (streamId: string) => (await listLiveEvents(getLedger().pool, streamId, "0")).filter((e) => e.kind === "level");

describe("gifter levels", () => {
  test("gifts past a threshold raise the level once folded: one notice per fold in the LIVE, with the level reached", async () => {
    const { stream } = await liveStream();
    const viewer = await newUser("VIEWER", { name: "Gia" });
    await grant(viewer, 1_000n);
    expect((await getGifterStanding(getLedger().pool, viewer.id)).level).toBe(0);

    await tap(viewer, stream.id, "rose");
    await foldEarnings(getLedger().pool);
    expect((await levelEvents(stream.id)).map((e) => [e.userName, JSON.parse(e.body!).level])).toEqual([["Gia", 1]]);

    // 1 + 5 + 5 = 11 coins: level 7 (9 coins) in one fold, one notice for it.
    await tap(viewer, stream.id, "finger-heart");
    await tap(viewer, stream.id, "finger-heart");
    await foldEarnings(getLedger().pool);
    const events = await levelEvents(stream.id);
    expect(events.map((e) => JSON.parse(e.body!).level)).toEqual([1, 7]);
    expect(events.every((e) => e.userId === viewer.id && e.level === 7)).toBe(true);

    // A gift that stays within the level writes no notice.
    await tap(viewer, stream.id, "rose");
    await foldEarnings(getLedger().pool);
    expect(await levelEvents(stream.id)).toHaveLength(2);

    const standing = await getGifterStanding(getLedger().pool, viewer.id);
    expect(standing).toMatchObject({
      level: 7,
      coins: 12n,
      next: { level: 8, coinsToGo: 1n },
      lastLevelUp: { level: 7, streamId: stream.id, creatorName: "Cleo" },
    });
    // Gift events and the leaderboard show the level beside the name.
    const gifts = (await listLiveEvents(getLedger().pool, stream.id, "0")).filter((e) => e.kind === "gift");
    expect(gifts.map((g) => g.level)).toEqual([7, 7, 7, 7]);
    expect((await topGifters({ streamId: stream.id }))[0]).toMatchObject({ name: "Gia", coins: 12n, level: 7 });
  });

  test("folds racing from several instances write each level-up exactly once", async () => {
    const { stream } = await liveStream();
    const viewers = await Promise.all(Array.from({ length: 6 }, () => newUser()));
    await Promise.all(viewers.map((v) => grant(v, 100n)));
    for (const [i, viewer] of viewers.entries()) for (let n = 0; n <= i; n++) await tap(viewer, stream.id, "rose");
    // Six folders at once (the advisory lock lets one take the pending gifts; the rest find none).
    const folded = await Promise.all(Array.from({ length: 6 }, () => foldEarnings(getLedger().pool)));
    expect(folded.reduce((a, b) => a + b, 0)).toBe(21);
    const events = await levelEvents(stream.id);
    expect(events).toHaveLength(6);
    expect(new Map(events.map((e) => [e.userId, JSON.parse(e.body!).level]))).toEqual(new Map(viewers.map((v, i) => [v.id, gifterLevel(BigInt(i + 1))])));
  });

  test("a viewer who opted out of rankings levels up without being named: no name, no level on their gifts", async () => {
    const { stream } = await liveStream();
    const viewer = await newUser();
    await grant(viewer, 10n);
    await setHideFromRankings(viewer.id, true);
    await tap(viewer, stream.id, "rose");
    await foldEarnings(getLedger().pool);
    const events = await listLiveEvents(getLedger().pool, stream.id, "0");
    const level = events.find((e) => e.kind === "level")!;
    expect(level).toMatchObject({ userName: null, level: null });
    // Keyed like their gift, by the stream's anonymous key, not by their id.
    const gift = events.find((e) => e.kind === "gift")!;
    expect(gift).toMatchObject({ userName: null, level: null });
    expect(level.userId).toMatch(/^anon-[0-9a-f]{16}$/);
    expect(level.userId).toBe(gift.userId);
    // Their own wallet still shows it.
    expect((await getGifterStanding(getLedger().pool, viewer.id)).lastLevelUp?.level).toBe(1);
  });

  test("reconcile finds a gifter total that disagrees with the ledger", async () => {
    const { stream } = await liveStream();
    const viewer = await newUser();
    await grant(viewer, 10n);
    await tap(viewer, stream.id, "finger-heart");
    // Pending (not folded yet) counts too.
    expect(await findGifterTotalsDrift(getLedger().pool)).toEqual([]);
    await foldEarnings(getLedger().pool);
    await getLedger().pool.query("UPDATE gifter_totals SET coins = coins + 1 WHERE user_id = $1", [viewer.id]);
    expect(await findGifterTotalsDrift(getLedger().pool)).toEqual([{ userId: viewer.id, stored: 6n, posted: 5n }]);
    await getLedger().pool.query("UPDATE gifter_totals SET coins = coins - 1 WHERE user_id = $1", [viewer.id]);
  });
});

describe("who is watching", () => {
  test("a signed-in viewer's connection lists them as watching on every instance until it closes", async () => {
    const { stream } = await liveStream();
    const viewer = await newUser();
    const a = new LiveBus(process.env.DATABASE_URL!, { heartbeatMs: 100 });
    const b = new LiveBus(process.env.DATABASE_URL!, { heartbeatMs: 100 });
    try {
      const leaveOne = a.join(stream.id, viewer.id);
      const leaveTwo = b.join(stream.id, viewer.id);
      const anonymous = a.join(stream.id);
      await Promise.all([a.heartbeat(), b.heartbeat()]);
      expect(await watchersOf(getLedger().pool, [stream.id])).toEqual([{ streamId: stream.id, userId: viewer.id }]);
      expect(a.watchingHere(stream.id, viewer.id)).toBe(true);
      // Closing one of two connections keeps them watching; closing both does not.
      leaveOne();
      await a.heartbeat();
      expect(await watchersOf(getLedger().pool, [stream.id])).toHaveLength(1);
      leaveTwo();
      anonymous();
      await b.heartbeat();
      expect(await watchersOf(getLedger().pool, [stream.id])).toEqual([]);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});
