import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, test } from "vitest";
import type { UserProfile } from "../../lib/auth/users";
import { getLedger } from "../../lib/ledger";
import { LiveBus } from "../../lib/live/bus";
import { listLiveEvents, type LiveEvent } from "../../lib/live/events";
import { sendGift } from "../../lib/live/gifting";
import { ANONYMOUS_NAME } from "../../lib/live/periods";
import { getCreatorRankings, getHideFromRankings, setHideFromRankings } from "../../lib/live/rankings";
import { endStream, goLive, postChat, topGifters } from "../../lib/live/streams";
import { grant, newUser, reconcileAfterEach } from "./helpers";

let tick = Date.now();
const gift = (viewer: UserProfile, streamId: string, giftId: string) => sendGift(viewer, { streamId, giftId, clientKey: randomUUID() }, (tick += 1000));

const buses: LiveBus[] = [];
reconcileAfterEach();
afterAll(async () => {
  await Promise.all(buses.map((b) => b.close()));
});

describe("weekly and all-time rankings per creator", () => {
  test("count gifts over all the creator's streams; the week starts on Monday 00:00 UTC", async () => {
    const creator = await newUser("CREATOR");
    const [ann, bob] = await Promise.all([newUser("VIEWER", { name: "Ann" }), newUser("VIEWER", { name: "Bob" })]);
    await Promise.all([grant(ann, 1_000n), grant(bob, 1_000n)]);
    const first = await goLive(creator, { title: "Last week", goalCoins: null });
    await gift(ann, first.id, "hat-and-mustache"); // 99
    await gift(bob, first.id, "doughnut"); // 30
    await endStream(creator, first.id);
    // That stream was last week.
    await getLedger().pool.query("UPDATE live_events SET created_at = created_at - interval '8 days' WHERE stream_id = $1", [first.id]);
    const second = await goLive(creator, { title: "This week", goalCoins: null });
    await gift(bob, second.id, "rosa"); // 10
    await gift(bob, second.id, "perfume"); // 20

    const rankings = await getCreatorRankings(creator.id);
    expect(rankings.thisWeek.map((r) => [r.name, r.coins])).toEqual([["Bob", 30n]]);
    expect(rankings.allTime.map((r) => [r.name, r.coins])).toEqual([
      ["Ann", 99n],
      ["Bob", 60n],
    ]);
    expect(rankings.weekStart.getUTCDay()).toBe(1);
    // Another creator's gifts never count, on either side.
    const other = await newUser("CREATOR");
    const elsewhere = await goLive(other, { title: "Elsewhere", goalCoins: null });
    await gift(ann, elsewhere.id, "rosa"); // 10
    expect((await getCreatorRankings(other.id)).allTime.map((r) => [r.name, r.coins])).toEqual([["Ann", 10n]]);
    expect((await getCreatorRankings(creator.id)).allTime.map((r) => [r.name, r.coins])).toEqual([
      ["Ann", 99n],
      ["Bob", 60n],
    ]);
  });

  test("a viewer who opts out appears as Anonymous everywhere, under a key that is not their user id", async () => {
    const creator = await newUser("CREATOR");
    const [shy, loud] = await Promise.all([newUser("VIEWER", { name: "Shy Sam" }), newUser("VIEWER", { name: "Loud Lou" })]);
    await Promise.all([grant(shy, 1_000n), grant(loud, 1_000n)]);
    const stream = await goLive(creator, { title: "Privacy", goalCoins: null });
    const bus = new LiveBus(process.env.DATABASE_URL!);
    buses.push(bus);
    const heard: LiveEvent[] = [];
    await bus.subscribe(stream.id, (e) => heard.push(e));

    await gift(shy, stream.id, "doughnut");
    expect(await getHideFromRankings(shy.id)).toBe(false);
    await setHideFromRankings(shy.id, true);
    expect(await getHideFromRankings(shy.id)).toBe(true);
    await gift(shy, stream.id, "rosa");
    await gift(loud, stream.id, "rose");
    await postChat(shy, stream.id, "hello!");

    const top = await topGifters({ streamId: stream.id });
    expect(top.map((t) => [t.name, t.coins, t.anonymous])).toEqual([
      [ANONYMOUS_NAME, 40n, true], // the gift sent before opting out is hidden too
      ["Loud Lou", 1n, false],
    ]);
    const anonKey = top[0]!.key;
    expect(anonKey).not.toContain(shy.id);
    expect(top[1]!.key).toBe(loud.id);

    // Live events and the replay use the same key and no name; chat keeps the real id.
    const start = Date.now();
    while (heard.length < 4 && Date.now() - start < 10_000) await new Promise((r) => setTimeout(r, 20));
    const replay = await listLiveEvents(getLedger().pool, stream.id, "0");
    for (const events of [heard.slice(1), replay.slice(1)]) {
      expect(events.map((e) => [e.kind, e.userId, e.userName])).toEqual([
        ["gift", anonKey, null],
        ["gift", loud.id, "Loud Lou"],
        ["chat", shy.id, "Shy Sam"],
      ]);
    }
    expect(replay[0]!.userId).toBe(anonKey); // retroactive
    expect(JSON.stringify([...heard.slice(1), ...replay])).not.toContain(`"gift","userId":"${shy.id}"`);

    // The creator's week and all-time lists too; keyed like the live events when asked for this stream's keys.
    const rankings = await getCreatorRankings(creator.id, { saltStreamId: stream.id });
    expect(rankings.allTime.map((r) => [r.key, r.name])).toEqual([
      [anonKey, ANONYMOUS_NAME],
      [loud.id, "Loud Lou"],
    ]);
    const plain = await getCreatorRankings(creator.id);
    expect(plain.thisWeek[0]!.name).toBe(ANONYMOUS_NAME);
    expect(plain.thisWeek[0]!.key).not.toBe(anonKey);
    expect(plain.thisWeek[0]!.key).not.toContain(shy.id);

    // Another stream of the same creator gives the same viewer another key.
    await endStream(creator, stream.id);
    const next = await goLive(creator, { title: "Privacy 2", goalCoins: null });
    await gift(shy, next.id, "rose");
    const nextTop = await topGifters({ streamId: next.id });
    expect(nextTop[0]!.name).toBe(ANONYMOUS_NAME);
    expect(nextTop[0]!.key).not.toBe(anonKey);
    expect(nextTop[0]!.key).not.toContain(shy.id);

    // Opting back in shows the name again.
    await setHideFromRankings(shy.id, false);
    expect((await topGifters({ streamId: stream.id }))[0]).toMatchObject({ key: shy.id, name: "Shy Sam", anonymous: false });
  });
});
