// Treasure boxes against a real PostgreSQL: the drop moves the coins into
// escrow, joining moves nothing, opening pays exactly the box's coins as its
// seed draws them (or gives them back), once, whatever the number of timers
// racing; the age, freeze, own-box, budget and daily rules refuse and change
// nothing. Every test ends with the ledger and the boxes reconciled.
import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, test } from "vitest";
import type { UserProfile } from "../../lib/auth/users";
import { createPool } from "../../lib/db/pool";
import { TREASURE_RULES } from "../../lib/economy";
import { MAX_FAN_LEVEL } from "../../lib/economy/fans";
import { drawTreasure } from "../../lib/economy/treasure-draw";
import { freezeAccount } from "../../lib/fraud/freezes";
import { getLedger } from "../../lib/ledger";
import { getWalletBalances } from "../../lib/ledger/wallets";
import { foldEarnings } from "../../lib/earnings/queries";
import { listLiveEvents } from "../../lib/live/events";
import { getFanClub } from "../../lib/live/fans";
import { sendGift } from "../../lib/live/gifting";
import { endStream, goLive } from "../../lib/live/streams";
import {
  auditTreasureBox,
  currentTreasureBoxes,
  dropTreasure,
  getTreasureBox,
  joinedTreasureBoxes,
  joinTreasure,
  listTreasureBoxes,
  openTreasureEscrow,
  parseTreasureFilter,
  runTreasureTimers,
  seedHash,
  TREASURE_AUDIT_PAGE_SIZE,
  TREASURE_WINNERS_PER_EVENT,
} from "../../lib/live/treasure";
import { checkTreasureBoxes } from "../../lib/live/treasure-reconcile";
import { mergeTreasureBoxes, parseTreasureView, type TreasureView } from "../../lib/live/treasure-view";
import { setMonthlyBudget } from "../../lib/payments/limits";
import { grant, liveRefusal, newUser, reconcileAfterEach } from "./helpers";
import { snapshot } from "./db-snapshot";

const pool = () => getLedger().pool;

reconcileAfterEach();
afterEach(async () => {
  expect(await checkTreasureBoxes(pool())).toEqual([]);
});

async function liveStream() {
  const creator = await newUser("CREATOR");
  const stream = await goLive(creator, { title: "Treasure hunt", goalCoins: null });
  return { creator, stream };
}

async function richViewer(coins = 10_000n, options: Parameters<typeof newUser>[1] = {}) {
  const viewer = await newUser("VIEWER", options);
  if (coins > 0n) await grant(viewer, coins);
  return viewer;
}

/**
 * Lists viewers as watching the stream, as an instance's bus heartbeat does
 * (seen far ahead, so no heartbeat expires them during the test).
 */
async function watching(streamId: string, ...viewers: UserProfile[]) {
  await pool().query(
    `INSERT INTO live_watchers (stream_id, user_id, instance_id, seen_at)
     SELECT $1, u, 'treasure-test', now() + interval '1 hour' FROM unnest($2::uuid[]) AS u ON CONFLICT DO NOTHING`,
    [streamId, viewers.map((v) => v.id)],
  );
}

const coinsOf = async (user: UserProfile) => (await getWalletBalances(user.id)).coins;

async function escrowBalance() {
  return getLedger().getBalance(await openTreasureEscrow(pool()));
}

/** Makes a box due now (the database clock decides). */
async function openNow(boxId: string) {
  await pool().query("UPDATE treasure_boxes SET opens_at = clock_timestamp() WHERE id = $1", [boxId]);
}

const drop = (user: UserProfile, streamId: string, coins = 1_000n, slots = 3, extra: Partial<{ seconds: number; clientKey: string }> = {}) =>
  dropTreasure(user, { streamId, coins, slots, seconds: extra.seconds ?? 60, clientKey: extra.clientKey ?? randomUUID() });

