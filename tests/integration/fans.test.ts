// Fan clubs: a Heart Me joins (noticed in the fold, exactly once), members earn
// points from gifts (reconciled with the ledger), minutes watched (one per
// minute across instances, capped per day) and chat (capped per day); a
// membership lapses 7 days after the last activity and a Heart Me renews it.
import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, test } from "vitest";
import { foldEarnings } from "../../lib/earnings/queries";
import { FAN_CLUB_RULES, fanLevel } from "../../lib/economy/fans";
import { getLedger } from "../../lib/ledger";
import { LiveBus } from "../../lib/live/bus";
import { listLiveEvents } from "../../lib/live/events";
import { parseFanNoticeBody } from "../../lib/live/fan-body";
import { creditWatchMinutes, findFanPointsDrift, getFanClub, listFanClubMembers, listMyFanClubs, nameFanClub } from "../../lib/live/fans";
import { sendGift } from "../../lib/live/gifting";
import { findGifterTotalsDrift } from "../../lib/live/levels";
import { setHideFromRankings } from "../../lib/live/rankings";
import { goLive, postChat, topGifters } from "../../lib/live/streams";
import { startAudience } from "../../lib/live/bots";
import type { UserProfile } from "../../lib/auth/users";
import { grant, newUser, reconcileAfterEach } from "./helpers";

reconcileAfterEach();
afterEach(async () => {
  expect(await findFanPointsDrift(getLedger().pool)).toEqual([]);
  expect(await findGifterTotalsDrift(getLedger().pool)).toEqual([]);
});

const pool = () => getLedger().pool;

async function liveStream(name = "Cleo") {
  const creator = await newUser("CREATOR", { name });
  const stream = await goLive(creator, { title: "Fans", goalCoins: null });
  return { creator, stream };
}

async function fan(coins = 1_000n, name = `F${randomUUID().slice(0, 4)}`) {
  const viewer = await newUser("VIEWER", { name });
  await grant(viewer, coins);
  return viewer;
}

const tap = (viewer: UserProfile, streamId: string, giftId: string) => sendGift(viewer, { streamId, giftId, clientKey: randomUUID() });

async function member(creatorId: string, userId: string) {
  const { rows } = await pool().query("SELECT * FROM fan_club_members WHERE creator_id = $1 AND user_id = $2", [creatorId, userId]);
  if (!rows[0]) return undefined;
  // Points as text, so expectations read as the stored numbers.
  const row = Object.fromEntries(Object.entries(rows[0] as Record<string, unknown>).map(([k, v]) => [k, typeof v === "bigint" ? String(v) : v]));
  return row as { watch_points: string; chat_points: string; gift_points: string; uncounted_coins: string; last_active_at: Date; joined_at: Date };
}

const fanEvents = async (streamId: string) =>
  (await listLiveEvents(pool(), streamId, "0")).filter((e) => e.kind === "fan").map((e) => ({ user: e.userId, ...parseFanNoticeBody(e.body) }));

/** Moves a membership's last activity back by `days` (and its join, so it is older than that). */
async function age(creatorId: string, userId: string, days: number) {
  await pool().query(
    `UPDATE fan_club_members SET last_active_at = last_active_at - make_interval(days => $3), joined_at = joined_at - make_interval(days => $3)
      WHERE creator_id = $1 AND user_id = $2`,
    [creatorId, userId, days],
  );
}

/** A chat message, each at its own second (the chat rate limit is per second). */
let chatClock = Date.now();
const say = (viewer: UserProfile, streamId: string, text: string) => postChat(viewer, streamId, text, (chatClock += 1_000));

/**
 * A minute in the past, distinct per call so no test claims another's minute.
 * The minutes walk back from an anchor chosen so that all of them fall on one
 * UTC day (the watch cap is per day): a few minutes ago, or, in the first two
 * hours of a UTC day, the last minute of the day before.
 */
const minuteAnchor = (() => {
  const recent = Date.now() - 5 * 60_000;
  const midnight = Math.floor(recent / 86_400_000) * 86_400_000;
  return recent - midnight < 2 * 3_600_000 ? midnight - 60_000 : recent;
})();
let minuteOffset = 0;
const pastMinute = () => new Date(minuteAnchor - ++minuteOffset * 60_000);

