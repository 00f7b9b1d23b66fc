import { randomUUID } from "node:crypto";
import { afterAll, afterEach, describe, expect, test } from "vitest";
import type { UserProfile } from "../../lib/auth/users";
import { foldEarnings } from "../../lib/earnings/queries";
import { gifterLevel } from "../../lib/economy/levels";
import { getLedger } from "../../lib/ledger";
import { getWalletBalances } from "../../lib/ledger/wallets";
import { LiveBus } from "../../lib/live/bus";
import { sendGift } from "../../lib/live/gifting";
import { answerMatch, currentMatchOf, getMatch, inviteToMatch, matchHistory, runMatchTimers, setMatchOptIn, withdrawInvitation } from "../../lib/live/match";
import { checkMatchScores } from "../../lib/live/match-reconcile";
import { applyMatchScore, mergeMatch, type MatchScore, type MatchView } from "../../lib/live/match-view";
import { endStream, goLive } from "../../lib/live/streams";
import { grant, liveRefusal, newUser, reconcileAfterEach } from "./helpers";

const pool = () => getLedger().pool;
const buses: LiveBus[] = [];

reconcileAfterEach();
afterEach(async () => {
  expect(await checkMatchScores(pool())).toEqual([]);
});

afterAll(async () => {
  await Promise.all(buses.map((b) => b.close()));
});

async function liveCreator(name = "Creator") {
  const creator = await newUser("CREATOR");
  const stream = await goLive(creator, { title: `${name} battle stream`, goalCoins: null });
  return { creator, stream };
}

// Each gift a second apart on the rate limiter's clock (20 a second per viewer), as in the live tests.
let clock = Date.now();
/** Two live creators in a match that has started. */
async function runningMatch() {
  const a = await liveCreator();
  const b = await liveCreator();
  const m = await inviteToMatch(a.creator, { opponentId: b.creator.id });
  await answerMatch(b.creator, m.id, true);
  return { a, b, m };
}

async function gift(viewer: UserProfile, streamId: string, giftId = "rose") {
  clock += 1000;
  return sendGift(viewer, { streamId, giftId, clientKey: randomUUID() }, clock);
}

/** Moves a running match's end instant to now (the database clock decides when it is over). */
async function endNow(matchId: string) {
  await pool().query("UPDATE live_matches SET ends_at = clock_timestamp() WHERE id = $1", [matchId]);
}

