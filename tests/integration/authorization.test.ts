// The authorisation matrix: every route handler, every page and every server
// action, called as each kind of caller — anonymous, a viewer, another viewer,
// an under-18 viewer, a creator, another creator, an operator — on resources
// that belong to the viewer or the creator. Each row says, for each caller,
// what must happen: only the owner (or the operator where intended) gets
// through; everyone else gets 401/403/404 (or a sign-in redirect, or the
// action's refusal) and nothing in the database changes.
//
// Routes and pages are called over HTTP on the production server (next start)
// with real sessions; actions are called as Next calls them, with the session
// chosen by the test (lib/auth/session mocked, as in earnings.test.ts). The
// first tests fail when a route, a page or an action has no row.
import { randomUUID } from "node:crypto";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import type { UserProfile } from "../../lib/auth/users";
import { getLedger } from "../../lib/ledger";
import { sendGift } from "../../lib/live/gifting";
import { inviteToMatch, setMatchOptIn, withdrawInvitation } from "../../lib/live/match";
import { dropTreasure, runTreasureTimers } from "../../lib/live/treasure";
import { endStream, goLive } from "../../lib/live/streams";
import { createRecharge } from "../../lib/payments/intents";
import { confirmPayment } from "../../lib/payments/provider";
import { requestWithdrawal } from "../../lib/withdrawals/withdrawals";
import { freezeAccount } from "../../lib/fraud/freezes";
import { pages, ROOT, routeHandlers, serverActions } from "../support/app-surface";
import { ensureProductionBuild, prepareDatabase, signIn, startNextServer, type NextServer } from "../support/next-server";
import { grant, newUser, reconcileAfterEach } from "./helpers";
import { session } from "./action-mocks";
import { snapshot } from "./db-snapshot";

vi.mock("../../lib/auth/session", async (importOriginal) => (await import("./action-mocks")).authSession(importOriginal));
vi.mock("next/navigation", async () => (await import("./action-mocks")).navigation());
vi.mock("next/cache", async () => (await import("./action-mocks")).cache());
vi.mock("next-auth", async () => (await import("./action-mocks")).nextAuth());
vi.mock("../../lib/auth/config", async () => (await import("./action-mocks")).authConfig());

const PRINCIPALS = ["anonymous", "viewer", "otherViewer", "teen", "creator", "otherCreator", "operator"] as const;
type Principal = (typeof PRINCIPALS)[number];
type Matrix<T> = Record<Principal, T>;

const PASSWORD = "correct-horse-42";
// No withdrawal falls due while the matrix runs (the server's settler would pay it).
process.env.WITHDRAWAL_REVIEW_DELAY_SECONDS = "86400";

let server: NextServer;
const users = {} as Record<Exclude<Principal, "anonymous">, UserProfile>;
const cookies = {} as Matrix<string>;
let signInTarget: UserProfile;
let signInUser: UserProfile;

const userOf = (who: Principal): UserProfile | null => (who === "anonymous" ? null : users[who]);
/** The creator's LIVE (a new one when a row before ended it). */
const creatorStream = async () => (await goLive(users.creator, { title: "The creator's LIVE", goalCoins: null })).id;
/**
 * A new open payment intent of the viewer. The matrix opens far more checkouts
 * than the per-user rate limit allows in a minute: the viewer's window is
 * cleared first (the limit itself is tested in its own suite).
 */
const viewerIntent = async () => {
  await getLedger().pool.query("DELETE FROM rate_limit_hits WHERE name = 'recharge' AND key = $1", [users.viewer.id]);
  return (await createRecharge(users.viewer, { packageId: "coins-70", platform: "web", currency: "USD", clientKey: `authz-${randomUUID()}` })).id;
};
/** A new paid purchase of the viewer, its coins credited. */
const paidViewerIntent = async () => {
  const id = await viewerIntent();
  await confirmPayment(users.viewer.id, id, { type: "card", number: "4242 4242 4242 4242", expiry: "12/40", cvc: "123", name: "Viewer" });
  return id;
};
/** A new pending withdrawal of the creator (2,000 diamonds, $10, the minimum). */
const creatorWithdrawal = async () =>
  (
    await requestWithdrawal(users.creator, {
      diamonds: 2_000_000n,
      payout: { method: "paypal", email: "creator@example.com" },
      clientKey: `authz-${randomUUID()}`,
    })
  ).withdrawal.id;

/**
 * Closes every open LIVE Match of the creator and the other creator (an
 * invitation is withdrawn, a running match forfeited by ending that LIVE), so
 * no match timer writes while a later row compares the database.
 */
