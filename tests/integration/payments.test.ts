import { randomUUID } from "node:crypto";
import { describe, expect, test } from "vitest";
import type { UserProfile } from "../../lib/auth/users";
import { getLedger } from "../../lib/ledger";
import { getWalletBalances } from "../../lib/ledger/wallets";
import { signPayload } from "../../lib/payments/signature";
import { createRecharge, getPayment, getRechargeTotals, PaymentError } from "../../lib/payments/intents";
import { setMonthlyBudget } from "../../lib/payments/limits";
import { cancelPayment, completeAction, confirmPayment, refreshPayment } from "../../lib/payments/provider";
import { deliverEvent, receiveWebhook, webhookSecret } from "../../lib/payments/webhooks";
import { newUser, reconcileAfterEach } from "./helpers";

const CARD = { type: "card" as const, expiry: "12/35", cvc: "123", name: "Test Buyer" };
const SUCCESS = { ...CARD, number: "4242 4242 4242 4242" };

const buy = (user: UserProfile, packageId = "coins-350", extra: Partial<Parameters<typeof createRecharge>[1]> = {}) =>
  createRecharge(user, { packageId, platform: "web", currency: "USD", clientKey: randomUUID(), ...extra });

async function events(intentId: string) {
  const { rows } = await getLedger().pool.query("SELECT id, deliveries FROM payment_events WHERE intent_id = $1", [intentId]);
  return rows as Array<{ id: string; deliveries: number }>;
}

reconcileAfterEach();

