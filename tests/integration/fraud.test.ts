import { randomUUID } from "node:crypto";
import { describe, expect, test } from "vitest";
import type { UserProfile } from "../../lib/auth/users";
import { getLedger } from "../../lib/ledger";
import { runFraudJob } from "../../lib/fraud/job";
import { dismissFlag } from "../../lib/fraud/flags";
import { freezeAccount, freezeHistory, unfreezeAccount } from "../../lib/fraud/freezes";
import { sendGift } from "../../lib/live/gifting";
import { goLive, postChat } from "../../lib/live/streams";
import { createRecharge } from "../../lib/payments/intents";
import { getCreatorWithdrawals, requestWithdrawal, settleDueWithdrawals } from "../../lib/withdrawals/withdrawals";
import { grant, newUser, reconcileAfterEach } from "./helpers";

const REASON = "Chargeback investigation";
const MESSAGE = `Your account is frozen: ${REASON}. Contact support.`;
const later = () => new Date(Date.now() + 3 * 86_400_000);

reconcileAfterEach();

async function coins(user: UserProfile): Promise<bigint> {
  const ledger = getLedger();
  return ledger.getBalance((await ledger.userAccount(user.id, "VIEWER_COINS")).id);
}

/** A creator with 50,000 diamonds ($250) from two fans' gifts in their LIVE. */
async function fundedCreator(): Promise<{ creator: UserProfile; stream: string }> {
  const creator = await newUser("CREATOR");
  const stream = (await goLive(creator, { title: "Fraud checks", goalCoins: null })).id;
  for (let f = 0; f < 2; f++) {
    const fan = await newUser();
    await grant(fan, 50_000n);
    for (let i = 0; i < 5; i++) await sendGift(fan, { streamId: stream, giftId: "interstellar", clientKey: randomUUID() });
  }
  return { creator, stream };
}

const withdraw = (creator: UserProfile, diamonds: bigint) =>
  requestWithdrawal(creator, { diamonds, payout: { method: "paypal", email: "creator@example.com" }, clientKey: `fraud-${randomUUID()}` });

describe("account freezes", () => {
  test("a frozen viewer's recharge, gift and chat are refused with the reason and move nothing; unfreezing restores them", async () => {
    const operator = await newUser("OPERATOR");
    const creator = await newUser("CREATOR");
    const stream = (await goLive(creator, { title: "Frozen viewer", goalCoins: null })).id;
    const viewer = await newUser();
    await grant(viewer, 1_000n);
    await freezeAccount(operator, viewer.id, REASON);

    await expect(createRecharge(viewer, { packageId: "coins-70", platform: "web", currency: "USD", clientKey: `fz-${randomUUID()}` })).rejects.toMatchObject({
      code: "FROZEN",
      message: MESSAGE,
    });
    await expect(sendGift(viewer, { streamId: stream, giftId: "rose", clientKey: randomUUID() })).rejects.toMatchObject({ code: "FROZEN", message: MESSAGE });
    await expect(postChat(viewer, stream, "hello")).rejects.toMatchObject({ code: "FROZEN", message: MESSAGE });
    expect(await coins(viewer)).toBe(1_000n);
    const { rows } = await getLedger().pool.query("SELECT count(*)::int AS n FROM payment_intents WHERE user_id = $1", [viewer.id]);
    expect(rows[0].n).toBe(0);

    await unfreezeAccount(operator, viewer.id, "Investigation closed");
    await sendGift(viewer, { streamId: stream, giftId: "rose", clientKey: randomUUID() });
    expect(await coins(viewer)).toBe(999n);
    const history = await freezeHistory(viewer.id);
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({ reason: REASON, frozenBy: operator.id, liftedBy: operator.id, liftReason: "Investigation closed" });
  });

  test("a frozen creator cannot request a withdrawal, and a pending one is not paid by the settler", async () => {
    const operator = await newUser("OPERATOR");
    const { creator } = await fundedCreator();
    const pending = await withdraw(creator, 4_000_000n);
    await freezeAccount(operator, creator.id, REASON);
    await expect(withdraw(creator, 2_000_000n)).rejects.toMatchObject({ code: "FROZEN", message: MESSAGE });
    await settleDueWithdrawals({ creatorId: creator.id, now: later() });
    const after = await getCreatorWithdrawals(creator.id);
    expect(after.items.map((w) => [w.id, w.status, w.review])).toEqual([[pending.withdrawal.id, "PENDING", "FROZEN"]]);
  });

  test("freezing needs an operator and a reason of 10 characters; an account has one freeze in force", async () => {
    const operator = await newUser("OPERATOR");
    const viewer = await newUser();
    await expect(freezeAccount(viewer, viewer.id, REASON)).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(freezeAccount(operator, viewer.id, "too short")).rejects.toMatchObject({ code: "INVALID_REASON" });
    await freezeAccount(operator, viewer.id, REASON);
    await expect(freezeAccount(operator, viewer.id, REASON)).rejects.toMatchObject({ code: "ALREADY_FROZEN" });
    await expect(unfreezeAccount(viewer, viewer.id, "Investigation closed")).rejects.toMatchObject({ code: "FORBIDDEN" });
  });
});