async function closeMatches() {
  const pool = getLedger().pool;
  for (const who of [users.creator, users.otherCreator]) {
    const { rows } = await pool.query(
      `SELECT m.id, m.status, m.creator_a, m.creator_b, m.stream_a, m.stream_b FROM live_match_members mm JOIN live_matches m ON m.id = mm.match_id WHERE mm.creator_id = $1`,
      [who.id],
    );
    for (const m of rows) {
      const inviter = m.creator_a === users.creator.id ? users.creator : users.otherCreator;
      if (m.status === "INVITED") await withdrawInvitation(inviter, m.id);
      else await endStream(who, m.creator_a === who.id ? m.stream_a : m.stream_b);
    }
  }
}
/**
 * Opens every treasure box the rows dropped now, and waits until none is left
 * open, so the server's treasure timer does not pay one while a later row
 * compares the database.
 */
async function openTreasureBoxes() {
  const pool = getLedger().pool;
  await pool.query("UPDATE treasure_boxes SET opens_at = clock_timestamp() WHERE status = 'OPEN'");
  for (let i = 0; i < 100; i++) {
    await runTreasureTimers();
    const { rows } = await pool.query("SELECT COUNT(*)::int AS n FROM treasure_boxes WHERE status = 'OPEN'");
    if (!rows[0].n) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error("Treasure boxes are still open.");
}

/** Both creators LIVE and in no match. */
const matchReady = async () => {
  await closeMatches();
  await goLive(users.creator, { title: "The creator's LIVE", goalCoins: null });
  await goLive(users.otherCreator, { title: "The other creator's LIVE", goalCoins: null });
};
/** An open invitation from the other creator to the creator. */
const invitationToCreator = async () => {
  await matchReady();
  return (await inviteToMatch(users.otherCreator, { opponentId: users.creator.id })).id;
};
/** An open invitation from the creator to the other creator. */
const invitationFromCreator = async () => {
  await matchReady();
  return (await inviteToMatch(users.creator, { opponentId: users.otherCreator.id })).id;
};

/** 150,000 diamonds ($750) for a creator, from gifts in their LIVE (three fans, within the gift rate limit). */
async function giveDiamonds(creator: UserProfile) {
  const stream = (await goLive(creator, { title: "The creator's LIVE", goalCoins: null })).id;
  for (let f = 0; f < 3; f++) {
    const fan = await newUser();
    await grant(fan, 100_000n);
    for (let i = 0; i < 10; i++) await sendGift(fan, { streamId: stream, giftId: "interstellar", clientKey: randomUUID() });
  }
}

beforeAll(async () => {
  await Promise.all([ensureProductionBuild(), prepareDatabase(process.env.DATABASE_URL!)]);
  server = await startNextServer({
    databaseUrl: process.env.DATABASE_URL!,
    prepare: false,
    env: { DB_POOL_SIZE: "4", WITHDRAWAL_REVIEW_DELAY_SECONDS: "86400" },
  });
  [users.viewer, users.otherViewer, users.teen, users.creator, users.otherCreator, users.operator, signInTarget] = await Promise.all([
    newUser("VIEWER"),
    newUser("VIEWER"),
    newUser("VIEWER", { birthDate: "2012-06-01" }),
    newUser("CREATOR"),
    newUser("CREATOR"),
    newUser("OPERATOR"),
    newUser("VIEWER"),
  ]);
  signInUser = await newUser("VIEWER");
  for (const who of ["viewer", "otherViewer", "teen", "otherCreator", "operator", "creator"] as const) await grant(users[who], 10_000n);
  await Promise.all([giveDiamonds(users.creator), giveDiamonds(users.otherCreator)]);
  // The server's earnings folder folds those gifts (and writes their gifter level-ups as live
  // events) on its own time: wait for it, so no row sees the fold's writes as its own.
  for (let i = 0; i < 200; i++) {
    const { rows } = await getLedger().pool.query("SELECT EXISTS (SELECT 1 FROM earnings_pending) AS pending");
    if (!rows[0].pending) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  cookies.anonymous = "";
  for (const who of PRINCIPALS.slice(1) as Array<Exclude<Principal, "anonymous">>) cookies[who] = (await signIn(server.url, users[who].email, PASSWORD)).cookie;
}, 400_000);

reconcileAfterEach();
afterAll(async () => {
  await server?.stop();
});

// ---------------------------------------------------------------------------
// Outcomes

/** What a caller got: through ("ok"), or which refusal. */
type Outcome = "ok" | 400 | 401 | 403 | 404 | "sign-in" | "forbidden" | "refused" | "200 with a not-found page" | "200 with a redirect";

async function http(method: string, pathAndQuery: string, who: Principal, init: { body?: string; type?: string } = {}) {
  const headers: Record<string, string> = {};
  if (cookies[who]) headers.Cookie = cookies[who];
  if (init.type) headers["Content-Type"] = init.type;
  const controller = new AbortController();
  const response = await fetch(`${server.url}${pathAndQuery}`, { method, headers, body: init.body, redirect: "manual", signal: controller.signal });
  const type = response.headers.get("content-type") ?? "";
  const text = type.startsWith("text/event-stream") ? "" : await response.text();
  controller.abort();
  return { status: response.status, location: response.headers.get("location") ?? "", text };
}

/**
 * A page's answer. A refusal made after the page began streaming (inside a
 * loading.tsx boundary) arrives as a 200 carrying the not-found page or a
 * meta-refresh redirect: nothing of the page leaks, but it is not the 404 or
 * the redirect it should be, so it is an outcome of its own here.
 */
function pageOutcome(reply: { status: number; location: string; text: string }): Outcome {
  if (reply.status === 200 && reply.text.includes('id="__next-page-redirect"')) return "200 with a redirect";
  if (reply.status === 200 && /<meta name="robots" content="noindex"\/?>/.test(reply.text)) return "200 with a not-found page";
  if (reply.status === 200) return "ok";
  if (reply.status >= 300 && reply.status < 400) {
    if (reply.location.includes("/sign-in")) return "sign-in";
    if (reply.location.includes("/forbidden")) return "forbidden";
    return "ok"; // a redirect into the app after a success
  }
  if ([400, 401, 403, 404].includes(reply.status)) return reply.status as Outcome;
  throw new Error(`unexpected HTTP ${reply.status}: ${reply.text.slice(0, 300)}`);
}

function routeOutcome(reply: { status: number; location: string; text: string }): Outcome {
  if (reply.status >= 200 && reply.status < 300) return "ok";
  if ([400, 401, 403, 404].includes(reply.status)) return reply.status as Outcome;
  if (reply.status >= 300 && reply.status < 400) return pageOutcome(reply);
  throw new Error(`unexpected HTTP ${reply.status}: ${reply.text.slice(0, 300)}`);
}

async function actionOutcome(run: () => Promise<unknown>): Promise<Outcome> {
  let result: unknown;
  try {
    result = await run();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (message.startsWith("REDIRECT:")) return message.includes("/sign-in") ? "sign-in" : "ok";
    if (message === "NOT_FOUND") return 404;
    throw error;
  }
  if (result === undefined) return "ok";
  const state = result as { ok?: boolean; message?: string };
  if (state.ok) return "ok";
  expect(typeof state.message).toBe("string");
  return "refused";
}

/** Everyone but `allowed` is refused with `refusal`; anonymous callers with `anonymous`. */
function only(allowed: Principal[], refusal: Outcome, anonymous: Outcome = refusal): Matrix<Outcome> {
  return Object.fromEntries(PRINCIPALS.map((who) => [who, allowed.includes(who) ? "ok" : who === "anonymous" ? anonymous : refusal])) as Matrix<Outcome>;
}
const everyone = only([...PRINCIPALS], "ok");
const signedIn = only(PRINCIPALS.slice(1) as Principal[], "refused");

interface Row {
  /** What this row covers: "GET app/api/ping/route.ts", "app/wallet/page.tsx" or "app/actions/live.ts#sendChatAction". */
  covers: string;
  expect: Matrix<Outcome>;
  /** Calls it as `who` (after `setup`, which makes what the call acts on). */
  call: (who: Principal, target: string) => Promise<Outcome>;
  setup?: () => Promise<string>;
  /** Fresh users of each kind for this row (its successes change the caller, e.g. becoming a creator). */
  fresh?: boolean;
  /** Runs once after the row (undoes what would otherwise change the database while later rows run). */
  teardown?: () => Promise<void>;
}

const form = (fields: Record<string, string>) => {
  const data = new FormData();
  for (const [k, v] of Object.entries(fields)) data.set(k, v);
  return data;
};
const action =
  (file: string, name: string) =>
  async (...args: unknown[]) =>
    ((await import(path.join(ROOT, file))) as Record<string, (...a: unknown[]) => Promise<unknown>>)[name]!(...args);
const acting = (file: string, name: string, args: (target: string) => unknown[]) => (who: Principal, target: string) => {
  session.user = userOf(who);
  return actionOutcome(() => action(file, name)(...args(target)));
};
const page = (url: (target: string) => string) => async (who: Principal, target: string) => pageOutcome(await http("GET", url(target), who));

// ---------------------------------------------------------------------------
// The matrix

const ROUTES: Row[] = [
  { covers: "GET app/api/ping/route.ts", expect: everyone, call: async (who) => routeOutcome(await http("GET", "/api/ping", who)) },
  {
    covers: "GET app/api/operator/ledger-stats/route.ts",
    expect: only(["operator"], 403, 401),
    call: async (who) => routeOutcome(await http("GET", "/api/operator/ledger-stats", who)),
  },
  {
    covers: "POST app/api/streams/[id]/gifts/route.ts",
    // Any adult but the stream's own creator may gift; a minor may not.
    expect: { anonymous: 401, viewer: "ok", otherViewer: "ok", teen: 403, creator: 403, otherCreator: "ok", operator: "ok" },
    setup: creatorStream,
    call: async (who, stream) =>
      routeOutcome(
        await http("POST", `/api/streams/${stream}/gifts`, who, {
          type: "application/json",
          body: JSON.stringify({ giftId: "rose", clientKey: randomUUID() }),
        }),
      ),
  },
  {
    covers: "GET app/api/streams/[id]/events/route.ts",
    expect: everyone,
    setup: creatorStream,
    call: async (who, stream) => routeOutcome(await http("GET", `/api/streams/${stream}/events`, who)),
  },
  {
    covers: "POST app/api/payments/webhook/route.ts",
    // Authorised by the provider's signature, never by a session: unsigned, it is refused for everyone.
    expect: only([], 400),
    call: async (who) =>
      routeOutcome(
        await http("POST", "/api/payments/webhook", who, {
          type: "application/json",
          body: JSON.stringify({ id: "evt_AAAAAAAAAA", type: "payment_intent.succeeded", data: { intentId: "pi_AAAAAAAAAAAA" } }),
        }),
      ),
  },
  {
    covers: "GET app/wallet/export/route.ts",
    // Everyone signed in gets their own history; only the viewer's contains the viewer's purchase.
    expect: only(PRINCIPALS.slice(1) as Principal[], 401),
    setup: async () => {
      const intent = await viewerIntent();
      await confirmPayment(users.viewer.id, intent, { type: "paypal" }); // listed once past confirmation
      return intent;
    },
    call: async (who, intent) => {
      const reply = await http("GET", "/wallet/export", who);
      const outcome = routeOutcome(reply);
      if (outcome === "ok") expect(reply.text.includes(intent), `${who}'s export lists the viewer's purchase`).toBe(who === "viewer");
      return outcome;
    },
  },
  {
    covers: "GET app/api/auth/[...nextauth]/route.ts",
    expect: everyone,
    call: async (who) => {
      const reply = await http("GET", "/api/auth/session", who);
      const body = JSON.parse(reply.text || "null") as { user?: { email?: string } } | null;
      expect(body?.user?.email ?? null, "the session is the caller's own").toBe(userOf(who)?.email ?? null);
      return routeOutcome(reply);
    },
  },
  {
    covers: "POST app/api/auth/[...nextauth]/route.ts",
    // Signing in as someone else without their password gives nobody a session.
    expect: only([], "refused"),
    call: async (who) => {
      const csrf = await fetch(`${server.url}/api/auth/csrf`);
      const { csrfToken } = (await csrf.json()) as { csrfToken: string };
      const jar = [cookies[who], ...csrf.headers.getSetCookie().map((c) => c.split(";", 1)[0])].filter(Boolean).join("; ");
      const response = await fetch(`${server.url}/api/auth/callback/credentials`, {
        method: "POST",
        redirect: "manual",
        headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: jar },
        body: new URLSearchParams({ csrfToken, email: signInTarget.email, password: "not-the-password-1", callbackUrl: "/" }),
      });
      await response.arrayBuffer();
      const session = response.headers.getSetCookie().find((c) => c.startsWith("authjs.session-token="));
      expect(response.status).toBeLessThan(500);
      return session && !/authjs\.session-token=;/.test(session) ? "ok" : "refused";
    },
  },
];

const creatorArea = {
  anonymous: "sign-in",
  viewer: 404,
  otherViewer: 404,
  teen: 404,
  creator: "ok",
  otherCreator: "ok",
  operator: "ok",
} satisfies Matrix<Outcome>;

const PAGES: Row[] = [
  { covers: "app/page.tsx", expect: everyone, call: page(() => "/") },
  { covers: "app/live/page.tsx", expect: everyone, call: page(() => "/live") },
  { covers: "app/live/[id]/page.tsx", expect: everyone, setup: creatorStream, call: page((stream) => `/live/${stream}`) },
  { covers: "app/sign-in/page.tsx", expect: everyone, call: page(() => "/sign-in") },
  { covers: "app/sign-up/page.tsx", expect: everyone, call: page(() => "/sign-up") },
  { covers: "app/forbidden/page.tsx", expect: everyone, call: page(() => "/forbidden") },
  { covers: "app/wallet/page.tsx", expect: only(PRINCIPALS.slice(1) as Principal[], "sign-in"), call: page(() => "/wallet") },
  {
    covers: "app/wallet/receipts/[id]/page.tsx",
    expect: only(["viewer"], 404, "sign-in"),
    setup: viewerIntent,
    call: page((intent) => `/wallet/receipts/${intent}`),
  },
  { covers: "app/recharge/page.tsx", expect: only(PRINCIPALS.slice(1) as Principal[], "sign-in"), call: page(() => "/recharge") },
  {
    covers: "app/recharge/checkout/[id]/page.tsx",
    expect: only(["viewer"], 404, "sign-in"),
    setup: viewerIntent,
    call: page((intent) => `/recharge/checkout/${intent}`),
  },
  { covers: "app/become-creator/page.tsx", expect: only(PRINCIPALS.slice(1) as Principal[], "sign-in"), call: page(() => "/become-creator") },
  { covers: "app/creator/page.tsx", expect: only(["creator", "otherCreator"], "forbidden", "sign-in"), call: page(() => "/creator") },
  {
    covers: "app/creator/earnings/(dashboard)/page.tsx",
    // An operator names the creator whose earnings they look at.
    expect: creatorArea,
    call: async (who) => pageOutcome(await http("GET", `/creator/earnings${who === "operator" ? `?creator=${users.creator.id}` : ""}`, who)),
  },
  {
    covers: "app/creator/earnings/streams/[id]/page.tsx",
    expect: { ...creatorArea, otherCreator: 404 },
    setup: creatorStream,
    call: async (who, stream) =>
      pageOutcome(await http("GET", `/creator/earnings/streams/${stream}${who === "operator" ? `?creator=${users.creator.id}` : ""}`, who)),
  },
  { covers: "app/creator/fans/page.tsx", expect: only(["creator", "otherCreator"], "forbidden", "sign-in"), call: page(() => "/creator/fans") },
  { covers: "app/creator/withdrawals/(list)/page.tsx", expect: { ...creatorArea, operator: 404 }, call: page(() => "/creator/withdrawals") },
  {
    covers: "app/creator/withdrawals/[id]/page.tsx",
    expect: { ...creatorArea, otherCreator: 404 },
    setup: creatorWithdrawal,
    call: page((id) => `/creator/withdrawals/${id}`),
  },
  { covers: "app/operator/page.tsx", expect: only(["operator"], "forbidden", "sign-in"), call: page(() => "/operator") },
  { covers: "app/operator/withdrawals/page.tsx", expect: only(["operator"], "forbidden", "sign-in"), call: page(() => "/operator/withdrawals") },
  { covers: "app/operator/transfers/page.tsx", expect: only(["operator"], "forbidden", "sign-in"), call: page(() => "/operator/transfers") },
  { covers: "app/operator/purchases/page.tsx", expect: only(["operator"], "forbidden", "sign-in"), call: page(() => "/operator/purchases") },
  { covers: "app/operator/flags/page.tsx", expect: only(["operator"], "forbidden", "sign-in"), call: page(() => "/operator/flags") },
  { covers: "app/operator/treasure/page.tsx", expect: only(["operator"], "forbidden", "sign-in"), call: page(() => "/operator/treasure") },
  {
    covers: "app/operator/treasure/[boxId]/page.tsx",
    expect: only(["operator"], "forbidden", "sign-in"),
    setup: async () =>
      (await dropTreasure(users.viewer, { streamId: await creatorStream(), coins: 100n, slots: 1, seconds: 60, clientKey: `authz-${randomUUID()}` })).box.id,
    call: page((box) => `/operator/treasure/${box}`),
    teardown: openTreasureBoxes,
  },
  {
    covers: "app/operator/accounts/[userId]/page.tsx",
    expect: only(["operator"], "forbidden", "sign-in"),
    call: page(() => `/operator/accounts/${users.viewer.id}`),
  },
];

const card = { method: "card", number: "4242 4242 4242 4242", expiry: "12/40", cvc: "123", name: "Viewer" };
const streamIsLive = async (id: string) => (await getLedger().pool.query("SELECT status FROM streams WHERE id = $1", [id])).rows[0]?.status === "LIVE";

const ACTIONS: Row[] = [
  {
    covers: "app/actions/auth.ts#signInAction",
    expect: everyone,
    call: acting("app/actions/auth.ts", "signInAction", () => [{}, form({ email: signInUser.email, password: PASSWORD })]),
  },
  {
    covers: "app/actions/auth.ts#signUpAction",
    expect: everyone,
    call: acting("app/actions/auth.ts", "signUpAction", () => [
      {},
      form({ email: `${randomUUID()}@example.test`, displayName: "New one", password: PASSWORD, birthDate: "1990-01-01" }),
    ]),
  },
  { covers: "app/actions/auth.ts#signOutAction", expect: everyone, call: acting("app/actions/auth.ts", "signOutAction", () => []) },
  {
    covers: "app/actions/live.ts#sendChatAction",
    expect: signedIn,
    setup: creatorStream,
    call: acting("app/actions/live.ts", "sendChatAction", (stream) => [stream, {}, form({ message: "hello" })]),
  },
  {
    covers: "app/actions/live.ts#goLiveAction",
    expect: only(["creator", "otherCreator"], "refused"),
    call: acting("app/actions/live.ts", "goLiveAction", () => [{}, form({ title: "Going live", goalCoins: "" })]),
  },
  {
    covers: "app/actions/live.ts#endStreamAction",
    expect: only(["creator", "operator"], "refused"),
    setup: creatorStream,
    call: acting("app/actions/live.ts", "endStreamAction", (stream) => [stream]),
  },
  {
    covers: "app/actions/live.ts#endStreamFormAction",
    expect: only(["creator", "operator"], "refused"),
    setup: creatorStream,
    call: async (who, stream) => {
      session.user = userOf(who);
      await action(
        "app/actions/live.ts",
        "endStreamFormAction",
      )(stream).catch((error: unknown) => {
        if (!(error instanceof Error && error.message.startsWith("REDIRECT:"))) throw error;
      });
      return (await streamIsLive(stream)) ? "refused" : "ok";
    },
  },
  {
    covers: "app/actions/live.ts#saveRankingPrivacyAction",
    expect: signedIn,
    call: acting("app/actions/live.ts", "saveRankingPrivacyAction", () => [{}, form({ hidden: "on" })]),
  },
  {
    covers: "app/actions/recharge.ts#startRecharge",
    expect: { ...signedIn, teen: "refused" },
    call: acting("app/actions/recharge.ts", "startRecharge", () => [
      {},
      form({ packageId: "coins-70", platform: "web", currency: "USD", clientKey: `authz-${randomUUID()}` }),
    ]),
  },
  {
    covers: "app/actions/recharge.ts#payIntent",
    expect: only(["viewer"], "refused"),
    setup: viewerIntent,
    call: acting("app/actions/recharge.ts", "payIntent", (intent) => [intent, {}, form(card)]),
  },
  {
    covers: "app/actions/recharge.ts#answerChallenge",
    expect: only(["viewer"], "refused"),
    setup: async () => {
      const intent = await viewerIntent();
      await confirmPayment(users.viewer.id, intent, { type: "paypal" });
      return intent;
    },
    call: acting("app/actions/recharge.ts", "answerChallenge", (intent) => [intent, true, "/wallet"]),
  },
  {
    covers: "app/actions/recharge.ts#cancelCheckout",
    expect: only(["viewer"], "refused"),
    setup: viewerIntent,
    call: acting("app/actions/recharge.ts", "cancelCheckout", (intent) => [intent]),
  },
  {
    covers: "app/actions/recharge.ts#saveBudget",
    expect: signedIn,
    call: acting("app/actions/recharge.ts", "saveBudget", () => [{}, form({ budget: "5000" })]),
  },
  {
    covers: "app/actions/earnings.ts#requestWithdrawalAction",
    expect: only(["creator", "otherCreator"], "refused"),
    call: acting("app/actions/earnings.ts", "requestWithdrawalAction", () => [
      {},
      form({ diamonds: "2000", method: "paypal", paypalEmail: "me@example.com", clientKey: `authz-${randomUUID()}` }),
    ]),
  },
  {
    covers: "app/actions/earnings.ts#cancelWithdrawalAction",
    expect: only(["creator"], "refused"),
    setup: creatorWithdrawal,
    call: acting("app/actions/earnings.ts", "cancelWithdrawalAction", (id) => [id]),
  },
  {
    covers: "app/actions/operator.ts#runReconciliationAction",
    expect: only(["operator"], "refused"),
    call: acting("app/actions/operator.ts", "runReconciliationAction", () => []),
  },
  {
    covers: "app/actions/earnings.ts#approveWithdrawalAction",
    expect: only(["operator"], "refused"),
    setup: creatorWithdrawal,
    call: acting("app/actions/earnings.ts", "approveWithdrawalAction", (id) => [id]),
  },
  {
    covers: "app/actions/earnings.ts#rejectWithdrawalAction",
    expect: only(["operator"], "refused"),
    setup: creatorWithdrawal,
    call: acting("app/actions/earnings.ts", "rejectWithdrawalAction", (id) => [id, {}, form({ reason: "Not today" })]),
  },
  {
    covers: "app/actions/refunds.ts#refundPurchaseAction",
    // Only an operator refunds; a viewer cannot ask for their own coins back.
    expect: only(["operator"], "refused"),
    setup: paidViewerIntent,
    call: acting("app/actions/refunds.ts", "refundPurchaseAction", (id) => [id, {}, form({ reason: "unauthorised charge" })]),
  },
  {
    covers: "app/actions/fraud.ts#freezeAccountAction",
    expect: only(["operator"], "refused"),
    setup: async () => (await newUser("VIEWER")).id,
    call: acting("app/actions/fraud.ts", "freezeAccountAction", (id) => [id, {}, form({ reason: "Matrix check: card testing" })]),
  },
  {
    covers: "app/actions/fraud.ts#unfreezeAccountAction",
    expect: only(["operator"], "refused"),
    setup: async () => {
      const target = await newUser("VIEWER");
      await freezeAccount(users.operator, target.id, "Matrix check: frozen first");
      return target.id;
    },
    call: acting("app/actions/fraud.ts", "unfreezeAccountAction", (id) => [id, {}, form({ reason: "Matrix check: cleared" })]),
  },
  {
    covers: "app/actions/fraud.ts#dismissFlagAction",
    expect: only(["operator"], "refused"),
    setup: async () => {
      const target = await newUser("VIEWER");
      const { rows } = await getLedger().pool.query(
        `INSERT INTO fraud_flags (id, user_id, rule, evidence) VALUES (gen_random_uuid(), $1, 'MANY_CARDS', '{"distinctCards": 4}') RETURNING id`,
        [target.id],
      );
      return rows[0].id as string;
    },
    call: acting("app/actions/fraud.ts", "dismissFlagAction", (id) => [id, {}, form({ note: "Known family cards" })]),
  },
  {
    covers: "app/actions/match.ts#inviteToMatchAction",
    // Only a creator invites; inviting oneself (the other creator here) is refused.
    expect: only(["creator"], "refused"),
    setup: async () => {
      await matchReady();
      return users.otherCreator.id;
    },
    call: acting("app/actions/match.ts", "inviteToMatchAction", (opponent) => [opponent]),
    teardown: closeMatches,
  },
  {
    covers: "app/actions/match.ts#inviteRandomToMatchAction",
    // Only the other creator accepts random matches: the creator finds them; they find nobody.
    expect: only(["creator"], "refused"),
    setup: async () => {
      await matchReady();
      await setMatchOptIn(users.creator, false);
      await setMatchOptIn(users.otherCreator, true);
      return "";
    },
    call: acting("app/actions/match.ts", "inviteRandomToMatchAction", () => []),
    teardown: closeMatches,
  },
  {
    covers: "app/actions/match.ts#answerMatchAction",
    // Only the invited creator answers; the inviter cannot accept their own invitation.
    expect: only(["creator"], "refused"),
    setup: invitationToCreator,
    call: acting("app/actions/match.ts", "answerMatchAction", (match) => [match, true]),
    teardown: closeMatches,
  },
  {
    covers: "app/actions/match.ts#withdrawMatchInvitationAction",
    // Only the inviter withdraws; the invited creator declines instead.
    expect: only(["creator"], "refused"),
    setup: invitationFromCreator,
    call: acting("app/actions/match.ts", "withdrawMatchInvitationAction", (match) => [match]),
    teardown: closeMatches,
  },
  {
    covers: "app/actions/match.ts#setMatchOptInAction",
    expect: only(["creator", "otherCreator"], "refused"),
    call: acting("app/actions/match.ts", "setMatchOptInAction", () => [true]),
  },
  {
    covers: "app/actions/match.ts#listMatchOpponentsAction",
    expect: only(["creator", "otherCreator"], "refused"),
    call: acting("app/actions/match.ts", "listMatchOpponentsAction", () => []),
  },
  {
    covers: "app/actions/fans.ts#nameFanClubAction",
    // Only a creator names their own club (there is no club of someone else's to name).
    expect: only(["creator", "otherCreator"], "refused"),
    call: acting("app/actions/fans.ts", "nameFanClubAction", () => [{}, form({ name: "Crew" })]),
  },
  {
    covers: "app/actions/treasure.ts#dropTreasureAction",
    // Every signed-in adult with the coins may drop a box, the creator in their own LIVE too; minors may not.
    expect: { ...signedIn, teen: "refused" },
    setup: creatorStream,
    call: acting("app/actions/treasure.ts", "dropTreasureAction", (stream) => [
      stream,
      { coins: "100", slots: "2", seconds: "60", clientKey: `authz-${randomUUID()}` },
    ]),
    teardown: openTreasureBoxes,
  },
  {
    covers: "app/actions/treasure.ts#joinTreasureAction",
    // The viewer dropped the box: everyone else signed in and adult joins it; minors and the dropper cannot.
    expect: { ...signedIn, teen: "refused", viewer: "refused" },
    setup: async () => {
      const streamId = await creatorStream();
      // Everyone is watching the LIVE (as a bus heartbeat lists them), so only the rules decide.
      await getLedger().pool.query(
        `INSERT INTO live_watchers (stream_id, user_id, instance_id, seen_at)
         SELECT $1, u, 'authz', now() + interval '1 hour' FROM unnest($2::uuid[]) AS u ON CONFLICT DO NOTHING`,
        [streamId, Object.values(users).map((u) => u.id)],
      );
      return (await dropTreasure(users.viewer, { streamId, coins: 100n, slots: 2, seconds: 60, clientKey: `authz-${randomUUID()}` })).box.id;
    },
    call: acting("app/actions/treasure.ts", "joinTreasureAction", (box) => [box]),
    teardown: openTreasureBoxes,
  },
  {
    covers: "app/actions/earnings.ts#becomeCreatorAction",
    // Adult viewers turn on creator tools (creators already have them); minors and operators cannot.
    expect: { ...signedIn, teen: "refused", operator: "refused" },
    fresh: true,
    call: acting("app/actions/earnings.ts", "becomeCreatorAction", () => []),
  },
];

// ---------------------------------------------------------------------------

async function run(row: Row): Promise<Matrix<Outcome>> {
  const saved = { ...users };
  if (row.fresh) {
    Object.assign(users, {
      viewer: await newUser("VIEWER"),
      otherViewer: await newUser("VIEWER"),
      teen: await newUser("VIEWER", { birthDate: "2012-06-01" }),
      creator: await newUser("CREATOR"),
      otherCreator: await newUser("CREATOR"),
      operator: await newUser("OPERATOR"),
    });
  }
  const got = {} as Matrix<Outcome>;
  try {
    for (const who of PRINCIPALS) {
      const target = row.setup ? await row.setup() : "";
      const before = await snapshot();
      got[who] = await row.call(who, target);
      if (got[who] !== "ok") expect(await snapshot(), `${row.covers} as ${who} was refused (${got[who]}) yet changed the database`).toEqual(before);
    }
  } finally {
    Object.assign(users, saved);
    session.user = null;
    await row.teardown?.();
  }
  return got;
}

describe("authorisation matrix", () => {
  test("every route handler method, page and server action has a row", async () => {
    const covered = [...ROUTES, ...PAGES, ...ACTIONS].map((row) => row.covers).sort();
    const surface = [
      ...Object.entries(routeHandlers()).flatMap(([file, methods]) => methods.map((m) => `${m} ${file}`)),
      ...pages(),
      ...Object.entries(await serverActions()).flatMap(([file, names]) => names.map((name) => `${file}#${name}`)),
    ].sort();
    expect(covered).toEqual(surface);
  });

  describe("route handlers (HTTP)", () => {
    test.each(ROUTES.map((row) => [row.covers, row] as const))(
      "%s",
      async (_covers, row) => {
        expect(await run(row)).toEqual(row.expect);
      },
      60_000,
    );
  });

  describe("pages (HTTP)", () => {
    test.each(PAGES.map((row) => [row.covers, row] as const))(
      "%s",
      async (_covers, row) => {
        expect(await run(row)).toEqual(row.expect);
      },
      60_000,
    );
  });

  describe("server actions", () => {
    test.each(ACTIONS.map((row) => [row.covers, row] as const))(
      "%s",
      async (_covers, row) => {
        expect(await run(row)).toEqual(row.expect);
      },
      60_000,
    );
  });
});