describe("recharge", () => {
  test("a successful card payment credits the coins and the first-recharge bonus, each as its own transfer", async () => {
    const user = await newUser();
    const intent = await buy(user);
    expect(intent.amount).toBe(364n); // web price of 350 coins, computed on the server
    expect(intent.bonusCoins).toBe(35n);
    const paid = await confirmPayment(user.id, intent.id, SUCCESS);
    expect(paid.status).toBe("SUCCEEDED");
    expect(paid.cardBrand).toBe("visa");
    expect(paid.cardLast4).toBe("4242");
    expect((await getWalletBalances(user.id)).coins).toBe(385n);
    const { rows } = await getLedger().pool.query("SELECT kind::text FROM ledger_transfers WHERE idempotency_key IN ($1, $2) ORDER BY kind::text", [
      `recharge:${intent.id}`,
      `bonus:${intent.id}`,
    ]);
    expect(rows.map((r) => r.kind)).toEqual(["BONUS", "RECHARGE"]);
    // The card number itself is stored nowhere.
    const dump = await getLedger().pool.query("SELECT row_to_json(p)::text AS j FROM payment_intents p WHERE id = $1", [intent.id]);
    expect(dump.rows[0].j).not.toContain("4242424242424242");
    // The second purchase gets no first-recharge bonus.
    expect((await buy(user)).bonusCoins).toBe(0n);
  });

  test("a webhook delivered twice (and late) credits once", async () => {
    const user = await newUser();
    const intent = await buy(user, "coins-70");
    await confirmPayment(user.id, intent.id, SUCCESS);
    const [event] = await events(intent.id);
    const again = await Promise.all([deliverEvent(event!.id, intent.id), deliverEvent(event!.id, intent.id), deliverEvent(event!.id, intent.id)]);
    expect(again.every((r) => r.ok)).toBe(true);
    expect((await getWalletBalances(user.id)).coins).toBe(77n); // 70 + 10% bonus
    expect((await events(intent.id))[0]!.deliveries).toBeGreaterThanOrEqual(4);
  });

  test("concurrent confirmations of one intent charge and credit once", async () => {
    const user = await newUser();
    const intent = await buy(user, "coins-700");
    const results = await Promise.allSettled(Array.from({ length: 8 }, () => confirmPayment(user.id, intent.id, SUCCESS)));
    expect(results.every((r) => r.status === "fulfilled")).toBe(true);
    expect((await getWalletBalances(user.id)).coins).toBe(intent.coins + intent.bonusCoins);
    expect(await events(intent.id)).toHaveLength(1);
  });

  test("the same checkout key (double click, refresh) opens one intent", async () => {
    const user = await newUser();
    const clientKey = randomUUID();
    const [a, b] = await Promise.all([buy(user, "coins-70", { clientKey }), buy(user, "coins-70", { clientKey })]);
    expect(a.id).toBe(b.id);
  });

  test.each([
    ["4000 0000 0000 0002", "declined", "Your card was declined."],
    ["4000 0000 0000 9995", "insufficient_funds", "insufficient funds"],
    ["4000 0000 0000 0069", "expired_card", "expired"],
  ])("card %s is declined (%s) and nothing is credited", async (number, code, message) => {
    const user = await newUser();
    const intent = await buy(user);
    const result = await confirmPayment(user.id, intent.id, { ...CARD, number });
    expect(result.status).toBe("FAILED");
    expect(result.failureCode).toBe(code);
    expect(result.failureMessage).toContain(message);
    expect((await getWalletBalances(user.id)).coins).toBe(0n);
    // Retrying with a good card works.
    expect((await confirmPayment(user.id, intent.id, SUCCESS)).status).toBe("SUCCEEDED");
    expect((await getWalletBalances(user.id)).coins).toBe(385n);
  });

  test("3-D Secure: confirming credits; cancelling charges nothing", async () => {
    const user = await newUser();
    const first = await buy(user);
    expect((await confirmPayment(user.id, first.id, { ...CARD, number: "4000 0000 0000 3220" })).status).toBe("REQUIRES_ACTION");
    expect((await getWalletBalances(user.id)).coins).toBe(0n);
    const canceled = await completeAction(user.id, first.id, false);
    expect(canceled.status).toBe("CANCELED");
    expect(canceled.failureMessage).toContain("not charged");
    expect((await getWalletBalances(user.id)).coins).toBe(0n);
    expect(await events(first.id)).toHaveLength(0);

    const second = await buy(user);
    await confirmPayment(user.id, second.id, { ...CARD, number: "4000 0000 0000 3220" });
    expect((await completeAction(user.id, second.id, true)).status).toBe("SUCCEEDED");
    expect((await getWalletBalances(user.id)).coins).toBe(385n);
  });

  test("PayPal and wallets go through an approval step", async () => {
    const user = await newUser();
    const intent = await buy(user, "coins-70");
    const pending = await confirmPayment(user.id, intent.id, { type: "paypal" });
    expect(pending.status).toBe("REQUIRES_ACTION");
    expect((await completeAction(user.id, intent.id, true)).status).toBe("SUCCEEDED");
    expect((await getWalletBalances(user.id)).coins).toBe(77n);
  });

  test("the delayed card stays processing, then succeeds and credits once", async () => {
    const user = await newUser();
    const intent = await buy(user, "coins-70");
    const t0 = new Date();
    expect((await confirmPayment(user.id, intent.id, { ...CARD, number: "4000 0000 0000 0077" }, t0)).status).toBe("PROCESSING");
    expect((await refreshPayment(user.id, intent.id, t0)).status).toBe("PROCESSING");
    expect((await getWalletBalances(user.id)).coins).toBe(0n);
    const later = new Date(t0.getTime() + 10_000);
    const [a, b] = await Promise.all([refreshPayment(user.id, intent.id, later), refreshPayment(user.id, intent.id, later)]);
    expect([a.status, b.status]).toEqual(["SUCCEEDED", "SUCCEEDED"]);
    expect((await getWalletBalances(user.id)).coins).toBe(77n);
  });

  test("cancelling before paying charges nothing", async () => {
    const user = await newUser();
    const intent = await buy(user);
    expect((await cancelPayment(user.id, intent.id)).status).toBe("CANCELED");
    expect((await confirmPayment(user.id, intent.id, SUCCESS)).status).toBe("CANCELED");
    expect((await getWalletBalances(user.id)).coins).toBe(0n);
  });
});