async function until(check: () => boolean | Promise<boolean>, timeoutMs = 10_000) {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > timeoutMs) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("LIVE Match", () => {
  test("invite, accept, gifts on both sides score exactly, the timer ends it once with the winner and the MVPs", async () => {
    const a = await liveCreator("A");
    const b = await liveCreator("B");
    const invited = await inviteToMatch(a.creator, { opponentId: b.creator.id });
    expect(invited.status).toBe("INVITED");
    expect((await currentMatchOf(b.stream.id))?.id).toBe(invited.id);

    const viewers = await Promise.all([newUser(), newUser(), newUser(), newUser()]);
    await Promise.all(viewers.map((v) => grant(v, 10_000n)));
    // Before the match starts, gifts do not score.
    await gift(viewers[0]!, a.stream.id, "perfume");

    const started = await answerMatch(b.creator, invited.id, true);
    expect(started.status).toBe("ACTIVE");
    expect(started.endsAt).not.toBeNull();

    const diamondsBefore = (await getWalletBalances(b.creator.id)).diamondsMinor;
    await Promise.all([
      ...Array.from({ length: 20 }, () => gift(viewers[0]!, a.stream.id)), // 20 × 1
      gift(viewers[1]!, a.stream.id, "doughnut"), // 30
      gift(viewers[2]!, b.stream.id, "perfume"), // 20
      ...Array.from({ length: 5 }, () => gift(viewers[3]!, b.stream.id, "rosa")), // 5 × 10
    ]);
    const running = (await getMatch(invited.id))!;
    expect([running.a.score, running.b.score]).toEqual(["50", "70"]);

    await foldEarnings(getLedger().pool); // the gifters' levels, as the folder would have them by now
    await endNow(invited.id);
    // Several instances' timers at once: the match ends once.
    const closed = await Promise.all([runMatchTimers(), runMatchTimers(), runMatchTimers()]);
    expect(closed.reduce((n, c) => n + c, 0)).toBe(1);
    const ended = (await getMatch(invited.id))!;
    expect(ended.status).toBe("ENDED");
    expect(ended.outcome).toBe("B");
    expect(ended.b.top.map((t) => t.coins)).toEqual(["50", "20"]);
    expect(ended.a.top.map((t) => t.coins)).toEqual(["30", "20"]);
    expect(ended.b.top[0]!.name).toBe(viewers[3]!.displayName);
    // Each MVP row carries the gifter's level (lifetime coins: 50 and 20).
    expect(ended.b.top.map((t) => t.level)).toEqual([gifterLevel(50n), gifterLevel(20n)]);

    // After the end, gifts are ordinary gifts: diamonds as usual, no score.
    await gift(viewers[2]!, b.stream.id, "perfume");
    expect((await getMatch(invited.id))!.b.score).toBe("70");
    const diamondsAfter = (await getWalletBalances(b.creator.id)).diamondsMinor;
    expect(diamondsAfter - diamondsBefore).toBe(((70n + 20n) * 1000n) / 2n);

    const history = await matchHistory(b.creator.id);
    expect(history[0]).toMatchObject({
      id: invited.id,
      result: "WON",
      myScore: 70n,
      theirScore: 50n,
      opponentName: a.creator.displayName,
      diamondsMinor: 35_000n,
    });
    expect((await matchHistory(a.creator.id))[0]).toMatchObject({ result: "LOST", myScore: 50n, theirScore: 70n });
  });

  test("a gift that reaches the match after its end instant does not score, even before the timer ends it", async () => {
    const { a, b, m } = await runningMatch();
    const viewer = await newUser();
    await grant(viewer, 1_000n);
    await gift(viewer, a.stream.id, "rosa");
    await endNow(m.id);
    await gift(viewer, a.stream.id, "rosa");
    await gift(viewer, b.stream.id, "rosa");
    expect(await checkMatchScores(pool())).toEqual([]);
    await runMatchTimers();
    const ended = (await getMatch(m.id))!;
    expect([ended.a.score, ended.b.score, ended.outcome]).toEqual(["10", "0", "A"]);
  });

  test("gifts straddling the end: each scores if and only if it reached the match before the end, and the stored score equals the ledger's gifts in the window", async () => {
    const { a, b, m } = await runningMatch();
    const viewers = await Promise.all(Array.from({ length: 8 }, () => newUser()));
    await Promise.all(viewers.map((v) => grant(v, 5_000n)));
    const streamOf = (i: number) => (i % 2 ? a.stream.id : b.stream.id);
    // A first gift from each while the match runs (however slow the machine), then the end comes
    // 300 ms from now while they keep sending until well after it.
    await Promise.all(viewers.map((v, i) => gift(v, streamOf(i))));
    await pool().query("UPDATE live_matches SET ends_at = clock_timestamp() + interval '300 milliseconds' WHERE id = $1", [m.id]);
    const timers = setInterval(() => void runMatchTimers(), 50);
    try {
      const deadline = Date.now() + 1_000;
      await Promise.all(
        viewers.map(async (v, i) => {
          while (Date.now() < deadline) await gift(v, streamOf(i));
        }),
      );
      await until(async () => (await getMatch(m.id))!.status === "ENDED");
    } finally {
      clearInterval(timers);
    }
    const ended = (await getMatch(m.id))!;
    // Gifts were sent before and after the end; only those inside the window count, exactly.
    const { rows } = await pool().query(
      `SELECT COUNT(*)::int AS n FROM live_events e, live_matches m
        WHERE m.id = $1 AND e.kind = 'gift' AND e.stream_id IN (m.stream_a, m.stream_b)
          AND e.id > LEAST(m.start_event_a, m.start_event_b)`,
      [m.id],
    );
    expect(BigInt(ended.a.score) + BigInt(ended.b.score)).toBeLessThan(BigInt(rows[0].n));
    expect(BigInt(ended.a.score) + BigInt(ended.b.score)).toBeGreaterThanOrEqual(BigInt(viewers.length));
    expect(await checkMatchScores(pool())).toEqual([]);
  });

  test("one match at a time; two creators inviting each other make one match; declines, withdrawals and lapses free both", async () => {
    const a = await liveCreator();
    const b = await liveCreator();
    const c = await liveCreator();
    const ab = await inviteToMatch(a.creator, { opponentId: b.creator.id });
    expect((await liveRefusal(inviteToMatch(c.creator, { opponentId: b.creator.id }))).code).toBe("CONFLICT");
    expect((await liveRefusal(inviteToMatch(a.creator, { opponentId: c.creator.id }))).code).toBe("CONFLICT");
    // B invites A back: that accepts A's invitation.
    const mutual = await inviteToMatch(b.creator, { opponentId: a.creator.id });
    expect(mutual.id).toBe(ab.id);
    expect(mutual.status).toBe("ACTIVE");

    // Both at once, from scratch: one match.
    const d = await liveCreator();
    const e = await liveCreator();
    const both = await Promise.allSettled([inviteToMatch(d.creator, { opponentId: e.creator.id }), inviteToMatch(e.creator, { opponentId: d.creator.id })]);
    const made = both.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
    expect(made.length).toBe(2);
    expect(new Set(made.map((m) => m.id)).size).toBe(1);
    expect(made.some((m) => m.status === "ACTIVE")).toBe(true);

    const cd = await liveCreator();
    const declined = await inviteToMatch(c.creator, { opponentId: cd.creator.id });
    expect((await answerMatch(cd.creator, declined.id, false)).status).toBe("DECLINED");
    const withdrawn = await inviteToMatch(c.creator, { opponentId: cd.creator.id });
    expect((await withdrawInvitation(c.creator, withdrawn.id)).status).toBe("CANCELLED");
    const lapsing = await inviteToMatch(c.creator, { opponentId: cd.creator.id });
    await pool().query("UPDATE live_matches SET expires_at = clock_timestamp() WHERE id = $1", [lapsing.id]);
    expect((await liveRefusal(answerMatch(cd.creator, lapsing.id, true))).message).toMatch(/expired/);
    expect((await getMatch(lapsing.id))!.status).toBe("EXPIRED");
    // Only the invited creator answers; only the inviter withdraws.
    const open = await inviteToMatch(c.creator, { opponentId: cd.creator.id });
    expect((await liveRefusal(answerMatch(c.creator, open.id, true))).code).toBe("NOT_FOUND");
    expect((await liveRefusal(withdrawInvitation(cd.creator, open.id))).code).toBe("NOT_FOUND");
  });

  test("random opponents come from live creators who opted in and are free", async () => {
    const a = await liveCreator();
    await pool().query("UPDATE users SET match_opt_in = false");
    expect((await liveRefusal(inviteToMatch(a.creator, { random: true }))).code).toBe("CONFLICT");
    const b = await liveCreator();
    await setMatchOptIn(b.creator, true);
    const m = await inviteToMatch(a.creator, { random: true });
    expect(m.b.creatorId).toBe(b.creator.id);
    expect(m.random).toBe(true);
  });

  test("a creator who ends their LIVE during a match forfeits it; an open invitation is withdrawn", async () => {
    const { a, b, m } = await runningMatch();
    const viewer = await newUser();
    await grant(viewer, 1_000n);
    await gift(viewer, b.stream.id, "rose");
    await gift(viewer, a.stream.id, "rosa");
    await endStream(a.creator, a.stream.id);
    const ended = (await getMatch(m.id))!;
    expect([ended.status, ended.outcome, ended.forfeitedBy]).toEqual(["ENDED", "B", "A"]);

    const c = await liveCreator();
    const d = await liveCreator();
    const invite = await inviteToMatch(c.creator, { opponentId: d.creator.id });
    await endStream(d.creator, d.stream.id);
    expect((await getMatch(invite.id))!.status).toBe("CANCELLED");
    expect((await liveRefusal(inviteToMatch(c.creator, { opponentId: d.creator.id }))).code).toBe("NOT_FOUND");
  });

  test("score updates reach listeners of both streams on another bus (another instance) in version order", async () => {
    const { a, b, m } = await runningMatch();
    const bus = new LiveBus(process.env.DATABASE_URL!, { coalesceMs: 0 });
    buses.push(bus);
    const heard: Record<string, MatchScore[]> = { a: [], b: [] };
    await bus.subscribeBatches(
      a.stream.id,
      () => undefined,
      undefined,
      (s) => heard.a!.push(s),
    );
    await bus.subscribeBatches(
      b.stream.id,
      () => undefined,
      undefined,
      (s) => heard.b!.push(s),
    );
    const viewer = await newUser();
    await grant(viewer, 1_000n);
    for (let i = 0; i < 5; i++) await gift(viewer, i % 2 ? a.stream.id : b.stream.id, "rose");
    await until(() => heard.a!.at(-1)?.v === "5" && heard.b!.at(-1)?.v === "5");
    for (const list of Object.values(heard)) {
      const versions = list.map((s) => BigInt(s.v));
      expect(versions).toEqual([...versions].sort((x, y) => (x < y ? -1 : 1)));
      expect(list.at(-1)).toMatchObject({ match: m.id, a: "2", b: "3" });
    }
    // A page fed these in any order, duplicated, never shows a lower score than it has.
    let view: MatchView | null = (await getMatch(m.id))!;
    view = { ...view, scoreVersion: "0", a: { ...view.a, score: "0" }, b: { ...view.b, score: "0" } };
    for (const s of [...heard.a!].reverse().concat(heard.b!)) view = applyMatchScore(view, s);
    expect([view!.a.score, view!.b.score, view!.scoreVersion]).toEqual(["2", "3", "5"]);
    expect(mergeMatch(view, { ...view!, scoreVersion: "1", a: { ...view!.a, score: "0" } })!.a.score).toBe("2");
  });
});