describe("withdrawal review", () => {
  test("the settler pays a request below $100 net, and leaves one above it, or one from a flagged creator, waiting for review", async () => {
    const { creator } = await fundedCreator();
    const small = await withdraw(creator, 10_000_000n); // $50
    const large = await withdraw(creator, 30_000_000n); // $150
    expect(large.withdrawal.review).toBe("ABOVE_THRESHOLD");
    expect(small.withdrawal.review).toBeNull();
    await settleDueWithdrawals({ creatorId: creator.id, now: later() });
    let items = (await getCreatorWithdrawals(creator.id)).items;
    expect(Object.fromEntries(items.map((w) => [w.id, w.status]))).toEqual({ [small.withdrawal.id]: "PAID", [large.withdrawal.id]: "PENDING" });

    await getLedger().pool.query(`INSERT INTO fraud_flags (id, user_id, rule, evidence) VALUES (gen_random_uuid(), $1, 'ONE_VIEWER_FUNDING', '{}')`, [
      creator.id,
    ]);
    const flagged = await withdraw(creator, 4_000_000n); // $20, but flagged
    await settleDueWithdrawals({ creatorId: creator.id, now: later() });
    items = (await getCreatorWithdrawals(creator.id)).items;
    expect(items.find((w) => w.id === flagged.withdrawal.id)).toMatchObject({ status: "PENDING", review: "OPEN_FLAGS", openFlags: ["ONE_VIEWER_FUNDING"] });
  });
});

