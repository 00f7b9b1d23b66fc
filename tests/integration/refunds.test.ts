// Refunds and chargebacks on a real PostgreSQL: coins off the wallet, the spent
// part a debt, the creators' diamonds clawed back, the money returned — once,
// however often or however concurrently it is asked for.
import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, test, vi } from "vitest";
import type { UserProfile } from "../../lib/auth/users";
import { getLedger, reconcile } from "../../lib/ledger";
import { getWalletBalances } from "../../lib/ledger/wallets";
import { sendGift } from "../../lib/live/gifting";
import { goLive } from "../../lib/live/streams";
import { createRecharge } from "../../lib/payments/intents";
import { confirmPayment } from "../../lib/payments/provider";
import { deliverEvent } from "../../lib/payments/webhooks";
import { deliverDuePayments } from "../../lib/payments/deliveries";
import { getCoinDebt, REFUND_LOSS_CODE } from "../../lib/refunds/accounts";
import { reversePurchase } from "../../lib/refunds/refunds";
import { requestWithdrawal } from "../../lib/withdrawals/withdrawals";
import { newUser, reconcileAfterEach } from "./helpers";
import { session } from "./action-mocks";

vi.mock("../../lib/auth/session", async (importOriginal) => (await import("./action-mocks")).authSession(importOriginal));
vi.mock("next/navigation", async () => (await import("./action-mocks")).navigation());
vi.mock("next/cache", async () => (await import("./action-mocks")).cache());
vi.mock("next-auth", async () => (await import("./action-mocks")).nextAuth());
vi.mock("../../lib/auth/config", async () => (await import("./action-mocks")).authConfig());

const CARD = { type: "card" as const, expiry: "12/40", cvc: "123", name: "Test Buyer" };
const SUCCESS = { ...CARD, number: "4242 4242 4242 4242" };
const CHARGED_BACK = { ...CARD, number: "4000 0000 0000 0259" };
const pool = () => getLedger().pool;

async function buy(user: UserProfile, packageId = "coins-7000", card = SUCCESS) {
  const intent = await createRecharge(user, { packageId, platform: "web", currency: "USD", clientKey: randomUUID() });
  const paid = await confirmPayment(user.id, intent.id, card);
  expect(paid.status).toBe("SUCCEEDED");
  return paid;
}

async function diamonds(user: UserProfile) {
  return (await getWalletBalances(user.id)).diamondsMinor;
}

async function reversals(intentId: string) {
  const { rows } = await pool().query("SELECT kind::text FROM ledger_transfers WHERE idempotency_key = $1 OR idempotency_key LIKE $2", [
    `reversal:${intentId}`,
    `clawback:${intentId}:%`,
  ]);
  return rows.map((r) => r.kind as string);
}

async function intentRow(id: string) {
  return (await pool().query("SELECT refunded_at, refunded_by, refund_reason, refund_kind FROM payment_intents WHERE id = $1", [id])).rows[0];
}

async function clearingBalance() {
  return (await pool().query("SELECT balance FROM ledger_accounts WHERE code = 'platform:payment_clearing'")).rows[0].balance as bigint;
}

reconcileAfterEach();
afterEach(() => {
  session.user = null;
});

