// Property-based fuzzing of every route handler (app/**/route.ts) and of the
// pages that read ids or query parameters, over HTTP on the real production
// server (next start): whatever a client sends — wrong types, numbers past
// every range, NaN/Infinity, NUL bytes, control characters, unpaired
// surrogates, 1 MB bodies, ids that are not UUIDs, cursors and event ids past
// the bigint range, missing and extra fields — the answer is never a 5xx; a
// refusal from a JSON route is a JSON error with a message; nothing is written.
// Seeded (FUZZ_SEED, FUZZ_RUNS override): a failure report names the seed and
// the shrunk counterexample.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { UserProfile } from "../../lib/auth/users";
import { goLive } from "../../lib/live/streams";
import { signPayload } from "../../lib/payments/signature";
import { ensureProductionBuild, prepareDatabase, signIn, startNextServer, type NextServer } from "../support/next-server";
import { routeHandlers } from "../support/app-surface";
import { fuzzParameters, hostileJson, hostileObject, hostileString } from "../support/hostile";
import { newUser, reconcileAfterEach } from "./helpers";
import { snapshot } from "./db-snapshot";

let server: NextServer;
let viewer: UserProfile;
let creator: UserProfile;
let viewerCookie: string;
let creatorCookie: string;
let streamId: string;

beforeAll(async () => {
  await Promise.all([ensureProductionBuild(), prepareDatabase(process.env.DATABASE_URL!)]);
  // Rate limits stay on: a 429 is one of the refusals a fuzzer may meet.
  server = await startNextServer({
    databaseUrl: process.env.DATABASE_URL!,
    prepare: false,
    env: { DB_POOL_SIZE: "4", PAYMENT_WEBHOOK_SECRET: "fuzz-webhook-secret" },
  });
  creator = await newUser("CREATOR");
  streamId = (await goLive(creator, { title: "Fuzz target", goalCoins: null })).id;
  viewer = await newUser(); // no coins: even a well-formed gift is refused (402), so nothing can be written
  [viewerCookie, creatorCookie] = [
    (await signIn(server.url, viewer.email, "correct-horse-42")).cookie,
    (await signIn(server.url, creator.email, "correct-horse-42")).cookie,
  ];
}, 400_000);

reconcileAfterEach();
afterAll(async () => {
  await server?.stop();
});

/** A header value fetch can send (a ByteString without CR, LF or NUL) made from a hostile string. */
const headerSafe = (value: string) => value.replace(/[^\x20-\x7e\x80-\xff\t]/g, "?").slice(0, 4_000);
/**
 * A query value from a hostile string, percent-encoded as UTF-8; a lone
 * surrogate (which has no UTF-8 form) goes as its WTF-8 bytes, i.e. invalid
 * UTF-8 on the wire, as a hostile client may send it.
 */
function queryValue(value: string): string {
  const text = value.slice(0, 300);
  const encoded = text.replace(/[\ud800-\udbff][\udc00-\udfff]|[\s\S]/g, (unit) => {
    const code = unit.charCodeAt(0);
    if (unit.length === 1 && code >= 0xd800 && code <= 0xdfff) {
      return [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)].map((b) => `%${b.toString(16).toUpperCase()}`).join("");
    }
    return encodeURIComponent(unit);
  });
  return encoded || "%20";
}

/**
 * A path segment from a hostile string. Lone surrogates go as U+FFFD: invalid
 * UTF-8 in a dynamic path segment is refused by the production server before
 * Next sees it (scripts/server.mjs; Next itself would answer 500), tested below.
 */
const segment = (value: string) => encodeURIComponent(value.slice(0, 300).toWellFormed()) || "%20";

const idArbitrary = () =>
  fc.oneof({ weight: 1, arbitrary: fc.constant(streamId) }, { weight: 1, arbitrary: fc.uuid() }, { weight: 4, arbitrary: hostileString });

interface Reply {
  status: number;
  type: string;
  text: string;
}

async function send(pathAndQuery: string, init: RequestInit & { headers?: Record<string, string> } = {}): Promise<Reply> {
  const controller = new AbortController();
  const response = await fetch(`${server.url}${pathAndQuery}`, { redirect: "manual", ...init, signal: controller.signal });
  const type = response.headers.get("content-type") ?? "";
  if (type.startsWith("text/event-stream")) {
    controller.abort(); // an SSE connection opened: that is an answer; do not wait for it to end
    return { status: response.status, type, text: "" };
  }
  return { status: response.status, type, text: await response.text() };
}