describe("joining and gift points", () => {
  test("a Heart Me joins the club once folded; other gifts by non-members do not join; members' gifts add a point per coin", async () => {
    const { creator, stream } = await liveStream();
    const ana = await fan(1_000n, "Ana");
    const ben = await fan(1_000n, "Ben");
    // Ben's Rose before any Heart Me: no club, no membership.
    await tap(ben, stream.id, "rose");
    await tap(ana, stream.id, "finger-heart"); // 5 coins before joining: uncounted
    await foldEarnings(pool());
    expect(await member(creator.id, ben.id)).toBeUndefined();
    expect(await member(creator.id, ana.id)).toBeUndefined();

    // Not folded yet: not a member yet.
    await tap(ana, stream.id, "heart-me");
    expect(await member(creator.id, ana.id)).toBeUndefined();
    await foldEarnings(pool());
    expect(await member(creator.id, ana.id)).toMatchObject({ gift_points: "1", uncounted_coins: "5" });
    expect(await getFanClub(pool(), creator.id)).toMatchObject({ name: "Cleo", named: false, members: 1, activeMembers: 1 });
    expect(await fanEvents(stream.id)).toEqual([{ user: ana.id, type: "join", club: "Cleo", level: 1 }]);

    // A member's gifts add points: 1 per coin (a Rosa is 10).
    await tap(ana, stream.id, "rosa");
    await tap(ana, stream.id, "rosa");
    await tap(ana, stream.id, "rosa");
    await foldEarnings(pool());
    expect(await member(creator.id, ana.id)).toMatchObject({ gift_points: "31" });
    // 31 points crossed the level-2 threshold (30): one notice.
    expect((await fanEvents(stream.id)).at(-1)).toEqual({ user: ana.id, type: "level", club: "Cleo", level: 2 });
    // Ben still not a member; his next Rose does not join either.
    await tap(ben, stream.id, "rose");
    await foldEarnings(pool());
    expect(await member(creator.id, ben.id)).toBeUndefined();

    // The badge shows on her events and on the leaderboards; Ben has none.
    const events = await listLiveEvents(pool(), stream.id, "0");
    expect(events.filter((e) => e.kind === "gift" && e.userId === ana.id).map((e) => e.fan)).toEqual(Array(5).fill({ club: "Cleo", level: 2 }));
    expect(events.filter((e) => e.userId === ben.id).map((e) => [e.kind, e.fan])).toEqual([
      ["gift", null],
      ["level", null],
      ["gift", null],
      ["level", null],
    ]);
    const leaders = await topGifters({ streamId: stream.id });
    expect(leaders.find((l) => l.key === ana.id)?.fan).toEqual({ club: "Cleo", level: 2 });
    expect(leaders.find((l) => l.key === ben.id)?.fan).toBeNull();
    const byCreator = await topGifters({ creatorId: creator.id, since: null });
    expect(byCreator.find((l) => l.key === ana.id)?.fan).toEqual({ club: "Cleo", level: 2 });
  });

  test("gifts named for a stream that does not exist, or of another creator, neither join nor count", async () => {
    const { creator, stream } = await liveStream();
    const { creator: other, stream: otherStream } = await liveStream("Milo");
    const viewer = await fan();
    await tap(viewer, stream.id, "heart-me");
    await tap(viewer, otherStream.id, "rose");
    await foldEarnings(pool());
    expect(await member(creator.id, viewer.id)).toMatchObject({ gift_points: "1" });
    expect(await member(other.id, viewer.id)).toBeUndefined();
    // A GIFT transfer whose metadata names no stream of this creator (as a script might post one).
    const ledger = getLedger();
    const wallet = await ledger.userAccount(viewer.id, "VIEWER_COINS");
    const revenue = await ledger.platformAccount("gift_revenue");
    const issuance = await ledger.platformAccount("diamond_issuance");
    const diamonds = await ledger.userAccount(creator.id, "CREATOR_DIAMONDS");
    await ledger.post({
      idempotencyKey: `test:${randomUUID()}`,
      kind: "GIFT",
      metadata: { giftId: "heart-me", streamId: randomUUID(), creatorId: creator.id },
      postings: [
        { accountId: wallet.id, amount: -1n },
        { accountId: revenue.id, amount: 1n },
        { accountId: issuance.id, amount: -500n },
        { accountId: diamonds.id, amount: 500n },
      ],
    });
    await foldEarnings(pool());
    expect(await member(creator.id, viewer.id)).toMatchObject({ gift_points: "1", uncounted_coins: "0" });
  });

  test("folders racing from several instances join and count each gift once", async () => {
    const { creator, stream } = await liveStream();
    const viewers = await Promise.all(Array.from({ length: 5 }, () => fan()));
    for (const v of viewers) {
      await tap(v, stream.id, "heart-me");
      await tap(v, stream.id, "rose");
    }
    const folded = await Promise.all(Array.from({ length: 4 }, () => foldEarnings(pool())));
    expect(folded.reduce((a, b) => a + b, 0)).toBe(10);
    for (const v of viewers) expect(await member(creator.id, v.id)).toMatchObject({ gift_points: "2", uncounted_coins: "0" });
    expect((await fanEvents(stream.id)).filter((e) => e.type === "join")).toHaveLength(5);
  });
});