describe("bad input changes nothing", () => {
  test.each([
    [{ packageId: "coins-71" }, "UNKNOWN_PACKAGE"],
    [{ packageId: null, customCoins: "29" }, "AMOUNT_OUT_OF_RANGE"],
    [{ packageId: null, customCoins: "2500001" }, "AMOUNT_OUT_OF_RANGE"],
    [{ packageId: null, customCoins: "12.5" }, "NOT_AN_INTEGER"],
    [{ packageId: null, customCoins: "500", platform: "ios" }, "CUSTOM_WEB_ONLY"],
    [{ currency: "XYZ" }, "INVALID_CURRENCY"],
    [{ platform: "console" }, "INVALID_PLATFORM"],
    [{ clientKey: "x" }, "INVALID_REQUEST"],
  ])("%j → %s", async (extra, code) => {
    const user = await newUser();
    const error = await buy(user, "coins-350", extra as never).catch((e) => e);
    expect(error).toBeInstanceOf(PaymentError);
    expect(error.code).toBe(code);
    const { rows } = await getLedger().pool.query("SELECT count(*)::int AS n FROM payment_intents WHERE user_id = $1", [user.id]);
    expect(rows[0].n).toBe(0);
  });

  test("invalid card details are specific field errors and change nothing", async () => {
    const user = await newUser();
    const intent = await buy(user);
    const error = await confirmPayment(user.id, intent.id, { type: "card", number: "4242 4242 4242 4241", expiry: "01/20", cvc: "1", name: "" }).catch(
      (e) => e,
    );
    expect(error.code).toBe("INVALID_CARD");
    expect(Object.keys(error.fieldErrors).sort()).toEqual(["cvc", "expiry", "name", "number"]);
    expect((await getPayment(user.id, intent.id))!.status).toBe("REQUIRES_CONFIRMATION");
  });

  test("an under-18 account cannot recharge", async () => {
    const teen = await newUser("VIEWER", { birthDate: "2012-01-01" });
    await expect(buy(teen)).rejects.toMatchObject({ code: "UNDER_AGE" });
  });

  test("another user's intent is not found", async () => {
    const owner = await newUser();
    const other = await newUser();
    const intent = await buy(owner);
    await expect(confirmPayment(other.id, intent.id, SUCCESS)).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await getPayment(other.id, intent.id)).toBeNull();
  });

  test("forged, tampered, replayed and unknown webhooks are refused and credit nothing", async () => {
    const user = await newUser();
    const intent = await buy(user);
    await confirmPayment(user.id, intent.id, { ...CARD, number: "4000 0000 0000 3220" }); // waiting for 3-D Secure
    const now = Math.floor(Date.now() / 1000);
    const body = JSON.stringify({ id: "evt_forgedforged", type: "payment_intent.succeeded", data: { intentId: intent.id } });
    expect(await receiveWebhook(body, signPayload(body, "wrong-secret", now))).toMatchObject({ ok: false, status: 400 });
    expect(await receiveWebhook(body, null)).toMatchObject({ ok: false, status: 400 });
    expect(await receiveWebhook(body, signPayload(body, webhookSecret(), now - 3600))).toMatchObject({ ok: false, status: 400 });
    const signed = signPayload(body, webhookSecret(), now);
    expect(await receiveWebhook(body.replace("forged", "forgee"), signed)).toMatchObject({ ok: false, status: 400 });
    expect(await receiveWebhook(body, signed)).toMatchObject({ ok: false, status: 404 });
    expect((await getWalletBalances(user.id)).coins).toBe(0n);
  });
});

describe("spending guards", () => {
  test("a recharge past the monthly budget is refused and changes nothing", async () => {
    const user = await newUser();
    await setMonthlyBudget(user.id, 1_000n);
    const first = await buy(user, "coins-700");
    await confirmPayment(user.id, first.id, SUCCESS);
    const error = await buy(user, "coins-350").catch((e) => e);
    expect(error.code).toBe("BUDGET_EXCEEDED");
    expect(error.message).toContain("monthly budget of 1,000 coins");
    expect((await getWalletBalances(user.id)).coins).toBe(first.coins + first.bonusCoins);
  });

  test("the daily cap holds even when several intents are opened first and paid at once", async () => {
    const user = await newUser();
    const intents = await Promise.all(Array.from({ length: 4 }, () => buy(user, "coins-17500")));
    const results = await Promise.allSettled(intents.map((i) => confirmPayment(user.id, i.id, SUCCESS)));
    // 35,000 of the 50,000 daily coins; a third would pass it.
    const outcomes = results.map((r) => (r.status === "fulfilled" ? r.value.status : (r.reason as PaymentError).code));
    expect(outcomes.sort()).toEqual(["DAILY_CAP_EXCEEDED", "DAILY_CAP_EXCEEDED", "SUCCEEDED", "SUCCEEDED"]);
    // Only one of them gets the first-recharge bonus.
    const credited = await Promise.all(intents.map((i) => getPayment(user.id, i.id)));
    const firstBonuses = credited.filter((i) => i!.status === "SUCCEEDED" && i!.bonusLines.some((l) => l.id === "first-recharge"));
    expect(firstBonuses).toHaveLength(1);
    const expected = credited.filter((i) => i!.status === "SUCCEEDED").reduce((sum, i) => sum + i!.coins + i!.bonusCoins, 0n);
    expect(expected).toBeGreaterThan(35_000n); // two packages and a first-recharge bonus
    expect((await getWalletBalances(user.id)).coins).toBe(expected);
  });
});