describe("dropping a treasure box", () => {
  test("moves the coins from the dropper's wallet into escrow in one transfer, announces the box, and a retry drops nothing more", async () => {
    const { stream } = await liveStream();
    const dropper = await richViewer(5_000n);
    const escrowBefore = await escrowBalance();
    const key = randomUUID();
    const first = await drop(dropper, stream.id, 1_500n, 4, { clientKey: key });
    expect(first.replayed).toBe(false);
    expect(first.box).toMatchObject({ status: "OPEN", coins: "1500", slots: 4, entrants: 0, dropperId: dropper.id, winners: [] });
    expect(await coinsOf(dropper)).toBe(3_500n);
    expect((await escrowBalance()) - escrowBefore).toBe(1_500n);

    const again = await drop(dropper, stream.id, 1_500n, 4, { clientKey: key });
    expect(again).toMatchObject({ replayed: true, box: { id: first.box.id } });
    expect(await coinsOf(dropper)).toBe(3_500n);

    const transfer = await getLedger().getTransfer({ idempotencyKey: `treasure:drop:${dropper.id}:${key}` });
    expect(transfer).toMatchObject({ kind: "TREASURE_DROP", metadata: { boxId: first.box.id, streamId: stream.id } });
    expect(String(transfer!.metadata.label)).toMatch(/^Treasure box in .*'s LIVE$/);

    const events = (await listLiveEvents(pool(), stream.id, "0")).filter((e) => e.kind === "treasure");
    expect(events).toHaveLength(1);
    expect(parseTreasureView(JSON.parse(events[0]!.body!))).toMatchObject({ id: first.box.id, status: "OPEN", rev: 0 });
    expect((await currentTreasureBoxes(stream.id)).map((b) => b.id)).toEqual([first.box.id]);
  });

  test("the creator may drop in their own LIVE", async () => {
    const { creator, stream } = await liveStream();
    await grant(creator, 1_000n);
    const { box } = await drop(creator, stream.id, 100n, 1);
    expect(box.dropperId).toBe(creator.id);
  });

  test("refusals change nothing: under 18, frozen, too few coins, bad figures, an ended LIVE, daily limits, the monthly budget", async () => {
    const { creator, stream } = await liveStream();
    const teen = await richViewer(5_000n, { birthDate: "2014-01-01" });
    const frozen = await richViewer(5_000n);
    const operator = await newUser("OPERATOR");
    await freezeAccount(operator, frozen.id, "Cards reported stolen by the bank");
    const poor = await richViewer(99n);
    const budgeted = await richViewer(50_000n);
    await setMonthlyBudget(budgeted.id, 1_000n);
    const busy = await richViewer(200_000n);
    const ended = await liveStream();
    await endStream(ended.creator, ended.stream.id);
    void creator;

    const before = await snapshot();
    expect((await liveRefusal(drop(teen, stream.id))).code).toBe("UNDER_AGE");
    expect((await liveRefusal(drop(frozen, stream.id))).code).toBe("FROZEN");
    expect((await liveRefusal(drop(poor, stream.id, 100n, 1))).code).toBe("INSUFFICIENT_COINS");
    expect((await liveRefusal(drop(poor, stream.id, 100n, 1))).message).toBe("You need 100 coins to drop this treasure box. Recharge to continue.");
    expect((await liveRefusal(drop(budgeted, stream.id, 99n))).message).toMatch(/from 100 to 100,000 coins/);
    expect((await liveRefusal(drop(budgeted, stream.id, 100_001n))).code).toBe("INVALID");
    expect((await liveRefusal(drop(budgeted, stream.id, 1_000n, 0))).message).toMatch(/from 1 to 100 winners/);
    expect((await liveRefusal(drop(budgeted, stream.id, 1_000n, 101))).code).toBe("INVALID");
    expect((await liveRefusal(drop(budgeted, stream.id, 1_000n, 1, { seconds: 301 }))).message).toMatch(/countdown/);
    expect((await liveRefusal(drop(budgeted, stream.id, 1_000n, 1, { clientKey: "bad key!" }))).code).toBe("INVALID");
    expect((await liveRefusal(drop(budgeted, ended.stream.id))).code).toBe("ENDED");
    expect((await liveRefusal(drop(budgeted, randomUUID()))).code).toBe("NOT_FOUND");
    expect((await liveRefusal(drop(budgeted, stream.id, 1_001n))).code).toBe("LIMIT");
    expect((await liveRefusal(drop(budgeted, stream.id, 1_001n))).message).toMatch(/monthly budget of 1,000 coins/);
    expect(await snapshot()).toEqual(before);

    // Up to the budget exactly is fine; then nothing more this month.
    await drop(budgeted, stream.id, 1_000n, 1);
    expect((await liveRefusal(drop(budgeted, stream.id, 100n))).code).toBe("LIMIT");

    // The daily coin limit, then the daily box limit.
    await drop(busy, stream.id, 100_000n, 1);
    await drop(busy, stream.id, 100_000n, 1);
    const atLimit = await snapshot();
    expect((await liveRefusal(drop(busy, stream.id, 100n, 1))).message).toMatch(/daily limit of 200,000 coins/);
    expect(await snapshot()).toEqual(atLimit);
    const many = await richViewer(10_000n);
    for (let i = 0; i < TREASURE_RULES.dailyBoxes; i++) await drop(many, stream.id, 100n, 1);
    expect((await liveRefusal(drop(many, stream.id, 100n, 1))).message).toMatch(/at most 20 treasure boxes a day/);
  });

  test("concurrent drops by one viewer hold the daily limit together", async () => {
    const { stream } = await liveStream();
    const viewer = await richViewer(400_000n);
    const results = await Promise.allSettled(Array.from({ length: 4 }, () => drop(viewer, stream.id, 100_000n, 1)));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(2);
    expect(await coinsOf(viewer)).toBe(200_000n);
  });
});

describe("joining and opening", () => {
  test("viewers join while the countdown runs; the box opens once, pays exactly N as the seed draws it, and both histories name the box", async () => {
    const { stream } = await liveStream();
    const dropper = await richViewer(10_000n);
    const viewers = await Promise.all(Array.from({ length: 5 }, () => richViewer(0n)));
    const { box } = await drop(dropper, stream.id, 2_000n, 3);
    // Only viewers watching the LIVE may join.
    expect((await liveRefusal(joinTreasure(viewers[0]!, box.id))).message).toMatch(/^Watch the LIVE to join/);
    await watching(stream.id, ...viewers, dropper);
    for (const v of viewers) expect((await joinTreasure(v, box.id)).joined).toBe(true);
    // Joining twice is joining once.
    expect(await joinTreasure(viewers[0]!, box.id)).toMatchObject({ joined: false, box: { entrants: 5 } });
    expect(await joinedTreasureBoxes(viewers[0]!.id, [box.id])).toEqual([box.id]);
    expect((await liveRefusal(joinTreasure(dropper, box.id))).message).toBe("You dropped this box: it is for your viewers.");

    // Not due yet: the timer leaves it.
    expect(await runTreasureTimers()).toBe(0);
    await openNow(box.id);
    const escrowBefore = await escrowBalance();
    expect(await runTreasureTimers()).toBe(1);
    const opened = (await getTreasureBox(box.id))!;
    expect(opened.status).toBe("OPENED");
    expect(opened.winners).toHaveLength(3);
    expect(opened.winners.reduce((s, w) => s + BigInt(w.coins), 0n)).toBe(2_000n);
    expect((await escrowBalance()) - escrowBefore).toBe(-2_000n);

    // The result is what the stored seed draws from the entrants.
    const audit = (await auditTreasureBox(box.id))!;
    expect(audit.reproduced).toBe(true);
    expect(seedHash(audit.seed!)).toBe(box.seedHash);
    const drawn = drawTreasure(
      audit.seed!,
      viewers.map((v) => v.id),
      2_000n,
      3,
    );
    expect(opened.winners.map((w) => [w.userId, w.coins])).toEqual(drawn.map((d) => [d.userId, String(d.coins)]));

    for (const v of viewers) {
      const won = opened.winners.find((w) => w.userId === v.id);
      expect(await coinsOf(v)).toBe(won ? BigInt(won.coins) : 0n);
    }
    const winner = opened.winners[0]!;
    const wallet = await getLedger().userAccount(winner.userId, "VIEWER_COINS");
    const history = await getLedger().getHistory(wallet.id);
    expect(history.items[0]).toMatchObject({
      kind: "TREASURE_PAYOUT",
      amount: BigInt(winner.coins),
      metadata: { boxId: box.id, label: `Won in ${dropper.displayName}'s treasure box` },
    });
    const dropperWallet = await getLedger().userAccount(dropper.id, "VIEWER_COINS");
    expect((await getLedger().getHistory(dropperWallet.id)).items[0]).toMatchObject({ kind: "TREASURE_DROP", amount: -2_000n, metadata: { boxId: box.id } });

    // Coins won are coins like any other: no second opening, no late join.
    expect(await runTreasureTimers()).toBe(0);
    const late = await richViewer(0n);
    await watching(stream.id, late);
    expect((await liveRefusal(joinTreasure(late, box.id))).message).toBe("This treasure box has already opened.");
    const events = (await listLiveEvents(pool(), stream.id, "0")).filter((e) => e.kind === "treasure").map((e) => parseTreasureView(JSON.parse(e.body!))!);
    expect(events.map((e) => [e.rev, e.status, e.entrants])).toEqual([
      [0, "OPEN", 0],
      [1, "OPEN", 1],
      [2, "OPEN", 2],
      [3, "OPEN", 3],
      [4, "OPEN", 4],
      [5, "OPEN", 5],
      [6, "OPENED", 5],
    ]);
  });

  test("a full box: 100 winners with the longest names and their badges fit in live events, and share exactly 100,000 coins", async () => {
    const { creator, stream } = await liveStream();
    const dropper = await richViewer(100_000n);
    // The longest of everything a NOTIFY carries: a club name of 8 four-byte
    // letters, and 100 adult members with 40-character names in four-byte
    // letters (users made directly, without password hashing).
    const letter = "\u{1D4B2}"; // MATHEMATICAL SCRIPT CAPITAL W, 4 bytes in UTF-8
    await pool().query("INSERT INTO fan_clubs (creator_id, name) VALUES ($1, $2)", [creator.id, letter.repeat(8)]);
    const entrants: UserProfile[] = [];
    for (let i = 0; i < 100; i++) {
      const id = randomUUID();
      const displayName = `${letter.repeat(36)}${String(i).padStart(4, "0")}`;
      await pool().query("INSERT INTO users (id, email, display_name, password_hash, birth_date) VALUES ($1, $2, $3, 'x', '1990-01-01')", [
        id,
        `${id}@example.test`,
        displayName,
      ]);
      await pool().query("INSERT INTO fan_club_members (creator_id, user_id, watch_points) VALUES ($1, $2, 100000)", [creator.id, id]);
      entrants.push({ id, email: `${id}@example.test`, displayName, role: "VIEWER", birthDate: "1990-01-01", isAdult: true });
    }
    await watching(stream.id, ...entrants);
    const { box } = await drop(dropper, stream.id, 100_000n, 100);
    for (const e of entrants) await joinTreasure(e, box.id);
    await openNow(box.id);
    expect(await runTreasureTimers()).toBe(1);
    const opened = (await getTreasureBox(box.id))!;
    expect(opened.winners).toHaveLength(100);
    expect(opened.winners.reduce((sum, w) => sum + BigInt(w.coins), 0n)).toBe(100_000n);
    // The opening went out in parts of TREASURE_WINNERS_PER_EVENT winners (a NOTIFY carries at most 8,000 bytes); a page adds them up.
    const stored = (await listLiveEvents(pool(), stream.id, "0")).filter((e) => e.kind === "treasure");
    const events = stored.map((e) => parseTreasureView(JSON.parse(e.body!))!);
    const parts = events.filter((e) => e.status === "OPENED");
    const count = Math.ceil(100 / TREASURE_WINNERS_PER_EVENT);
    expect(parts.map((p) => p.part)).toEqual(Array.from({ length: count }, (_, index) => ({ index, count })));
    // Each winner shows with the club badge at its top level, in every part.
    expect(parts.flatMap((p) => p.winners.map((w) => w.fan))).toEqual(Array(100).fill({ club: letter.repeat(8), level: MAX_FAN_LEVEL }));
    // The stored event as a NOTIFY sends it (the body escaped inside the event's JSON), with room to spare.
    expect(Math.max(...stored.map((e) => Buffer.byteLength(JSON.stringify(e))))).toBeLessThan(7_500);
    let seen: readonly TreasureView[] = [];
    for (const e of [...events].reverse()) seen = mergeTreasureBoxes(seen, e);
    expect(seen[0]!.winners.map((w) => `${w.userId}:${w.coins}`).sort()).toEqual(opened.winners.map((w) => `${w.userId}:${w.coins}`).sort());
  });

  test("the dropper's and winners' badges in the LIVE (gifter level, fan club) go out with the box and show when the page loads", async () => {
    const { creator, stream } = await liveStream();
    const dropper = await richViewer(1_000n);
    const fanOfCleo = await richViewer(10n);
    const newcomer = await richViewer(0n);
    // The dropper has sent a gift (gifter level 1); the fan joined the club with a Heart Me.
    await sendGift(dropper, { streamId: stream.id, giftId: "rose", clientKey: randomUUID() });
    await sendGift(fanOfCleo, { streamId: stream.id, giftId: "heart-me", clientKey: randomUUID() });
    await foldEarnings(pool());
    const club = (await getFanClub(pool(), creator.id))!.name;
    const { box } = await drop(dropper, stream.id, 500n, 5);
    expect(box.dropperBadges).toEqual({ level: 1, fan: null });
    await watching(stream.id, fanOfCleo, newcomer);
    await joinTreasure(fanOfCleo, box.id);
    await joinTreasure(newcomer, box.id);
    await openNow(box.id);
    await runTreasureTimers();
    const badges = { [fanOfCleo.id]: { level: 1, fan: { club, level: 1 } }, [newcomer.id]: { level: null, fan: null } };
    const announced = (await listLiveEvents(pool(), stream.id, "0")).filter((e) => e.kind === "treasure").map((e) => parseTreasureView(JSON.parse(e.body!))!);
    const [shown] = await currentTreasureBoxes(stream.id);
    for (const opened of [announced.at(-1)!, shown!]) {
      expect(opened.status).toBe("OPENED");
      expect(opened.dropperBadges).toEqual({ level: 1, fan: null });
      expect(Object.fromEntries(opened.winners.map((w) => [w.userId, { level: w.level, fan: w.fan }]))).toEqual(badges);
    }
  });

  test("fewer entrants than slots: every entrant wins, the shares still sum to N", async () => {
    const { stream } = await liveStream();
    const dropper = await richViewer(1_000n);
    const viewers = await Promise.all([richViewer(0n), richViewer(0n)]);
    const { box } = await drop(dropper, stream.id, 101n, 100);
    await watching(stream.id, ...viewers);
    for (const v of viewers) await joinTreasure(v, box.id);
    await openNow(box.id);
    await runTreasureTimers();
    const opened = (await getTreasureBox(box.id))!;
    expect(opened.winners.map((w) => w.userId).sort()).toEqual(viewers.map((v) => v.id).sort());
    expect((await coinsOf(viewers[0]!)) + (await coinsOf(viewers[1]!))).toBe(101n);
  });

  test("nobody joined: the coins go back to the dropper", async () => {
    const { stream } = await liveStream();
    const dropper = await richViewer(1_000n);
    const { box } = await drop(dropper, stream.id, 700n, 2);
    expect(await coinsOf(dropper)).toBe(300n);
    await openNow(box.id);
    expect(await runTreasureTimers()).toBe(1);
    expect(await getTreasureBox(box.id)).toMatchObject({ status: "RETURNED", winners: [] });
    expect(await coinsOf(dropper)).toBe(1_000n);
    const wallet = await getLedger().userAccount(dropper.id, "VIEWER_COINS");
    expect((await getLedger().getHistory(wallet.id)).items[0]).toMatchObject({ kind: "TREASURE_RETURN", amount: 700n, metadata: { boxId: box.id } });
  });

  test("an operator's audit: entrants, the commitment announced at the drop, the seed once opened, and a tampered result or seed found", async () => {
    const { creator, stream } = await liveStream();
    const dropper = await richViewer(5_000n);
    const viewers = [await richViewer(0n), await richViewer(0n), await richViewer(0n)];
    await watching(stream.id, ...viewers);
    const { box } = await drop(dropper, stream.id, 900n, 2);
    for (const v of viewers) await joinTreasure(v, box.id);

    // While it counts down the seed stays secret; the commitment is the hash everyone received.
    const before = (await auditTreasureBox(box.id))!;
    expect(before).toMatchObject({
      seed: null,
      drawn: null,
      reproduced: null,
      seedMatchesCommitment: null,
      creatorName: creator.displayName,
      openTransferId: null,
    });
    expect(before.commitment!.seedHash).toBe(box.seedHash);
    expect(before.entrants.map((e) => e.userId)).toEqual(viewers.map((v) => v.id).sort());
    expect(before.entrants.map((e) => e.name).sort()).toEqual(viewers.map((v) => v.displayName).sort());

    await openNow(box.id);
    expect(await runTreasureTimers()).toBe(1);
    const audit = (await auditTreasureBox(box.id))!;
    expect(audit).toMatchObject({ reproduced: true, seedMatchesCommitment: true });
    expect(audit.openTransferId).not.toBeNull();
    expect(audit.drawn).toEqual(audit.box.winners);
    expect(audit.drawn!.reduce((sum, w) => sum + BigInt(w.coins), 0n)).toBe(900n);

    // A result edited after the payout, or a seed swapped after the drop, is found (and put back for the reconciliation).
    const { rows } = await pool().query("SELECT seed, result FROM treasure_boxes WHERE id = $1", [box.id]);
    const [first, second] = audit.box.winners;
    const edited = [
      { ...first, coins: second!.coins },
      { ...second, coins: first!.coins },
    ];
    if (first!.coins !== second!.coins) {
      await pool().query("UPDATE treasure_boxes SET result = $2::jsonb WHERE id = $1", [box.id, JSON.stringify(edited)]);
      expect(await auditTreasureBox(box.id)).toMatchObject({ reproduced: false, seedMatchesCommitment: true });
    }
    await pool().query("UPDATE treasure_boxes SET result = $2::jsonb, seed = $3 WHERE id = $1", [box.id, JSON.stringify(rows[0].result), "ab".repeat(32)]);
    expect((await auditTreasureBox(box.id))!.seedMatchesCommitment).toBe(false);
    await pool().query("UPDATE treasure_boxes SET seed = $2 WHERE id = $1", [box.id, rows[0].seed]);

    expect(await auditTreasureBox(randomUUID())).toBeNull();
    expect(await auditTreasureBox("not-a-box")).toBeNull();
  });

  test("the operators' list: newest first, by status, a page at a time; a bad filter is refused with its reason", async () => {
    const { stream } = await liveStream();
    // Two droppers: one may drop at most 20 boxes a day.
    const droppers = [await richViewer(5_000n), await richViewer(5_000n)];
    const dropped: TreasureView[] = [];
    for (let i = 0; i < TREASURE_AUDIT_PAGE_SIZE + 2; i++) dropped.push((await drop(droppers[i % 2]!, stream.id, 100n, 1)).box);
    const first = await listTreasureBoxes({ status: "OPEN", before: null });
    expect(first.items.map((i) => i.box.no)).toEqual(
      [...dropped]
        .reverse()
        .slice(0, TREASURE_AUDIT_PAGE_SIZE)
        .map((b) => b.no),
    );
    expect(first.nextBefore).toBe(dropped[2]!.no);
    const second = await listTreasureBoxes({ status: "OPEN", before: BigInt(first.nextBefore!) });
    expect(second.items.slice(0, 2).map((i) => i.box.no)).toEqual([dropped[1]!.no, dropped[0]!.no]);
    expect((await listTreasureBoxes({ status: "OPENED", before: null })).items.some((i) => dropped.some((b) => b.id === i.box.id))).toBe(false);

    expect(parseTreasureFilter({})).toEqual({ ok: true, filter: { status: null, before: null } });
    expect(parseTreasureFilter({ status: "OPENED", before: "12" })).toEqual({ ok: true, filter: { status: "OPENED", before: 12n } });
    expect(parseTreasureFilter({ status: "LOST" })).toEqual({ ok: false, message: "The status must be counting down, opened or returned." });
    expect(parseTreasureFilter({ before: "-1" })).toEqual({ ok: false, message: "The page cursor must be a box number (a whole number)." });
    for (const b of dropped) await openNow(b.id);
    while ((await runTreasureTimers()) > 0);
  });

  test("join rules: under 18, frozen, after the countdown, unknown box; none writes anything", async () => {
    const { stream } = await liveStream();
    const dropper = await richViewer(1_000n);
    const { box } = await drop(dropper, stream.id, 500n, 2);
    const teen = await newUser("VIEWER", { birthDate: "2013-05-05" });
    const frozen = await newUser();
    await freezeAccount(await newUser("OPERATOR"), frozen.id, "Suspicious activity on this account");
    const late = await newUser();
    await watching(stream.id, teen, frozen, late);
    const before = await snapshot();
    expect((await liveRefusal(joinTreasure(teen, box.id))).code).toBe("UNDER_AGE");
    expect((await liveRefusal(joinTreasure(frozen, box.id))).code).toBe("FROZEN");
    expect((await liveRefusal(joinTreasure(late, randomUUID()))).code).toBe("NOT_FOUND");
    expect((await liveRefusal(joinTreasure(late, "not-a-box"))).code).toBe("NOT_FOUND");
    expect(await snapshot()).toEqual(before);
    expect((await getTreasureBox(box.id))!.entrants).toBe(0);
    await openNow(box.id);
    const due = await snapshot();
    expect((await liveRefusal(joinTreasure(late, box.id))).message).toBe("The countdown is over: this box is opening.");
    expect(await snapshot()).toEqual(due);
    await runTreasureTimers();
    // Nobody joined: the coins went back.
    expect(await getTreasureBox(box.id)).toMatchObject({ status: "RETURNED", entrants: 0 });
  });

  test("a box opened concurrently from two instances (two pools, racing timers) pays once", async () => {
    const { stream } = await liveStream();
    const dropper = await richViewer(20_000n);
    const viewers = await Promise.all(Array.from({ length: 12 }, () => richViewer(0n)));
    const boxes = [];
    await watching(stream.id, ...viewers);
    for (let i = 0; i < 4; i++) boxes.push((await drop(dropper, stream.id, 1_000n + BigInt(i), 5)).box);
    for (const box of boxes) for (const v of viewers.slice(0, 3 + 3 * boxes.indexOf(box))) await joinTreasure(v, box.id);
    const other = createPool(process.env.DATABASE_URL!, 4);
    try {
      for (const box of boxes) await openNow(box.id);
      const opened = await Promise.all([runTreasureTimers(), runTreasureTimers(other), runTreasureTimers(), runTreasureTimers(other)]);
      expect(opened.reduce((n, c) => n + c, 0)).toBe(4);
    } finally {
      await other.end();
    }
    const { rows } = await pool().query("SELECT COUNT(*)::int AS n FROM ledger_transfers WHERE idempotency_key = ANY($1::text[])", [
      boxes.map((b) => `treasure:open:${b.id}`),
    ]);
    expect(rows[0].n).toBe(4);
    const paid = await Promise.all(viewers.map(coinsOf));
    expect(paid.reduce((s, c) => s + c, 0n)).toBe(1_000n + 1_001n + 1_002n + 1_003n);
  });

  test("after a restart: a box whose countdown ended while no timer ran opens on the next tick", async () => {
    const { stream } = await liveStream();
    const dropper = await richViewer(1_000n);
    const viewer = await richViewer(0n);
    const { box } = await drop(dropper, stream.id, 400n, 1);
    await watching(stream.id, viewer);
    await joinTreasure(viewer, box.id);
    await pool().query("UPDATE treasure_boxes SET opens_at = clock_timestamp() - interval '1 hour' WHERE id = $1", [box.id]);
    expect(await runTreasureTimers()).toBe(1);
    expect(await coinsOf(viewer)).toBe(400n);
  });

  test("a box in a LIVE that ended still opens and pays; coins won can be dropped again", async () => {
    const { creator, stream } = await liveStream();
    const dropper = await richViewer(1_000n);
    const viewer = await richViewer(0n);
    const { box } = await drop(dropper, stream.id, 300n, 1);
    await watching(stream.id, viewer);
    await joinTreasure(viewer, box.id);
    await endStream(creator, stream.id);
    await openNow(box.id);
    await runTreasureTimers();
    expect(await coinsOf(viewer)).toBe(300n);
    const next = await liveStream();
    const { box: again } = await drop(viewer, next.stream.id, 300n, 1);
    expect(again.coins).toBe("300");
    expect(await coinsOf(viewer)).toBe(0n);
    await openNow(again.id);
    await runTreasureTimers();
  });
});