/** Never a 5xx; a JSON refusal carries a message for people. */
function expectHandled(reply: Reply, what: string, { json = true }: { json?: boolean } = {}) {
  const context = `${what} → ${reply.status} ${reply.text.slice(0, 300)}\n${server.logText().split("\n").slice(-15).join("\n")}`;
  expect(reply.status, context).toBeLessThan(500);
  // 404 (Next's own page), 414 and 431 (Node refusing an oversized URL or header) come before any of the app's code.
  if (json && reply.status >= 400 && ![404, 414, 431].includes(reply.status)) {
    expect(reply.type, context).toMatch(/^application\/json/);
    const body = JSON.parse(reply.text) as { error?: unknown };
    expect(typeof body.error, context).toBe("string");
    expect((body.error as string).length, context).toBeGreaterThan(5);
  }
}

/** Runs `property` and checks that none of its requests wrote anything. */
async function fuzz<T>(arbitrary: fc.Arbitrary<T>, runs: number, property: (value: T) => Promise<void>) {
  const before = await snapshot();
  await fc.assert(fc.asyncProperty(arbitrary, property), fuzzParameters(runs));
  expect(await snapshot()).toEqual(before);
}

const GIFT_TAP = { giftId: fc.constantFrom("rose", "lion", "yacht", ""), clientKey: fc.constantFrom("abcdefgh12", "k".repeat(64), "short") };

/** What a gift request carries: JSON of any shape, a streak, a form, plain junk or a 1 MB body. */
const giftBody = fc.oneof(
  { weight: 4, arbitrary: hostileObject(GIFT_TAP).map((o) => ({ type: "application/json", body: JSON.stringify(o) })) },
  { weight: 2, arbitrary: fc.array(hostileObject(GIFT_TAP), { maxLength: 60 }).map((taps) => ({ type: "application/json", body: JSON.stringify({ taps }) })) },
  { weight: 1, arbitrary: hostileJson.map((value) => ({ type: "application/json", body: JSON.stringify(value) ?? "" })) },
  { weight: 1, arbitrary: hostileString.map((body) => ({ type: "application/json", body })) },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom("text/plain", "application/x-www-form-urlencoded", "", "application/json; charset=utf-16")
      .map((type) => ({ type, body: "giftId=rose" })),
  },
  { weight: 1, arbitrary: fc.constant({ type: "application/json", body: JSON.stringify({ giftId: "rose", clientKey: "x".repeat(1_000_000) }) }) },
);