// The caps count a purchase on the day (and in the month) its money is taken, not
// the day its checkout was opened: checkouts opened ahead and paid later add up.
describe("spending guards across day and month boundaries", () => {
  const at = (iso: string) => new Date(iso);

  /** Opens a checkout as if at `when` (the database stamps created_at itself). */
  async function openAt(user: UserProfile, packageId: string, when: Date) {
    const intent = await createRecharge(user, { packageId, platform: "web", currency: "USD", clientKey: randomUUID() }, when);
    await getLedger().pool.query("UPDATE payment_intents SET created_at = $2 WHERE id = $1", [intent.id, when]);
    return intent;
  }

  test("checkouts opened one day and paid the next count on the day they are paid", async () => {
    const user = await newUser();
    const opened = at("2031-03-10T23:50:00Z");
    const intents = [];
    for (let i = 0; i < 3; i++) intents.push(await openAt(user, "coins-17500", opened));
    const paidDay = at("2031-03-11T00:10:00Z");
    expect((await confirmPayment(user.id, intents[0]!.id, SUCCESS, paidDay)).status).toBe("SUCCEEDED");
    expect((await confirmPayment(user.id, intents[1]!.id, SUCCESS, paidDay)).status).toBe("SUCCEEDED");
    const error = await confirmPayment(user.id, intents[2]!.id, SUCCESS, paidDay).catch((e) => e);
    expect(error).toBeInstanceOf(PaymentError);
    expect(error.code).toBe("DAILY_CAP_EXCEEDED");
    expect(error.message).toContain("35,000 today");
    expect((await getPayment(user.id, intents[2]!.id))!.status).toBe("REQUIRES_CONFIRMATION");
    // The next day the cap starts again: the third checkout can be paid then.
    expect((await confirmPayment(user.id, intents[2]!.id, SUCCESS, at("2031-03-12T00:00:00Z"))).status).toBe("SUCCEEDED");
    const totals = await getRechargeTotals(getLedger().pool, user.id, at("2031-03-12T12:00:00Z"));
    expect(totals.purchasedTodayCoins).toBe(17_500n);
  });

  test("a purchase paid just before midnight counts on that day, not the next", async () => {
    const user = await newUser();
    const a = await openAt(user, "coins-17500", at("2031-03-10T08:00:00Z"));
    await confirmPayment(user.id, a.id, SUCCESS, at("2031-03-10T23:59:59Z"));
    const b = await openAt(user, "coins-17500", at("2031-03-10T23:59:59Z"));
    const c = await openAt(user, "coins-17500", at("2031-03-10T23:59:59Z"));
    const nextDay = at("2031-03-11T00:00:01Z");
    await confirmPayment(user.id, b.id, SUCCESS, nextDay);
    await confirmPayment(user.id, c.id, SUCCESS, nextDay);
    const totals = await getRechargeTotals(getLedger().pool, user.id, nextDay);
    expect(totals.purchasedTodayCoins).toBe(35_000n);
    expect((await getRechargeTotals(getLedger().pool, user.id, at("2031-03-10T23:59:59.500Z"))).purchasedTodayCoins).toBe(17_500n);
  });

  test("checkouts opened at the end of a month and paid in the next count in the month they are paid", async () => {
    const user = await newUser();
    await setMonthlyBudget(user.id, 1_000n);
    const opened = at("2031-01-31T23:30:00Z");
    const first = await openAt(user, "coins-700", opened);
    const second = await openAt(user, "coins-700", opened);
    const february = at("2031-02-01T00:30:00Z");
    expect((await confirmPayment(user.id, first.id, SUCCESS, february)).status).toBe("SUCCEEDED");
    const error = await confirmPayment(user.id, second.id, SUCCESS, february).catch((e) => e);
    expect(error).toBeInstanceOf(PaymentError);
    expect(error.code).toBe("BUDGET_EXCEEDED");
    expect(error.message).toContain("700 bought this month");
    expect((await getWalletBalances(user.id)).coins).toBe(first.coins + first.bonusCoins);
    const totals = await getRechargeTotals(getLedger().pool, user.id, february);
    expect(totals.purchasedThisMonthCoins).toBe(700n);
    expect((await getRechargeTotals(getLedger().pool, user.id, at("2031-01-31T23:59:00Z"))).purchasedThisMonthCoins).toBe(0n);
  });

  test("a purchase paid on the last day of a month leaves the next month's budget whole", async () => {
    const user = await newUser();
    await setMonthlyBudget(user.id, 1_000n);
    const first = await openAt(user, "coins-700", at("2031-01-31T10:00:00Z"));
    await confirmPayment(user.id, first.id, SUCCESS, at("2031-01-31T23:59:59Z"));
    const second = await openAt(user, "coins-700", at("2031-02-01T00:00:01Z"));
    expect((await confirmPayment(user.id, second.id, SUCCESS, at("2031-02-01T00:00:02Z"))).status).toBe("SUCCEEDED");
    expect((await getRechargeTotals(getLedger().pool, user.id, at("2031-02-15T00:00:00Z"))).purchasedThisMonthCoins).toBe(700n);
  });
});
