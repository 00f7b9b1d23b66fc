// The gift route as the browser calls it, on the real production server: every
// bad request gets a 4xx with a JSON error and writes nothing; retries are
// charged once; a streak's taps in one request each get their own result.
import { randomUUID } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import type { UserProfile } from "../../lib/auth/users";
import { getLedger } from "../../lib/ledger";
import { getWalletBalances } from "../../lib/ledger/wallets";
import { goLive } from "../../lib/live/streams";
import { ensureProductionBuild, prepareDatabase, signIn, startNextServer, type NextServer } from "../support/next-server";
import { FREEZE_TTL_MS, freezeAccount, unfreezeAccount } from "../../lib/fraud/freezes";
import { createRecharge } from "../../lib/payments/intents";
import { confirmPayment } from "../../lib/payments/provider";
import { COIN_DEBT_TTL_MS } from "../../lib/refunds/accounts";
import { reversePurchase } from "../../lib/refunds/refunds";
import { grant, newUser, reconcileAfterEach } from "./helpers";

let server: NextServer;
let viewer: UserProfile;
let cookie: string;
let streamId: string;

beforeAll(async () => {
  await Promise.all([ensureProductionBuild(), prepareDatabase(process.env.DATABASE_URL!)]);
  server = await startNextServer({ databaseUrl: process.env.DATABASE_URL!, prepare: false, env: { DB_POOL_SIZE: "4" } });
  const creator = await newUser("CREATOR");
  streamId = (await goLive(creator, { title: "Route test", goalCoins: null })).id;
  viewer = await newUser();
  await grant(viewer, 100n);
  cookie = (await signIn(server.url, viewer.email, "correct-horse-42")).cookie;
}, 400_000);

reconcileAfterEach();
afterEach(async (context) => {
  if (context.task.result?.state === "fail") process.stdout.write(`server log:\n${server?.logText()}\n`);
});

afterAll(async () => {
  await server?.stop();
});