/** Route handlers, by file, with the fuzz that covers each method they export. */
const ROUTE_FUZZ: Record<string, Record<string, () => Promise<void>>> = {
  "app/api/streams/[id]/gifts/route.ts": {
    POST: () =>
      fuzz(fc.tuple(idArbitrary(), giftBody), 200, async ([id, { type, body }]) => {
        const headers: Record<string, string> = { Cookie: viewerCookie };
        if (type) headers["Content-Type"] = type;
        expectHandled(
          await send(`/api/streams/${segment(id)}/gifts`, { method: "POST", headers, body }),
          `POST gifts ${JSON.stringify(id)} ${body.slice(0, 200)}`,
        );
      }),
  },
  "app/api/streams/[id]/events/route.ts": {
    GET: () =>
      fuzz(
        fc.record({ id: idArbitrary(), lastEventId: fc.option(hostileString), after: fc.option(hostileString), extra: fc.option(hostileString) }),
        150,
        async ({ id, lastEventId, after, extra }) => {
          const query = new URLSearchParams();
          if (after !== null) query.set("after", after);
          if (extra !== null) query.set(extra.slice(0, 20) || "x", extra);
          const headers: Record<string, string> = { Accept: "text/event-stream" };
          if (lastEventId !== null) headers["Last-Event-ID"] = headerSafe(lastEventId);
          const reply = await send(`/api/streams/${segment(id)}/events?${query}`, { headers });
          expectHandled(reply, `GET events ${JSON.stringify({ id, lastEventId, after })}`);
          if (reply.status === 200) expect(reply.type).toMatch(/^text\/event-stream/);
        },
      ),
  },
  "app/api/payments/webhook/route.ts": {
    POST: () => {
      const event = hostileObject({
        id: fc.constantFrom("evt_AAAAAAAAAA", "evt_x"),
        type: fc.constant("payment_intent.succeeded"),
        data: hostileObject({ intentId: fc.constantFrom("pi_AAAAAAAAAAAA", "pi_\u0000AAAAAAAAAAA") }),
      });
      const body = fc.oneof(
        { weight: 4, arbitrary: event.map((e) => JSON.stringify(e)) },
        { weight: 1, arbitrary: hostileString },
        { weight: 1, arbitrary: fc.constant("x".repeat(1_000_000)) },
      );
      const signature = fc.oneof(
        { weight: 3, arbitrary: fc.constant("sign") }, // signed with the server's secret: the body itself is what is fuzzed
        { weight: 1, arbitrary: fc.constant(null) },
        { weight: 2, arbitrary: hostileString },
        { weight: 1, arbitrary: fc.constantFrom("t=99999999999999999999,v1=00", "t=NaN,v1=", "t=1,v1=zz,v1=", "v1=" + "a".repeat(64)) },
      );
      return fuzz(fc.tuple(body, signature), 150, async ([text, sig]) => {
        const headers: Record<string, string> = { "Content-Type": "application/json" };
        if (sig === "sign") headers["x-provider-signature"] = signPayload(text, "fuzz-webhook-secret", Math.floor(Date.now() / 1000));
        else if (sig !== null) headers["x-provider-signature"] = headerSafe(sig);
        expectHandled(await send("/api/payments/webhook", { method: "POST", headers, body: text }), `webhook ${text.slice(0, 200)} sig=${sig}`);
      });
    },
  },
  "app/api/operator/ledger-stats/route.ts": {
    GET: () =>
      fuzz(fc.tuple(hostileString, fc.boolean()), 40, async ([query, signedIn]) => {
        const reply = await send(`/api/operator/ledger-stats?q=${queryValue(query)}`, { headers: signedIn ? { Cookie: viewerCookie } : {} });
        expectHandled(reply, `ledger-stats ${query}`);
        expect(reply.status).toBe(signedIn ? 403 : 401);
      }),
  },
  "app/wallet/export/route.ts": {
    GET: () =>
      fuzz(fc.tuple(hostileString, hostileString), 40, async ([cursor, purchases]) => {
        const reply = await send(`/wallet/export?cursor=${queryValue(cursor)}&purchases=${queryValue(purchases)}`, { headers: { Cookie: viewerCookie } });
        expectHandled(reply, `export ${cursor}`);
        expect(reply.status).toBe(200);
      }),
  },
  "app/api/ping/route.ts": {
    GET: () =>
      fuzz(hostileString, 20, async (query) => {
        expectHandled(await send(`/api/ping?${queryValue(query)}=${queryValue(query)}`), `ping ${query}`);
      }),
  },
  "app/api/auth/[...nextauth]/route.ts": {
    GET: () =>
      fuzz(
        fc.tuple(
          fc.constantFrom("session", "csrf", "providers", "signin", "signout", "callback/credentials", "error"),
          fc.option(hostileString),
          hostileString,
        ),
        60,
        async ([action, junk, query]) => {
          const reply = await send(`/api/auth/${junk === null ? action : segment(junk)}?error=${queryValue(query)}&callbackUrl=${queryValue(query)}`);
          expectHandled(reply, `GET /api/auth/${action} ${junk} ${query}`, { json: false });
        },
      ),
    POST: () =>
      fuzz(
        fc.record({
          action: fc.constantFrom("callback/credentials", "signin/credentials", "signout", "session"),
          email: hostileString,
          password: hostileString,
          csrfToken: fc.option(hostileString),
          callbackUrl: hostileString,
        }),
        60,
        async ({ action, email, password, csrfToken, callbackUrl }) => {
          const csrf = await fetch(`${server.url}/api/auth/csrf`);
          const { csrfToken: token } = (await csrf.json()) as { csrfToken: string };
          const cookie = csrf.headers
            .getSetCookie()
            .map((c) => c.split(";", 1)[0])
            .join("; ");
          const form = new URLSearchParams({ email, password, csrfToken: csrfToken ?? token, callbackUrl });
          const reply = await send(`/api/auth/${action}`, {
            method: "POST",
            headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: cookie },
            body: form,
          });
          expectHandled(reply, `POST /api/auth/${action} ${JSON.stringify({ email, password, callbackUrl })}`, { json: false });
        },
      ),
  },
};