describe("the fraud job", () => {
  let card = 1000;
  /** `n` declined intents, each on a card of its own. */
  async function declines(user: UserProfile, n: number) {
    for (let i = 0; i < n; i++) {
      await getLedger().pool.query(
        `INSERT INTO payment_intents (id, user_id, idempotency_key, status, coins, amount, currency, platform, card_brand, card_last4)
         VALUES ($1, $2, $1, 'FAILED', 70, 99, 'USD', 'web', 'visa', $3)`,
        [`pi_fraud_${randomUUID()}`, user.id, String(card++)],
      );
    }
  }
  const flagsOf = async (user: UserProfile) =>
    (await getLedger().pool.query("SELECT rule, status, evidence FROM fraud_flags WHERE user_id = $1 ORDER BY rule", [user.id])).rows;

  test("writes one open flag per user and rule however often it runs, also when two run at once", async () => {
    const viewer = await newUser();
    await declines(viewer, 5);
    await Promise.all([runFraudJob(), runFraudJob()]);
    await runFraudJob();
    await runFraudJob();
    expect(await flagsOf(viewer)).toEqual([
      { rule: "MANY_CARDS", status: "OPEN", evidence: { distinctCards: 5, windowHours: 24 } },
      { rule: "REPEATED_DECLINES", status: "OPEN", evidence: { declines: 5, windowHours: 1 } },
    ]);
  });

  /** A succeeded purchase of `coins` as the job reads it (the payment flow is tested elsewhere). */
  async function purchased(user: UserProfile, coins: bigint) {
    await getLedger().pool.query(
      `INSERT INTO payment_intents (id, user_id, idempotency_key, status, coins, amount, currency, platform, paid_at)
       VALUES ($1, $2, $1, 'SUCCEEDED', $3, 26999, 'USD', 'web', now())`,
      [`pi_fraud_${randomUUID()}`, user.id, coins],
    );
  }

  test("a new account that recharges and gifts 20,000 coins within hours, all to one creator, is flagged for both; just below, neither", async () => {
    const creator = await newUser("CREATOR");
    const stream = (await goLive(creator, { title: "Burst checks", goalCoins: null })).id;
    const burst = await newUser();
    await purchased(burst, 20_000n);
    await grant(burst, 20_000n);
    for (let i = 0; i < 4; i++) await sendGift(burst, { streamId: stream, giftId: "drama-queen", clientKey: randomUUID() }); // 4 × 5,000 coins
    // Just below: 19,999 coins recharged, and a fifth of another creator's diamonds.
    const other = await newUser("CREATOR");
    const otherStream = (await goLive(other, { title: "Shared checks", goalCoins: null })).id;
    const near = await newUser();
    await purchased(near, 19_999n);
    await grant(near, 20_000n);
    for (let i = 0; i < 4; i++) await sendGift(near, { streamId: otherStream, giftId: "drama-queen", clientKey: randomUUID() });
    for (let f = 0; f < 4; f++) {
      const fan = await newUser();
      await grant(fan, 5_000n);
      await sendGift(fan, { streamId: otherStream, giftId: "drama-queen", clientKey: randomUUID() });
    }
    await runFraudJob();
    expect((await flagsOf(burst)).map((f) => f.rule)).toEqual(["NEW_ACCOUNT_BURST", "ONE_VIEWER_FUNDING"]);
    expect((await flagsOf(burst))[0].evidence).toMatchObject({ accountAgeHours: 0, rechargedCoins: "20000", giftedCoins: "20000" });
    expect((await flagsOf(burst))[1].evidence).toMatchObject({
      fromViewerDiamonds: "10000000",
      creatorTotalDiamonds: "10000000",
      sharePercent: 100,
      creatorId: creator.id,
    });
    // 19,999 coins recharged is under the burst rule; 10,000 of 20,000 diamonds (50 %) is under the 80 % funding rule.
    expect(await flagsOf(near)).toEqual([]);
  });

  test("a creator who asks to withdraw right after gifts from accounts days old is flagged, and the request waits for review", async () => {
    const creator = await newUser("CREATOR");
    const stream = (await goLive(creator, { title: "Young checks", goalCoins: null })).id;
    const fresh = await newUser();
    await grant(fresh, 10_000n);
    for (let i = 0; i < 2; i++) await sendGift(fresh, { streamId: stream, giftId: "drama-queen", clientKey: randomUUID() }); // 5,000 diamonds
    const { withdrawal } = await withdraw(creator, 2_000_000n); // $10: below the review threshold
    await runFraudJob();
    const flags = (await flagsOf(creator)).filter((f) => f.rule === "YOUNG_GIFTS_WITHDRAWAL");
    expect(flags).toHaveLength(1);
    expect(flags[0].evidence).toMatchObject({ withdrawnDiamonds: "2000000", fromYoungAccountsDiamonds: "5000000", withdrawalId: withdrawal.id });
    await settleDueWithdrawals({ creatorId: creator.id, now: later() });
    expect((await getCreatorWithdrawals(creator.id)).items[0]).toMatchObject({ id: withdrawal.id, status: "PENDING", review: "OPEN_FLAGS" });
  });

  test("one decline (and one card) below each threshold raises nothing; a dismissed flag is not raised again the same day", async () => {
    const viewer = await newUser();
    await declines(viewer, 3);
    await runFraudJob();
    expect(await flagsOf(viewer)).toEqual([]);
    await declines(viewer, 1);
    await runFraudJob();
    expect((await flagsOf(viewer)).map((f) => f.rule)).toEqual(["MANY_CARDS"]);
    await declines(viewer, 1);
    await runFraudJob();
    const operator = await newUser("OPERATOR");
    const { rows } = await getLedger().pool.query("SELECT id FROM fraud_flags WHERE user_id = $1 AND rule = 'REPEATED_DECLINES'", [viewer.id]);
    await dismissFlag(operator, rows[0].id, "Known test cards");
    await runFraudJob();
    expect((await flagsOf(viewer)).map((f) => [f.rule, f.status])).toEqual([
      ["MANY_CARDS", "OPEN"],
      ["REPEATED_DECLINES", "DISMISSED"],
    ]);
  });
});