describe("an operator's refund", () => {
  test("of an unspent purchase takes the coins and bonus back and returns the money; nothing is owed", async () => {
    const [viewer, operator] = await Promise.all([newUser(), newUser("OPERATOR")]);
    const before = await clearingBalance();
    const paid = await buy(viewer, "coins-350");
    expect(paid.bonusCoins).toBe(35n);
    expect((await getWalletBalances(viewer.id)).coins).toBe(385n);
    expect(await clearingBalance()).toBe(before - paid.amount);

    const { outcome, reversed } = await reversePurchase({ intentId: paid.id, kind: "REFUND", reason: "unauthorised charge", operatorId: operator.id });
    expect(reversed).toBe(true);
    expect(outcome).toMatchObject({ coinsRemoved: 385n, debtCreated: 0n, amount: paid.amount, lossMinor: 0n, creators: [] });
    expect((await getWalletBalances(viewer.id)).coins).toBe(0n);
    expect(await getCoinDebt(pool(), viewer.id)).toBe(0n);
    expect(await clearingBalance()).toBe(before);
    expect(await intentRow(paid.id)).toMatchObject({
      refunded_by: operator.id,
      refund_reason: "unauthorised charge",
      refund_kind: "REFUND",
      refunded_at: expect.any(Date),
    });
    const transfer = await getLedger().getTransfer({ idempotencyKey: `reversal:${paid.id}` });
    expect(transfer?.kind).toBe("REFUND");
    expect(transfer?.metadata).toMatchObject({ reason: "unauthorised charge", operatorId: operator.id, intentId: paid.id });
  });

  test("of a spent purchase: a debt, the creators' diamonds clawed back, the already withdrawn part a platform loss; the debt blocks gifts and the next recharge covers it first", async () => {
    const [viewer, operator, withdrew, kept] = await Promise.all([newUser(), newUser("OPERATOR"), newUser("CREATOR"), newUser("CREATOR")]);
    const streamA = (await goLive(withdrew, { title: "A", goalCoins: null })).id;
    const streamB = (await goLive(kept, { title: "B", goalCoins: null })).id;
    const paid = await buy(viewer);
    const purchased = paid.coins + paid.bonusCoins;
    await sendGift(viewer, { streamId: streamA, giftId: "drama-queen", clientKey: randomUUID() }); // 5,000 coins → 2,500 diamonds
    await sendGift(viewer, { streamId: streamB, giftId: "gold-mine", clientKey: randomUUID() }); // 1,000 coins → 500 diamonds
    expect(await diamonds(withdrew)).toBe(2_500_000n);
    expect(await diamonds(kept)).toBe(500_000n);
    await requestWithdrawal(withdrew, { diamonds: 2_000_000n, payout: { method: "paypal", email: "a@example.com" }, clientKey: randomUUID() });
    expect(await diamonds(withdrew)).toBe(500_000n);
    const lossBefore = (await pool().query("SELECT balance FROM ledger_accounts WHERE code = $1", [REFUND_LOSS_CODE])).rows[0]?.balance ?? 0n;

    const { outcome } = await reversePurchase({ intentId: paid.id, kind: "REFUND", reason: "under-age purchase", operatorId: operator.id });
    expect(outcome.coinsRemoved).toBe(purchased - 6_000n);
    expect(outcome.debtCreated).toBe(6_000n);
    // Oldest gift first: the creator who withdrew, then the one who kept the diamonds.
    expect(outcome.creators).toEqual([
      { creatorId: withdrew.id, dueMinor: 2_500_000n, clawedMinor: 500_000n, lossMinor: 2_000_000n },
      { creatorId: kept.id, dueMinor: 500_000n, clawedMinor: 500_000n, lossMinor: 0n },
    ]);
    expect(outcome.lossMinor).toBe(2_000_000n);
    expect((await getWalletBalances(viewer.id)).coins).toBe(0n);
    expect(await diamonds(withdrew)).toBe(0n);
    expect(await diamonds(kept)).toBe(0n);
    expect(await getCoinDebt(pool(), viewer.id)).toBe(6_000n);
    const lossAfter = (await pool().query("SELECT balance FROM ledger_accounts WHERE code = $1", [REFUND_LOSS_CODE])).rows[0].balance as bigint;
    expect(lossAfter - lossBefore).toBe(-2_000_000n);
    expect((await reconcile(pool())).trialBalance.some((line) => line.kind === "REFUND_LOSS" && line.balance < 0n)).toBe(true);

    // The debt blocks gifts, with the reason.
    await expect(sendGift(viewer, { streamId: streamB, giftId: "rose", clientKey: randomUUID() })).rejects.toThrow(
      "Your account owes 6,000 coins from a refunded purchase; recharge to cover it.",
    );
    // The next recharge covers the debt first; the wallet gets the remainder.
    const next = await buy(viewer, "coins-7000");
    expect(await getCoinDebt(pool(), viewer.id)).toBe(0n);
    expect((await getWalletBalances(viewer.id)).coins).toBe(1_000n + next.bonusCoins);
    const recharge = await getLedger().getTransfer({ idempotencyKey: `recharge:${next.id}` });
    expect(recharge?.metadata).toMatchObject({ debtCovered: "6000" });
    // A repeat delivery of the recharge event changes nothing.
    const { rows } = await pool().query("SELECT id FROM payment_events WHERE intent_id = $1", [next.id]);
    await deliverEvent(rows[0].id, next.id);
    expect((await getWalletBalances(viewer.id)).coins).toBe(1_000n + next.bonusCoins);
    await sendGift(viewer, { streamId: streamB, giftId: "rose", clientKey: randomUUID() });
    expect((await getWalletBalances(viewer.id)).coins).toBe(999n + next.bonusCoins);
  });

  test("twice, and by two operators at once, refunds once", async () => {
    const [viewer, one, two] = await Promise.all([newUser(), newUser("OPERATOR"), newUser("OPERATOR")]);
    const paid = await buy(viewer, "coins-700");
    const results = await Promise.all([
      reversePurchase({ intentId: paid.id, kind: "REFUND", reason: "unauthorised charge", operatorId: one.id }),
      reversePurchase({ intentId: paid.id, kind: "REFUND", reason: "under-age purchase", operatorId: two.id }),
      reversePurchase({ intentId: paid.id, kind: "REFUND", reason: "unauthorised charge", operatorId: one.id }),
    ]);
    expect(results.filter((r) => r.reversed)).toHaveLength(1);
    expect(new Set(results.map((r) => r.outcome.transferId)).size).toBe(1);
    expect(await reversals(paid.id)).toEqual(["REFUND"]);
    expect((await getWalletBalances(viewer.id)).coins).toBe(0n);
    const again = await reversePurchase({ intentId: paid.id, kind: "REFUND", reason: "unauthorised charge", operatorId: two.id });
    expect(again.reversed).toBe(false);
  });

  test("through the server action: an operator refunds; a viewer (even the buyer) is refused and nothing moves", async () => {
    const [viewer, operator] = await Promise.all([newUser(), newUser("OPERATOR")]);
    const paid = await buy(viewer, "coins-70");
    const { refundPurchaseAction } = await import("../../app/actions/refunds");
    const form = (fields: Record<string, string>) => {
      const data = new FormData();
      for (const [k, v] of Object.entries(fields)) data.set(k, v);
      return data;
    };
    session.user = viewer;
    expect(await refundPurchaseAction(paid.id, {}, form({ reason: "unauthorised charge" }))).toMatchObject({
      ok: false,
      message: "You do not have access to this action.",
    });
    expect(await intentRow(paid.id)).toMatchObject({ refunded_at: null });
    session.user = operator;
    expect(await refundPurchaseAction(paid.id, {}, form({ reason: "other", details: "short" }))).toMatchObject({
      ok: false,
      errors: { details: ["Describe the reason in at least 10 characters."] },
    });
    expect(await intentRow(paid.id)).toMatchObject({ refunded_at: null });
    const done = await refundPurchaseAction(paid.id, {}, form({ reason: "other", details: "Card reported stolen by the bank" }));
    expect(done).toMatchObject({ ok: true, outcome: { coinsRemoved: String(paid.coins + paid.bonusCoins), debtCreated: "0" } });
    expect(await intentRow(paid.id)).toMatchObject({ refund_reason: "Card reported stolen by the bank", refunded_by: operator.id });
    expect(await refundPurchaseAction("pi_doesnotexist1", {}, form({ reason: "unauthorised charge" }))).toMatchObject({
      ok: false,
      message: "This purchase does not exist.",
    });
  });
});

