// Two app instances on one database: a gift sent through one instance reaches
// Server-Sent-Event viewers connected to the other, and the viewer count is the
// sum of the connections of every live instance.
//
// Each instance is the real production server, `next start` on one shared
// production build (tests/support/next-server.ts makes it when there is none
// or when the sources changed since), started with npm start's environment.
// Gifts go through the route the browser uses (POST /api/streams/<id>/gifts)
// with a session signed in over HTTP; viewers are real fetch streams on the
// SSE route. What crosses instances is NOTIFY and the live_presence table.
import { randomUUID } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import type { UserProfile } from "../../lib/auth/users";
import { getLedger, reconcile } from "../../lib/ledger";
import { getWalletBalances } from "../../lib/ledger/wallets";
import type { LiveEvent } from "../../lib/live/events";
import { answerMatch, getMatch, inviteToMatch } from "../../lib/live/match";
import type { MatchScore, MatchView } from "../../lib/live/match-view";
import { goLive } from "../../lib/live/streams";
import { ensureProductionBuild, prepareDatabase, signIn, startNextServer, type NextServer } from "../support/next-server";
import { openSse, type SseClient } from "../support/sse";
import { grant, newUser, reconcileAfterEach } from "./helpers";

type Instance = NextServer & { instanceId: string };

const HEARTBEAT_MS = 300;

async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 40_000) {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

interface Viewer {
  gifts: LiveEvent[];
  viewers: number[];
  client: SseClient;
}

const clients: SseClient[] = [];
async function watch(instance: Instance, streamId: string): Promise<Viewer> {
  const viewer = { gifts: [], viewers: [] } as unknown as Viewer;
  viewer.client = await openSse(`${instance.url}/api/streams/${streamId}/events`, (m) => {
    if (m.event === "gift") viewer.gifts.push(JSON.parse(m.data) as LiveEvent);
    if (m.event === "viewers") viewer.viewers.push((JSON.parse(m.data) as { viewers: number }).viewers);
  });
  clients.push(viewer.client);
  return viewer;
}

/**
 * Signs a user made by newUser() in (its password is newUser's) once, however
 * many gifts wait for it (parallel sign-ins of one email are slowed down like
 * password guesses); the JWT session works on every instance.
 */
const cookies = new Map<string, Promise<string>>();
function session(user: UserProfile): Promise<string> {
  let cookie = cookies.get(user.id);
  if (!cookie) {
    cookie = signIn(a.url, user.email, "correct-horse-42").then((s) => s.cookie);
    cookies.set(user.id, cookie);
  }
  return cookie;
}

async function giftThrough(instance: Instance, body: { user: UserProfile; streamId: string; giftId: string }) {
  const response = await fetch(`${instance.url}/api/streams/${body.streamId}/gifts`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Cookie: await session(body.user) },
    body: JSON.stringify({ giftId: body.giftId, clientKey: randomUUID() }),
  });
  expect(response.status, (await response.clone().text()).slice(0, 500)).toBe(200);
  return (await response.json()) as { ok: true; transferId: string; balance: string };
}

let a: Instance;
let b: Instance;
async function start(): Promise<Instance> {
  const instanceId = `test_${randomUUID().slice(0, 8)}`;
  const server = await startNextServer({
    databaseUrl: process.env.DATABASE_URL!,
    prepare: false, // done once in beforeAll
    env: { LIVE_INSTANCE_ID: instanceId, LIVE_PRESENCE_HEARTBEAT_MS: String(HEARTBEAT_MS), DB_POOL_SIZE: "4" },
  });
  return Object.assign(server, { instanceId });
}

// Builds first when there is no production build (or it is older than the sources): up to a few minutes.
beforeAll(async () => {
  await Promise.all([ensureProductionBuild(), prepareDatabase(process.env.DATABASE_URL!)]);
  [a, b] = await Promise.all([start(), start()]);
}, 400_000);

reconcileAfterEach();
afterEach(async (context) => {
  for (const client of clients.splice(0)) client.close();
  if (context.task.result?.state === "fail") {
    process.stdout.write(`instance A log:\n${a?.logText()}\ninstance B log:\n${b?.logText()}\n`);
  }
});

afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
});

// Three Next servers share 2 cores with PostgreSQL: generous time limits.
describe("two app instances on one database", { timeout: 120_000 }, () => {
  test("gifts sent through either instance reach every viewer on both, exactly once and in commit order", async () => {
    const creator = await newUser("CREATOR");
    const stream = await goLive(creator, { title: "Two servers", goalCoins: null });
    const [v1, v2] = await Promise.all([newUser(), newUser()]);
    await Promise.all([grant(v1, 100n), grant(v2, 100n)]);
    const onA = await Promise.all([watch(a, stream.id), watch(a, stream.id)]);
    const onB = await Promise.all([watch(b, stream.id), watch(b, stream.id), watch(b, stream.id)]);

    // 15 gifts through A (v1) and 10 through B (v2), concurrently.
    const sent = await Promise.all([
      ...Array.from({ length: 15 }, () => giftThrough(a, { user: v1, streamId: stream.id, giftId: "rose" })),
      ...Array.from({ length: 10 }, () => giftThrough(b, { user: v2, streamId: stream.id, giftId: "finger-heart" })),
    ]);
    expect(new Set(sent.map((s) => s.transferId)).size).toBe(25);

    const { rows } = await getLedger().pool.query("SELECT e.id::text AS id FROM live_events e WHERE e.stream_id = $1 AND e.kind = 'gift' ORDER BY e.id", [
      stream.id,
    ]);
    const committed = rows.map((r) => r.id as string);
    expect(committed).toHaveLength(25);
    for (const viewer of [...onA, ...onB]) {
      await until(() => viewer.gifts.length >= 25, "every gift on every viewer");
      await new Promise((r) => setTimeout(r, 100)); // no late duplicates either
      expect(viewer.gifts.map((g) => g.id)).toEqual(committed);
    }
    const fromB = onA[0]!.gifts.filter((g) => g.userId === v2.id);
    expect(fromB).toHaveLength(10); // sent through B, seen on A
    expect(onB[0]!.gifts.filter((g) => g.userId === v1.id)).toHaveLength(15); // sent through A, seen on B
    expect((await getWalletBalances(v1.id)).coins).toBe(85n);
    expect((await getWalletBalances(v2.id)).coins).toBe(50n);
  });

  test("a LIVE Match across instances: gifts through A move the bar for watchers on B, a watcher joining mid-match gets the scores at once, the match ends once with one result", async () => {
    const [creatorA, creatorB] = await Promise.all([newUser("CREATOR"), newUser("CREATOR")]);
    const [streamA, streamB] = await Promise.all([
      goLive(creatorA, { title: "Match side A", goalCoins: null }),
      goLive(creatorB, { title: "Match side B", goalCoins: null }),
    ]);
    const invitation = await inviteToMatch(creatorA, { opponentId: creatorB.id });
    await answerMatch(creatorB, invitation.id, true);
    const [v1, v2] = await Promise.all([newUser(), newUser()]);
    await Promise.all([grant(v1, 1_000n), grant(v2, 1_000n)]);

    const scoresOnB: MatchScore[] = [];
    const endedOn: Record<string, MatchView[]> = { a: [], b: [] };
    const listen = async (instance: Instance, streamId: string, ended: MatchView[], scores?: MatchScore[]) => {
      const client = await openSse(`${instance.url}/api/streams/${streamId}/events`, (m) => {
        if (m.event === "score") scores?.push(JSON.parse(m.data) as MatchScore);
        if (m.event === "match") {
          const view = JSON.parse((JSON.parse(m.data) as LiveEvent).body!) as MatchView;
          if (view.status === "ENDED") ended.push(view);
        }
      });
      clients.push(client);
    };
    // Watchers of stream B on instance B; gifts to both sides through instance A.
    await listen(b, streamB.id, endedOn.b!, scoresOnB);
    await listen(a, streamA.id, endedOn.a!);
    for (let i = 0; i < 4; i++) await giftThrough(a, { user: v1, streamId: streamA.id, giftId: "rosa" }); // 40 for A
    await giftThrough(a, { user: v2, streamId: streamB.id, giftId: "doughnut" }); // 30 for B
    await until(() => scoresOnB.some((s) => s.a === "40" && s.b === "30"), "the scores on the other instance");
    const versions = scoresOnB.map((s) => BigInt(s.v));
    expect(versions).toEqual([...versions].sort((x, y) => (x < y ? -1 : 1)));

    // Joining mid-match (no Last-Event-ID): the current match and scores at once.
    let snapshot: MatchView | null = null;
    const late = await openSse(`${b.url}/api/streams/${streamA.id}/events`, (m) => {
      if (m.event === "match-state") snapshot = (JSON.parse(m.data) as { match: MatchView | null }).match;
    });
    clients.push(late);
    await until(() => snapshot !== null, "the match snapshot");
    expect(snapshot).toMatchObject({ id: invitation.id, status: "ACTIVE", a: { score: "40" }, b: { score: "30" } });

    // The end instant passes; both instances' timers race to end it: one ending, one result, on both streams.
    await getLedger().pool.query("UPDATE live_matches SET ends_at = clock_timestamp() WHERE id = $1", [invitation.id]);
    await until(() => endedOn.a!.length > 0 && endedOn.b!.length > 0, "the end on both streams");
    await new Promise((r) => setTimeout(r, 600)); // a second ending would have arrived by now
    expect(endedOn.a).toHaveLength(1);
    expect(endedOn.b).toHaveLength(1);
    expect(endedOn.a![0]).toEqual(endedOn.b![0]);
    expect(endedOn.a![0]).toMatchObject({ outcome: "A", a: { score: "40", top: [{ name: v1.displayName, coins: "40" }] }, b: { score: "30" } });
    expect((await getMatch(invitation.id))!.status).toBe("ENDED");
  });

  test("a viewer reconnecting to the other instance with Last-Event-ID gets exactly the gap", async () => {
    const creator = await newUser("CREATOR");
    const stream = await goLive(creator, { title: "Failover", goalCoins: null });
    const viewer = await newUser();
    await grant(viewer, 100n);
    const first = await watch(a, stream.id);
    for (let i = 0; i < 3; i++) await giftThrough(a, { user: viewer, streamId: stream.id, giftId: "rose" });
    await until(() => first.gifts.length === 3, "the first three gifts");
    first.client.close();
    for (let i = 0; i < 2; i++) await giftThrough(a, { user: viewer, streamId: stream.id, giftId: "rosa" });

    const resumed: LiveEvent[] = [];
    const client = await openSse(`${b.url}/api/streams/${stream.id}/events`, (m) => m.event === "gift" && resumed.push(JSON.parse(m.data) as LiveEvent), {
      lastEventId: first.gifts[2]!.id,
    });
    clients.push(client);
    await until(() => resumed.length >= 2, "the two missed gifts");
    await giftThrough(a, { user: viewer, streamId: stream.id, giftId: "doughnut" });
    await until(() => resumed.length >= 3, "the live gift after the replay");
    expect(resumed.map((e) => e.giftId)).toEqual(["rosa", "rosa", "doughnut"]);
  });

  test("an instance that loses its LISTEN connection ends its SSE streams; reconnecting with Last-Event-ID misses nothing", async () => {
    const creator = await newUser("CREATOR");
    const stream = await goLive(creator, { title: "Lost connection", goalCoins: null });
    const viewer = await newUser();
    await grant(viewer, 100n);
    const first = await watch(a, stream.id);
    await giftThrough(b, { user: viewer, streamId: stream.id, giftId: "rose" });
    await until(() => first.gifts.length === 1, "the first gift");

    // The database drops A's LISTEN connection (a failover, a restart, an idle timeout…).
    const { rows } = await getLedger().pool.query("SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE application_name = $1", [
      `live-bus ${a.instanceId}`,
    ]);
    expect(rows).toEqual([{ ok: true }]);
    let ended = false;
    void first.client.done.then(() => (ended = true));
    await until(() => ended, "A ending the stream instead of going silent");

    for (let i = 0; i < 2; i++) await giftThrough(b, { user: viewer, streamId: stream.id, giftId: "rosa" });
    const resumed: LiveEvent[] = [];
    const client = await openSse(`${a.url}/api/streams/${stream.id}/events`, (m) => m.event === "gift" && resumed.push(JSON.parse(m.data) as LiveEvent), {
      lastEventId: first.gifts[0]!.id,
    });
    clients.push(client);
    await until(() => resumed.length >= 2, "the gifts sent while disconnected");
    await giftThrough(b, { user: viewer, streamId: stream.id, giftId: "doughnut" });
    await until(() => resumed.length >= 3, "a live gift after A listens again");
    expect(resumed.map((e) => e.giftId)).toEqual(["rosa", "rosa", "doughnut"]);
  });

  test("the viewer count is the sum over instances, a dead instance's viewers expire, and the peak is kept", async () => {
    const creator = await newUser("CREATOR");
    const stream = await goLive(creator, { title: "Presence", goalCoins: null });
    const c = await start();
    try {
      const onA = await Promise.all([watch(a, stream.id), watch(a, stream.id)]);
      const onB = await watch(b, stream.id);
      const onC = await Promise.all([watch(c, stream.id), watch(c, stream.id), watch(c, stream.id)]);
      for (const viewer of [...onA, onB, ...onC]) await until(() => viewer.viewers.at(-1) === 6, "6 viewers everywhere (2 + 1 + 3)");
      await until(async () => {
        const { rows } = await getLedger().pool.query("SELECT peak_viewers FROM streams WHERE id = $1", [stream.id]);
        return rows[0].peak_viewers === 6;
      }, "peak 6 recorded");

      // A clean leave is reported at once; a crash is noticed when the heartbeat expires.
      onA[1]!.client.close();
      await c.kill();
      await until(() => onB.viewers.at(-1) === 2, "B counting A's one viewer and its own after C died");
      await until(() => onA[0]!.viewers.at(-1) === 2, "A counting B's one viewer and its own");
      const { rows } = await getLedger().pool.query("SELECT peak_viewers FROM streams WHERE id = $1", [stream.id]);
      expect(rows[0].peak_viewers).toBe(6);
    } finally {
      await c.stop();
    }
  });

  test("the gift rate limit holds across instances: a viewer tapping through both gets about one instance's worth, not two", async () => {
    const creator = await newUser("CREATOR");
    const viewer = await newUser();
    const stream = await goLive(creator, { title: "Rate limits", goalCoins: null });
    await grant(viewer, 1_000n);
    const cookie = await session(viewer);
    // 80 taps over two seconds, alternating between the instances: 20 a second
    // on each, 40 a second in all. Each instance alone would accept all of them.
    const tap = async (instance: Instance) => {
      const response = await fetch(`${instance.url}/api/streams/${stream.id}/gifts`, {
        method: "POST",
        headers: { "Content-Type": "application/json", Cookie: cookie },
        body: JSON.stringify({ giftId: "rose", clientKey: randomUUID() }),
      });
      const body = (await response.json()) as { ok: boolean; code?: string };
      return response.status === 200 && body.ok ? "sent" : `${response.status} ${body.code}`;
    };
    const started = Date.now();
    const results: Array<Promise<string>> = [];
    for (let i = 0; i < 80; i++) {
      const due = started + i * 25;
      await new Promise((r) => setTimeout(r, Math.max(0, due - Date.now())));
      results.push(tap(i % 2 ? b : a));
    }
    const outcomes = await Promise.all(results);
    const sent = outcomes.filter((o) => o === "sent").length;
    const seconds = (Date.now() - started) / 1000;
    expect(new Set(outcomes.filter((o) => o !== "sent"))).toEqual(new Set(["429 RATE_LIMITED"]));
    // The limit is 20 a second for the viewer on all instances together; each
    // instance learns the other's count every 100 ms, so a few more may pass.
    expect(sent).toBeGreaterThanOrEqual(Math.floor(20 * Math.min(seconds, 2)) - 2);
    expect(sent).toBeLessThanOrEqual(Math.ceil(20 * seconds) + 12);
    const balances = await getWalletBalances(viewer.id);
    expect(balances.coins).toBe(1_000n - BigInt(sent));
    expect((await reconcile(getLedger().pool)).ok).toBe(true);
  });
});