/** Pages that read an id from the path or parameters from the query, fuzzed the same way (HTML answers). */
const PAGE_FUZZ: Array<{ path: (id: string, q: string) => string; cookie: () => string; runs: number }> = [
  { path: (_id, q) => `/wallet?cursor=${queryValue(q)}`, cookie: () => viewerCookie, runs: 40 },
  { path: (id, q) => `/wallet?purchases=${queryValue(q)}&cursor=${queryValue(id)}`, cookie: () => viewerCookie, runs: 40 },
  { path: (_id, q) => `/wallet?purchases=${queryValue(q)}&purchases=${queryValue(q)}&cursor=1&cursor=2`, cookie: () => viewerCookie, runs: 5 },
  { path: (id, q) => `/wallet/receipts/${segment(id)}?x=${queryValue(q)}`, cookie: () => viewerCookie, runs: 30 },
  { path: (id, q) => `/recharge/checkout/${segment(id)}?returnTo=${queryValue(q)}`, cookie: () => viewerCookie, runs: 30 },
  { path: (_id, q) => `/recharge?returnTo=${queryValue(q)}`, cookie: () => viewerCookie, runs: 15 },
  { path: (id, q) => `/live/${segment(id)}?paid=${queryValue(q)}`, cookie: () => viewerCookie, runs: 30 },
  { path: (id, q) => `/creator/earnings?range=${queryValue(q)}&before=${queryValue(q)}&creator=${queryValue(id)}`, cookie: () => creatorCookie, runs: 40 },
  { path: (id, q) => `/creator/earnings/streams/${segment(id)}?creator=${queryValue(q)}`, cookie: () => creatorCookie, runs: 30 },
  { path: (id) => `/creator/withdrawals/${segment(id)}`, cookie: () => creatorCookie, runs: 30 },
  { path: (_id, q) => `/creator/fans?name=${queryValue(q)}`, cookie: () => creatorCookie, runs: 15 },
  { path: (_id, q) => `/sign-in?callbackUrl=${queryValue(q)}`, cookie: () => "", runs: 15 },
  { path: (_id, q) => `/sign-up?callbackUrl=${queryValue(q)}`, cookie: () => "", runs: 10 },
];

describe("every route handler is fuzzed", () => {
  test("each route file and each method it exports has a fuzz target", () => {
    const fuzzed = Object.fromEntries(Object.entries(ROUTE_FUZZ).map(([file, methods]) => [file, Object.keys(methods).sort()]));
    expect(fuzzed).toEqual(Object.fromEntries(Object.entries(routeHandlers()).map(([file, methods]) => [file, [...methods].sort()])));
  });

  for (const [file, methods] of Object.entries(ROUTE_FUZZ)) {
    for (const [method, run] of Object.entries(methods)) test(`${method} ${file}`, run, 120_000);
  }
});

/** Requests that once answered 500, kept as fixed cases next to the random ones. */
const KNOWN_CASES: Array<[string, () => string]> = [
  ["/api/streams/not-a-uuid/events", () => ""],
  ["/wallet?cursor=99999999999999999999", () => viewerCookie],
  ["/wallet?purchases=1|x", () => viewerCookie],
  ["/wallet?purchases=a&purchases=b", () => viewerCookie],
  ["/wallet?purchases=0000-01-01T00:00:00.000Z|pi_AAAAAAAAAAAA", () => viewerCookie],
  ["/creator/earnings?before=-100000-01-01T00:00:00.000Z", () => creatorCookie],
  ["/creator/earnings?before=0000-01-01", () => creatorCookie],
  ["/creator/earnings?before=%2B275760-09-13T00:00:00.000Z", () => creatorCookie],
  ["/api/auth/session?callbackUrl=99999", () => ""],
];

describe("requests that once answered 500", () => {
  test.each(KNOWN_CASES)("GET %s", async (url, cookie) => {
    const value = cookie();
    const from = server.log.length;
    expectHandled(await send(url.replace(/\|/g, "%7C"), { headers: value ? { Cookie: value } : {} }), `GET ${url}`, { json: url.startsWith("/api/") });
    expect(serverErrorsSince(from)).toEqual([]);
  });
});

/** Server errors the server logged since line `from` (a page that fails after it began streaming still answers 200). */
const serverErrorsSince = (from: number) => server.log.slice(from).filter((line) => /^err\|.*(⨯|digest: ')/.test(line));

describe("pages with ids and query parameters", () => {
  test.each(PAGE_FUZZ.map((p) => [p.path("<id>", "<q>"), p] as const))(
    "%s never answers 5xx nor logs a server error",
    async (_label, page) => {
      await fuzz(fc.tuple(fc.oneof(idArbitrary(), hostileString), hostileString), page.runs, async ([id, q]) => {
        const cookie = page.cookie();
        const from = server.log.length;
        expectHandled(await send(page.path(id, q), { headers: cookie ? { Cookie: cookie } : {} }), `GET ${page.path(id, q)}`, { json: false });
        expect(serverErrorsSince(from), `GET ${page.path(id, q)} logged a server error`).toEqual([]);
      });
    },
    120_000,
  );

  // Next decodes dynamic path segments before any of the app's code runs, and
  // answers 500 to one that is not UTF-8; the production server refuses such a
  // path with a 400 before handing the request on (scripts/server.mjs).
  test("a path that is not UTF-8 (%ED%BF%BF), on a page or a hot route, is refused with a 400", async () => {
    for (const path of ["/live/%ED%BF%BF", `/api/streams/%ED%BF%BF/events`, "/api/streams/%FF/gifts"]) {
      const reply = await send(path, path.endsWith("gifts") ? { method: "POST", body: "{}" } : {});
      expectHandled(reply, `${path}`, { json: true });
      expect(reply.status).toBe(400);
    }
  });
});