describe("a chargeback from the provider", () => {
  test("the disputed test card is charged back by the delivery job; delivered 3 times, it reverses once", async () => {
    process.env.CHARGEBACK_DELAY_MS = "0";
    const viewer = await newUser();
    const paid = await buy(viewer, "coins-350", CHARGED_BACK);
    expect((await getWalletBalances(viewer.id)).coins).toBe(385n);
    const { rows } = await pool().query("SELECT id FROM payment_events WHERE intent_id = $1 AND type = 'charge.dispute.created'", [paid.id]);
    expect(rows).toHaveLength(1);
    await deliverDuePayments({ now: new Date(Date.now() + 1_000) });
    for (let i = 0; i < 3; i++) {
      const result = await deliverEvent(rows[0].id, paid.id, new Date(), "charge.dispute.created");
      expect(result).toMatchObject({ ok: true, reversed: false });
    }
    expect(await reversals(paid.id)).toEqual(["CHARGEBACK"]);
    expect(await intentRow(paid.id)).toMatchObject({ refund_kind: "CHARGEBACK", refund_reason: "chargeback", refunded_by: null });
    expect((await getWalletBalances(viewer.id)).coins).toBe(0n);
    const event = (await pool().query("SELECT processed_at, deliveries FROM payment_events WHERE id = $1", [rows[0].id])).rows[0];
    expect(event.processed_at).not.toBeNull();
    expect(event.deliveries).toBe(4);
    delete process.env.CHARGEBACK_DELAY_MS;
  });

  test("a purchase refunded by an operator and then charged back is reversed once", async () => {
    process.env.CHARGEBACK_DELAY_MS = "60000";
    const [viewer, operator] = await Promise.all([newUser(), newUser("OPERATOR")]);
    const paid = await buy(viewer, "coins-350", CHARGED_BACK);
    delete process.env.CHARGEBACK_DELAY_MS;
    const { rows } = await pool().query("SELECT id, next_attempt_at FROM payment_events WHERE intent_id = $1 AND type = 'charge.dispute.created'", [paid.id]);
    expect(rows[0].next_attempt_at.getTime()).toBeGreaterThan(Date.now() + 30_000);
    await reversePurchase({ intentId: paid.id, kind: "REFUND", reason: "unauthorised charge", operatorId: operator.id });
    const result = await deliverEvent(rows[0].id, paid.id, new Date(), "charge.dispute.created");
    expect(result).toMatchObject({ ok: true, reversed: false });
    expect(await reversals(paid.id)).toEqual(["REFUND"]);
    expect(await intentRow(paid.id)).toMatchObject({ refund_kind: "REFUND" });
  });

  test("a chargeback of a purchase not paid and credited is not acknowledged (409) and changes nothing", async () => {
    const viewer = await newUser();
    const intent = await createRecharge(viewer, { packageId: "coins-70", platform: "web", currency: "USD", clientKey: randomUUID() });
    const eventId = `evt_${randomUUID().replace(/-/g, "")}`;
    await pool().query("INSERT INTO payment_events (id, intent_id, type) VALUES ($1, $2, 'charge.dispute.created')", [eventId, intent.id]);
    expect(await deliverEvent(eventId, intent.id, new Date(), "charge.dispute.created")).toMatchObject({ ok: false, status: 409 });
    expect(await intentRow(intent.id)).toMatchObject({ refunded_at: null });
    expect((await pool().query("SELECT processed_at FROM payment_events WHERE id = $1", [eventId])).rows[0].processed_at).toBeNull();
  });

  test("an event of the wrong type for its id is refused", async () => {
    const viewer = await newUser();
    const paid = await buy(viewer, "coins-70");
    const { rows } = await pool().query("SELECT id FROM payment_events WHERE intent_id = $1", [paid.id]);
    expect(await deliverEvent(rows[0].id, paid.id, new Date(), "charge.dispute.created")).toMatchObject({ ok: false, status: 404 });
    expect(await intentRow(paid.id)).toMatchObject({ refunded_at: null });
  });
});