async function post(path: string, body: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${server.url}${path}`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Cookie: cookie, ...headers },
    body,
  });
  const text = await response.text();
  let json: Record<string, unknown> | null = null;
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    json = null;
  }
  return { status: response.status, json, text };
}

const gifts = () => `/api/streams/${streamId}/gifts`;
const transfers = async () => (await getLedger().pool.query("SELECT count(*)::int AS n FROM ledger_transfers")).rows[0].n as number;
const coins = async () => (await getWalletBalances(viewer.id)).coins;

describe("POST /api/streams/<id>/gifts", () => {
  test.each([
    [
      "no session",
      () => ({ path: gifts(), body: JSON.stringify({ giftId: "rose", clientKey: randomUUID() }), headers: { Cookie: "" } }),
      401,
      "UNAUTHENTICATED",
    ],
    [
      "another site",
      () => ({ path: gifts(), body: JSON.stringify({ giftId: "rose", clientKey: randomUUID() }), headers: { Origin: "https://elsewhere.example" } }),
      403,
      "CROSS_SITE",
    ],
    [
      "a form post",
      () => ({ path: gifts(), body: "giftId=rose", headers: { "Content-Type": "application/x-www-form-urlencoded" } }),
      415,
      "UNSUPPORTED_MEDIA_TYPE",
    ],
    ["not JSON", () => ({ path: gifts(), body: "{nope" }), 400, "INVALID_JSON"],
    ["a 1 MB body", () => ({ path: gifts(), body: JSON.stringify({ giftId: "rose", clientKey: "x".repeat(1_000_000) }) }), 413, "TOO_LARGE"],
    ["a NUL byte in the key", () => ({ path: gifts(), body: JSON.stringify({ giftId: "rose", clientKey: "abc\u0000defgh" }) }), 400, "INVALID"],
    ["a number for the gift", () => ({ path: gifts(), body: JSON.stringify({ giftId: 1, clientKey: randomUUID() }) }), 400, "INVALID"],
    ["an unknown gift", () => ({ path: gifts(), body: JSON.stringify({ giftId: "yacht", clientKey: randomUUID() }) }), 400, "INVALID"],
    [
      "a stream id that is not a UUID",
      () => ({ path: "/api/streams/not-a-uuid/gifts", body: JSON.stringify({ giftId: "rose", clientKey: randomUUID() }) }),
      404,
      "NOT_FOUND",
    ],
    [
      "36 dashes for a stream id",
      () => ({ path: `/api/streams/${"-".repeat(36)}/gifts`, body: JSON.stringify({ giftId: "rose", clientKey: randomUUID() }) }),
      404,
      "NOT_FOUND",
    ],
    [
      "an unknown stream",
      () => ({ path: `/api/streams/${randomUUID()}/gifts`, body: JSON.stringify({ giftId: "rose", clientKey: randomUUID() }) }),
      404,
      "NOT_FOUND",
    ],
    [
      "more coins than the wallet holds",
      () => ({ path: gifts(), body: JSON.stringify({ giftId: "lion", clientKey: randomUUID() }) }),
      402,
      "INSUFFICIENT_COINS",
    ],
    ["an empty streak", () => ({ path: gifts(), body: JSON.stringify({ taps: [] }) }), 400, "INVALID"],
    [
      "a streak with one key twice",
      () => ({
        path: gifts(),
        body: JSON.stringify({
          taps: [
            { giftId: "rose", clientKey: "same-key-1" },
            { giftId: "rose", clientKey: "same-key-1" },
          ],
        }),
      }),
      400,
      "INVALID",
    ],
  ])("%s: %i with a JSON error, nothing written", async (_label, make, status, code) => {
    const before = [await transfers(), await coins()];
    const { path, body, headers } = make() as { path: string; body: string; headers?: Record<string, string> };
    const reply = await post(path, body, headers);
    expect(reply.status, reply.text.slice(0, 300)).toBe(status);
    expect(reply.json).toMatchObject({ ok: false, code });
    expect(typeof reply.json?.error).toBe("string");
    expect([await transfers(), await coins()]).toEqual(before);
  });

  test("a frozen account's taps are refused with 403 FROZEN and the reason on every instance within the freeze bound, charge nothing, and work again after the unfreeze", async () => {
    const frozen = await newUser();
    await grant(frozen, 50n);
    const operator = await newUser("OPERATOR");
    const frozenCookie = (await signIn(server.url, frozen.email, "correct-horse-42")).cookie;
    // One tap every 100 ms: under the 20-a-second rate limit.
    const tap = async () => {
      await new Promise((resolve) => setTimeout(resolve, 100));
      return post(gifts(), JSON.stringify({ giftId: "rose", clientKey: randomUUID() }), { Cookie: frozenCookie });
    };
    expect((await tap()).json).toMatchObject({ ok: true }); // 49 coins left
    // Frozen from this process, so the server learns of it through its cache (FREEZE_TTL_MS), as another instance would.
    await freezeAccount(operator, frozen.id, "Card testing from this account");
    const frozenAt = Date.now();
    let reply = await tap();
    while (reply.status === 200 && Date.now() - frozenAt < FREEZE_TTL_MS + 2_000) reply = await tap();
    expect(Date.now() - frozenAt).toBeLessThan(FREEZE_TTL_MS + 2_000);
    expect(reply.status).toBe(403);
    expect(reply.json).toMatchObject({ ok: false, code: "FROZEN", error: "Your account is frozen: Card testing from this account. Contact support." });
    const charged = 50n - (await getWalletBalances(frozen.id)).coins; // taps that went through before the freeze reached the server
    expect(charged).toBeGreaterThanOrEqual(1n); // the first one at least
    expect((await tap()).status).toBe(403);
    expect((await getWalletBalances(frozen.id)).coins).toBe(50n - charged);

    await unfreezeAccount(operator, frozen.id, "Checked with the card holder");
    const liftedAt = Date.now();
    reply = await tap();
    while (reply.status === 403 && Date.now() - liftedAt < FREEZE_TTL_MS + 2_000) reply = await tap();
    expect(reply.json).toMatchObject({ ok: true });
    expect((await getWalletBalances(frozen.id)).coins).toBe(49n - charged);
  });

  test("a viewer who owes coins from a refunded purchase is refused with 403 COIN_DEBT, even with coins in the wallet, and charged nothing", async () => {
    const debtor = await newUser();
    const operator = await newUser("OPERATOR");
    const intent = await createRecharge(debtor, { packageId: "coins-70", platform: "web", currency: "USD", clientKey: randomUUID() });
    await confirmPayment(debtor.id, intent.id, { type: "card", number: "4242 4242 4242 4242", expiry: "12/35", cvc: "123", name: "Debtor" });
    const debtorCookie = (await signIn(server.url, debtor.email, "correct-horse-42")).cookie;
    const spend = await post(gifts(), JSON.stringify({ giftId: "rosa", clientKey: randomUUID() }), { Cookie: debtorCookie }); // 10 coins
    expect(spend.json).toMatchObject({ ok: true });
    await reversePurchase({ intentId: intent.id, kind: "REFUND", reason: "unauthorised charge", operatorId: operator.id });
    await grant(debtor, 100n); // coins from elsewhere do not let the debt be skipped
    await new Promise((resolve) => setTimeout(resolve, COIN_DEBT_TTL_MS + 200));
    const reply = await post(gifts(), JSON.stringify({ giftId: "rose", clientKey: randomUUID() }), { Cookie: debtorCookie });
    expect(reply.status).toBe(403);
    expect(reply.json).toMatchObject({ ok: false, code: "COIN_DEBT", error: "Your account owes 10 coins from a refunded purchase; recharge to cover it." });
    expect((await getWalletBalances(debtor.id)).coins).toBe(100n);
  });

  test("a retried tap is answered with the original gift and charged once; its key cannot buy another gift", async () => {
    const clientKey = randomUUID();
    const before = await coins();
    const first = await post(gifts(), JSON.stringify({ giftId: "finger-heart", clientKey }));
    const again = await post(gifts(), JSON.stringify({ giftId: "finger-heart", clientKey }));
    expect(first.json).toMatchObject({ ok: true, replayed: false, balance: String(before - 5n) });
    expect(again.json).toMatchObject({ ok: true, replayed: true, transferId: first.json!.transferId, balance: String(before - 5n) });
    const other = await post(gifts(), JSON.stringify({ giftId: "rosa", clientKey }));
    expect(other.status).toBe(409);
    expect(other.json).toMatchObject({ ok: false, code: "KEY_REUSED" });
    expect(await coins()).toBe(before - 5n);
  });

  test("a streak's taps in one request: one result per tap, in order, and the balance after them", async () => {
    const before = await coins();
    const taps = ["rose", "rose", "lion", "finger-heart"].map((giftId) => ({ giftId, clientKey: randomUUID() }));
    const reply = await post(gifts(), JSON.stringify({ taps }));
    expect(reply.status).toBe(200);
    const results = reply.json!.results as Array<Record<string, unknown>>;
    expect(results.map((r) => [r.clientKey, r.ok, r.code ?? null])).toEqual([
      [taps[0]!.clientKey, true, null],
      [taps[1]!.clientKey, true, null],
      [taps[2]!.clientKey, false, "INSUFFICIENT_COINS"],
      [taps[3]!.clientKey, true, null],
    ]);
    expect(results.map((r) => typeof r.transferId)).toEqual(["string", "string", "undefined", "string"]);
    expect(reply.json!.balance).toBe(String(before - 7n));
    expect(await coins()).toBe(before - 7n);
    // Retried whole (a lost reply): the same transfers, replayed; the refused tap refused again; nothing charged twice.
    const retried = await post(gifts(), JSON.stringify({ taps }));
    expect((retried.json!.results as Array<Record<string, unknown>>).map((r) => [r.transferId ?? null, r.replayed ?? null, r.code ?? null])).toEqual(
      results.map((r) => [r.transferId ?? null, r.ok ? true : null, r.code ?? null]),
    );
    expect(await coins()).toBe(before - 7n);
  });
});