describe("minutes watched", () => {
  test("each minute is credited once with two instances racing, only to active members watching their creator's LIVE, capped per day", async () => {
    const { creator, stream } = await liveStream();
    const watcher = await fan();
    const nonMember = await fan();
    await tap(watcher, stream.id, "heart-me");
    await foldEarnings(pool());
    const a = new LiveBus(process.env.DATABASE_URL!, { heartbeatMs: 60_000 });
    const b = new LiveBus(process.env.DATABASE_URL!, { heartbeatMs: 60_000 });
    try {
      a.join(stream.id, watcher.id);
      b.join(stream.id, watcher.id); // watching on two instances is still one viewer
      a.join(stream.id, nonMember.id);
      await Promise.all([a.heartbeat(), b.heartbeat()]);
      // Two instances race for the same minute: one credits, the other finds it claimed.
      const minute = pastMinute();
      const credited = await Promise.all([creditWatchMinutes(pool(), { minute }), creditWatchMinutes(pool(), { minute })]);
      expect(credited.sort()).toEqual([0, 1]);
      expect(await member(creator.id, watcher.id)).toMatchObject({ watch_points: "1" });
      expect(await member(creator.id, nonMember.id)).toBeUndefined();
      // The same minute again (a second past it, a restarted instance): nothing.
      expect(await creditWatchMinutes(pool(), { minute: new Date(minute.getTime() + 1_000) })).toBe(0);

      // Up to the daily cap, then no more points (the minutes still count as activity).
      for (let i = 1; i < FAN_CLUB_RULES.watchMinutesPerDay + 5; i++) await creditWatchMinutes(pool(), { minute: pastMinute() });
      expect(await member(creator.id, watcher.id)).toMatchObject({ watch_points: String(FAN_CLUB_RULES.watchMinutesPerDay) });
      const { rows } = await pool().query("SELECT sum(watch_minutes)::int AS n FROM fan_points_daily WHERE creator_id = $1 AND user_id = $2", [
        creator.id,
        watcher.id,
      ]);
      expect(rows[0].n).toBe(FAN_CLUB_RULES.watchMinutesPerDay);
      // 30 points (29 minutes + the Heart Me) is level 2: one notice, in the LIVE being watched.
      expect((await fanEvents(stream.id)).filter((e) => e.type === "level")).toEqual([{ user: watcher.id, type: "level", club: "Cleo", level: 2 }]);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  test("a lapsed member watching earns nothing and stays lapsed", async () => {
    const { creator, stream } = await liveStream();
    const watcher = await fan();
    await tap(watcher, stream.id, "heart-me");
    await foldEarnings(pool());
    await age(creator.id, watcher.id, FAN_CLUB_RULES.lapseDays + 1);
    const bus = new LiveBus(process.env.DATABASE_URL!, { heartbeatMs: 60_000 });
    try {
      bus.join(stream.id, watcher.id);
      await bus.heartbeat();
      expect(await creditWatchMinutes(pool(), { minute: pastMinute() })).toBe(0);
      expect(await member(creator.id, watcher.id)).toMatchObject({ watch_points: "0" });
    } finally {
      await bus.close();
    }
  });
});

describe("writers at once", () => {
  test("folds, chat and the minutes job running together on the same memberships neither deadlock nor miscount", async () => {
    const { creator, stream } = await liveStream();
    const members = await Promise.all(Array.from({ length: 4 }, () => fan()));
    for (const m of members) await tap(m, stream.id, "heart-me");
    await foldEarnings(pool());
    const bus = new LiveBus(process.env.DATABASE_URL!, { heartbeatMs: 60_000 });
    try {
      for (const m of members) bus.join(stream.id, m.id);
      await bus.heartbeat();
      for (let round = 0; round < 5; round++) {
        await Promise.all([
          ...members.map((m, i) => say(m, stream.id, `round ${round} from ${i}`)),
          ...members.map((m) => tap(m, stream.id, "rose")),
          foldEarnings(pool()),
          creditWatchMinutes(pool(), { minute: pastMinute() }),
          foldEarnings(pool()),
        ]);
      }
      await foldEarnings(pool());
      for (const m of members) expect(await member(creator.id, m.id)).toMatchObject({ gift_points: "6", chat_points: "5", watch_points: "5" });
    } finally {
      await bus.close();
    }
  });
});

describe("chat points", () => {
  test("a member's messages earn a point each up to the daily cap; a non-member's nothing", async () => {
    const { creator, stream } = await liveStream();
    const chatter = await fan();
    const other = await fan();
    await tap(chatter, stream.id, "heart-me");
    await foldEarnings(pool());
    for (let i = 0; i < FAN_CLUB_RULES.chatPointsPerDay + 3; i++) await say(chatter, stream.id, `hello ${i}`);
    await say(other, stream.id, "hi");
    expect(await member(creator.id, chatter.id)).toMatchObject({ chat_points: String(FAN_CLUB_RULES.chatPointsPerDay), gift_points: "1" });
    expect(await member(creator.id, other.id)).toBeUndefined();
    const chats = (await listLiveEvents(pool(), stream.id, "0")).filter((e) => e.kind === "chat");
    expect(chats.filter((e) => e.userId === chatter.id).map((e) => e.fan?.club)).toEqual(Array(FAN_CLUB_RULES.chatPointsPerDay + 3).fill("Cleo"));
    expect(chats.find((e) => e.userId === other.id)?.fan).toBeNull();
  });
});

describe("lapse and renewal", () => {
  test("after 7 days without activity the badge is gone; the wallet says so; a Heart Me renews it with the points kept", async () => {
    const { creator, stream } = await liveStream();
    const viewer = await fan();
    await tap(viewer, stream.id, "heart-me");
    await tap(viewer, stream.id, "rosa");
    await foldEarnings(pool());
    // Six days quiet: a day left, within the warning window.
    await age(creator.id, viewer.id, FAN_CLUB_RULES.lapseDays - 1);
    let [club] = await listMyFanClubs(pool(), viewer.id);
    expect(club).toMatchObject({
      creatorId: creator.id,
      club: "Cleo",
      level: 1,
      points: 11n,
      liveStreamId: stream.id,
      status: { state: "warning", daysLeft: 1 },
    });
    await say(viewer, stream.id, "still here");
    [club] = await listMyFanClubs(pool(), viewer.id);
    expect(club!.status.state).toBe("active");

    await age(creator.id, viewer.id, FAN_CLUB_RULES.lapseDays);
    [club] = await listMyFanClubs(pool(), viewer.id);
    expect(club!.status.state).toBe("lapsed");
    // No badge on new events or the leaderboard; chat while lapsed earns nothing.
    await say(viewer, stream.id, "am I still a fan?");
    const chat = (await listLiveEvents(pool(), stream.id, "0")).filter((e) => e.kind === "chat").at(-1)!;
    expect(chat.fan).toBeNull();
    expect((await topGifters({ streamId: stream.id }))[0]!.fan).toBeNull();
    expect(await member(creator.id, viewer.id)).toMatchObject({ chat_points: "1" });
    // Gifts while lapsed earn no points (they are counted as uncounted coins).
    await tap(viewer, stream.id, "rose");
    await foldEarnings(pool());
    expect(await member(creator.id, viewer.id)).toMatchObject({ gift_points: "11", uncounted_coins: "1" });
    expect((await getFanClub(pool(), creator.id))!.activeMembers).toBe(0);

    // A Heart Me renews it: badge back, points kept, a join notice.
    await tap(viewer, stream.id, "heart-me");
    await foldEarnings(pool());
    expect(await member(creator.id, viewer.id)).toMatchObject({ gift_points: "12", uncounted_coins: "1" });
    [club] = await listMyFanClubs(pool(), viewer.id);
    expect(club!.status.state).toBe("active");
    expect((await fanEvents(stream.id)).at(-1)).toMatchObject({ user: viewer.id, type: "join", level: fanLevel(13n) });
    await say(viewer, stream.id, "back!");
    expect((await listLiveEvents(pool(), stream.id, "0")).filter((e) => e.kind === "chat").at(-1)!.fan).toEqual({ club: "Cleo", level: 1 });
  });
});

describe("the creator's club", () => {
  test("the name the creator sets shows in events' badges; bad names are refused; members are listed most active first", async () => {
    const { creator, stream } = await liveStream();
    await expect(nameFanClub(pool(), creator, "x")).rejects.toThrow(/at least 2/);
    await expect(nameFanClub(pool(), creator, "Cleo Fans")).rejects.toThrow(/letters and digits/);
    await expect(nameFanClub(pool(), creator, "ab\u0000")).rejects.toThrow(/letters and digits/);
    await expect(nameFanClub(pool(), { id: creator.id, role: "VIEWER" }, "Cleo")).rejects.toThrow(/Only creators/);
    expect(await nameFanClub(pool(), creator, "  CleoCrew ")).toBe("CleoCrew");
    expect(await getFanClub(pool(), creator.id)).toMatchObject({ name: "CleoCrew", named: true, members: 0 });

    const first = await fan(1_000n, "First");
    const second = await fan(1_000n, "Second");
    await tap(first, stream.id, "heart-me");
    await foldEarnings(pool());
    await tap(second, stream.id, "heart-me");
    await foldEarnings(pool());
    await say(second, stream.id, "hi");
    expect((await listLiveEvents(pool(), stream.id, "0")).find((e) => e.kind === "chat")!.fan).toEqual({ club: "CleoCrew", level: 1 });
    const members = await listFanClubMembers(pool(), creator.id);
    expect(members.map((m) => [m.name, m.level, m.points, m.today.chatPoints])).toEqual([
      ["Second", 1, 2n, 1],
      ["First", 1, 1n, 0],
    ]);
    // Renaming applies to badges at once (they are read when shown).
    await nameFanClub(pool(), creator, "Crew");
    expect((await listLiveEvents(pool(), stream.id, "0")).find((e) => e.kind === "chat")!.fan).toEqual({ club: "Crew", level: 1 });
  });

  test("a member who opted out of rankings carries no badge and no name on gifts and notices; chat is signed and shows it", async () => {
    const { stream } = await liveStream();
    const viewer = await fan();
    await setHideFromRankings(viewer.id, true);
    await tap(viewer, stream.id, "heart-me");
    await foldEarnings(pool());
    await say(viewer, stream.id, "hi");
    const events = await listLiveEvents(pool(), stream.id, "0");
    // The Heart Me and the join notice: both anonymous.
    expect(events.filter((e) => e.kind === "gift" || e.kind === "fan").map((e) => [e.kind, e.userName, e.fan])).toEqual([
      ["gift", null, null],
      ["fan", null, null],
    ]);
    expect(events.find((e) => e.kind === "chat")!.fan).toMatchObject({ club: "Cleo" });
    expect((await topGifters({ streamId: stream.id }))[0]).toMatchObject({ anonymous: true, fan: null });
  });
});

describe("reconciliation", () => {
  test("the check passes on folded and pending gifts and finds a tampered membership", async () => {
    const { creator, stream } = await liveStream();
    const viewer = await fan();
    await tap(viewer, stream.id, "rose");
    await foldEarnings(pool());
    await tap(viewer, stream.id, "heart-me");
    await foldEarnings(pool());
    await tap(viewer, stream.id, "rosa"); // pending: left out on both sides
    expect(await findFanPointsDrift(pool())).toEqual([]);
    await foldEarnings(pool());
    expect(await findFanPointsDrift(pool())).toEqual([]);
    await pool().query("UPDATE fan_club_members SET gift_points = gift_points + 5 WHERE creator_id = $1 AND user_id = $2", [creator.id, viewer.id]);
    expect(await findFanPointsDrift(pool())).toEqual([{ creatorId: creator.id, userId: viewer.id, giftPoints: 16n, uncountedCoins: 1n, postedCoins: 12n }]);
    await pool().query("UPDATE fan_club_members SET gift_points = gift_points - 5 WHERE creator_id = $1 AND user_id = $2", [creator.id, viewer.id]);
  });
});

describe("the simulated audience", () => {
  test("bots join the fan club with a Heart Me as their first gift", async () => {
    const { creator, stream } = await liveStream("Host");
    const audience = await startAudience({
      target: { streamId: stream.id },
      bots: 3,
      firstBot: 900,
      giftsPerMinute: 1_200,
      chatsPerMinute: 0,
      packageId: "coins-70",
    });
    const started = Date.now();
    while (audience.stats.gifts < 6 && Date.now() - started < 20_000) await new Promise((r) => setTimeout(r, 50));
    await audience.stop();
    await foldEarnings(pool());
    const { rows } = await pool().query(`SELECT DISTINCT e.user_id::text AS user_id FROM live_events e WHERE e.stream_id = $1 AND e.kind = 'gift'`, [
      stream.id,
    ]);
    expect(rows.length).toBeGreaterThan(0);
    // Each member by its Heart Me (a point) at least.
    for (const r of rows) expect(Number((await member(creator.id, r.user_id as string))?.gift_points), r.user_id as string).toBeGreaterThanOrEqual(1);
  });
});
