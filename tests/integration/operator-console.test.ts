// The operator console's figures, against a scripted economy: purchases on three
// channels, gifts, a withdrawal pending then paid. Every figure must be what the
// script implies, to the cent, and add up to the trial balance.
import { randomUUID } from "node:crypto";
import { describe, expect, test } from "vitest";
import type { UserProfile } from "../../lib/auth/users";
import { storeCommission, toReferenceUsdCents } from "../../lib/economy";
import { foldEarnings } from "../../lib/earnings/queries";
import { getLedger } from "../../lib/ledger";
import { sendGift } from "../../lib/live/gifting";
import { goLive } from "../../lib/live/streams";
import { getEconomyOverview, loadEconomyOverview } from "../../lib/operator/overview";
import { lastReconciliation, runReconciliation } from "../../lib/operator/reconciliations";
import { listTransfers, parseTransferFilter } from "../../lib/operator/transfers";
import { createRecharge } from "../../lib/payments/intents";
import { confirmPayment } from "../../lib/payments/provider";
import { reversePurchase } from "../../lib/refunds/refunds";
import { approveWithdrawal, requestWithdrawal } from "../../lib/withdrawals/withdrawals";
import { grant, newUser, reconcileAfterEach } from "./helpers";

// The reconciliation-run test puts one wallet out of step with its postings on
// purpose and puts it back before it ends (in a finally), so each test still
// ends reconciled.
reconcileAfterEach();

const SUCCESS = { type: "card" as const, number: "4242 4242 4242 4242", expiry: "12/35", cvc: "123", name: "Test Buyer" };
const IBAN = { method: "bank" as const, format: "iban" as const, iban: "DE89370400440532013000" };

async function buy(user: UserProfile, packageId: string, platform: "web" | "ios" | "android", currency: "USD" | "EUR") {
  const intent = await createRecharge(user, { packageId, platform, currency, clientKey: randomUUID() });
  const paid = await confirmPayment(user.id, intent.id, SUCCESS);
  expect(paid.status).toBe("SUCCEEDED");
  return paid;
}

const filter = (params: Record<string, string>) => {
  const parsed = parseTransferFilter(params);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.filter;
};

describe("the economy overview", () => {
  test("money in, what is owed and what was kept match a scripted set of purchases, gifts and withdrawals, and add up to the trial balance", async () => {
    const pool = getLedger().pool;
    const empty = await getEconomyOverview(pool);
    expect(empty.sales).toEqual([]);
    expect(empty.kept.margin.marginBasisPoints).toBeNull();

    const [ann, bob, cem] = [await newUser("VIEWER"), await newUser("VIEWER"), await newUser("VIEWER")];
    const creator = await newUser("CREATOR", { name: "Cleo Console" });
    const operator = await newUser("OPERATOR");
    const web = await buy(ann, "coins-350", "web", "USD");
    const ios = await buy(bob, "coins-70", "ios", "USD");
    const android = await buy(cem, "coins-70", "android", "EUR");
    const bonus = web.bonusCoins + ios.bonusCoins + android.bonusCoins;
    await grant(ann, 10_000n);

    const stream = await goLive(creator, { title: "Console test", goalCoins: null });
    await sendGift(ann, { streamId: stream.id, giftId: "drama-queen", clientKey: randomUUID() }); // 5,000 coins
    await sendGift(bob, { streamId: stream.id, giftId: "rosa", clientKey: randomUUID() }); // 10 coins
    await foldEarnings(pool);

    const { withdrawal } = await requestWithdrawal(creator, { diamonds: 2_000_000n, payout: IBAN, clientKey: randomUUID() });
    const pending = await getEconomyOverview(pool);
    expect(pending.owes.pendingWithdrawals).toEqual({ count: 1, diamonds: 2_000_000n, netCents: withdrawal.netCents });
    await approveWithdrawal(operator, withdrawal.id);

    const o = await loadEconomyOverview();
    // Money in, by channel and currency, with each store's commission.
    expect(o.sales).toEqual([
      { platform: "web", currency: "USD", purchases: 1, coins: 350n, amount: web.amount, commission: 0n },
      { platform: "ios", currency: "USD", purchases: 1, coins: 70n, amount: ios.amount, commission: storeCommission("ios", ios.amount) },
      { platform: "android", currency: "EUR", purchases: 1, coins: 70n, amount: android.amount, commission: storeCommission("android", android.amount) },
    ]);
    expect(storeCommission("ios", 99n)).toBe(30n); // 29.7 cents, half up
    const today = o.salesByDay.at(-1)!;
    expect(o.salesByDay).toHaveLength(14);
    expect(today.purchases).toBe(3);
    expect(today.coins).toBe(490n);
    const revenue = web.amount + ios.amount + toReferenceUsdCents(android.amount, "EUR");
    expect(today.revenueUsdCents).toBe(revenue);
    // Gifts per day from the earnings aggregates.
    expect(o.giftsByDay.at(-1)).toMatchObject({ gifts: 2n, coins: 5_010n, diamonds: 2_505_000n });
    expect(o.giftsNotYetCounted).toBe(0);
    // What the platform owes.
    expect(o.owes.coinsOutstanding).toBe(490n + bonus + 10_000n - 5_010n);
    expect(o.owes.diamondsOwed).toBe(505_000n);
    expect(o.owes.diamondsOwedCents).toBe(252n); // 505 diamonds at half a cent, floored
    expect(o.owes.pendingWithdrawals).toEqual({ count: 0, diamonds: 0n, netCents: 0n });
    // What it kept.
    expect(o.kept).toMatchObject({
      coinsSpentOnGifts: 5_010n,
      diamondsIssued: 2_505_000n,
      diamondsRedeemed: 2_000_000n,
      bonusCoinsGranted: bonus,
      creatorPayoutCents: withdrawal.netCents,
      withdrawalFeeCents: withdrawal.feeCents,
      revenueUsdCents: revenue,
      grossSalesUsdCents: revenue,
      givenBackUsdCents: 0n,
    });
    expect(o.owes.coinDebt).toBe(0n);
    expect(o.kept.revenueByCurrency).toEqual([
      { currency: "USD", amount: web.amount + ios.amount },
      { currency: "EUR", amount: android.amount },
    ]);
    const commission = storeCommission("ios", ios.amount) + toReferenceUsdCents(storeCommission("android", android.amount), "EUR");
    expect(o.kept.commissionUsdCents).toBe(commission);
    expect(o.kept.margin.marginCents).toBe(revenue - commission - withdrawal.netCents);
    // Each asset of the trial balance sums to zero.
    expect([...new Set(o.trialBalance.map((l) => l.asset))]).toEqual(expect.arrayContaining(["COIN", "DIAMOND", "EUR", "USD"]));
    for (const asset of new Set(o.trialBalance.map((l) => l.asset))) {
      expect(
        o.trialBalance.filter((l) => l.asset === asset).reduce((sum, l) => sum + l.balance, 0n),
        asset,
      ).toBe(0n);
    }
  });
});

describe("the overview after a refund", () => {
  test("a refunded purchase that was partly spent shows as money given back and coins owed; revenue, margin and the trial balance follow", async () => {
    const pool = getLedger().pool;
    const before = await loadEconomyOverview();
    const viewer = await newUser("VIEWER");
    const creator = await newUser("CREATOR");
    const operator = await newUser("OPERATOR");
    const paid = await buy(viewer, "coins-350", "web", "USD"); // 350 + 35 bonus coins
    const stream = await goLive(creator, { title: "Refund test", goalCoins: null });
    for (let i = 0; i < 10; i++) await sendGift(viewer, { streamId: stream.id, giftId: "doughnut", clientKey: randomUUID() }); // 300 coins
    await reversePurchase({ intentId: paid.id, kind: "REFUND", reason: "unauthorised charge", operatorId: operator.id });

    const after = await loadEconomyOverview();
    expect(after.kept.givenBackUsdCents - before.kept.givenBackUsdCents).toBe(paid.amount);
    expect(after.kept.grossSalesUsdCents - before.kept.grossSalesUsdCents).toBe(paid.amount);
    expect(after.kept.revenueUsdCents).toBe(before.kept.revenueUsdCents);
    expect(after.owes.coinDebt - before.owes.coinDebt).toBe(300n);
    expect(after.owes.coinsOutstanding).toBe(before.owes.coinsOutstanding);
    expect([...new Set(after.trialBalance.map((l) => l.asset))]).toEqual(expect.arrayContaining(["COIN", "DIAMOND", "USD"]));
    for (const asset of new Set(after.trialBalance.map((l) => l.asset))) {
      expect(
        after.trialBalance.filter((l) => l.asset === asset).reduce((sum, l) => sum + l.balance, 0n),
        asset,
      ).toBe(0n);
    }
    const refunds = await listTransfers(pool, filter({ kind: "REFUND", user: viewer.email }));
    expect(refunds.items).toHaveLength(1);
    expect(refunds.items[0]!.metadata).toMatchObject({ reason: "unauthorised charge", operatorId: operator.id, intentId: paid.id });
  });
});

describe("reconciliation runs", () => {
  test("a run is kept with who ran it; drift is found and named by account", async () => {
    const pool = getLedger().pool;
    const operator = await newUser("OPERATOR", { name: "Oona Operator" });
    const viewer = await newUser("VIEWER");
    await grant(viewer, 100n);
    const { run } = await runReconciliation(pool, operator.id);
    expect(run).toMatchObject({ ok: true, drift: [], unbalanced: [], runBy: { id: operator.id, name: "Oona Operator" } });
    expect(await lastReconciliation(pool)).toEqual(run);

    const wallet = await getLedger().userAccount(viewer.id, "VIEWER_COINS");
    await pool.query("UPDATE ledger_accounts SET balance = balance + 7 WHERE id = $1", [String(wallet.id)]);
    try {
      const drifted = await runReconciliation(pool, null);
      expect(drifted.run.ok).toBe(false);
      expect(drifted.run.runBy).toBeNull();
      expect(drifted.run.drift).toEqual([{ accountId: String(wallet.id), code: wallet.code, cached: "107", computed: "100" }]);
      expect((await lastReconciliation(pool))?.id).toBe(drifted.run.id);
    } finally {
      await pool.query("UPDATE ledger_accounts SET balance = balance - 7 WHERE id = $1", [String(wallet.id)]);
    }
  });
});

describe("the transfer browser", () => {
  test("filters by kind, by user and by day, newest first, a page at a time", async () => {
    const pool = getLedger().pool;
    const ann = await newUser("VIEWER");
    const creator = await newUser("CREATOR");
    await buy(ann, "coins-70", "web", "USD");
    await grant(ann, 1_000n);
    const stream = await goLive(creator, { title: "Browser test", goalCoins: null });
    for (let i = 0; i < 3; i++) await sendGift(ann, { streamId: stream.id, giftId: "rose", clientKey: randomUUID() });

    const recharges = await listTransfers(pool, filter({ kind: "RECHARGE", user: ann.email }));
    expect(recharges.items.map((t) => t.kind)).toEqual(["RECHARGE"]);
    expect(recharges.items[0]!.postings.map((p) => [p.accountKind, p.asset]).sort()).toEqual(
      [
        ["COIN_ISSUANCE", "COIN"],
        ["DEFERRED_REVENUE", "USD"],
        ["PAYMENT_CLEARING", "USD"],
        ["VIEWER_COINS", "COIN"],
      ].sort(),
    );

    const mine = await listTransfers(pool, filter({ user: ann.email.toUpperCase() }));
    expect(mine.items.map((t) => t.kind)).toEqual(["GIFT", "GIFT", "GIFT", "ADJUSTMENT", "BONUS", "RECHARGE"]);
    expect(mine.items.every((t) => t.postings.some((p) => p.user?.id === ann.id))).toBe(true);

    const first = await listTransfers(pool, filter({ user: ann.email }), 4);
    expect(first.items).toHaveLength(4);
    const second = await listTransfers(pool, { ...filter({ user: ann.email }), before: first.nextBefore }, 4);
    expect([...first.items, ...second.items].map((t) => t.id)).toEqual(mine.items.map((t) => t.id));
    expect(second.nextBefore).toBeNull();

    const today = new Date().toISOString().slice(0, 10);
    expect((await listTransfers(pool, filter({ kind: "GIFT", user: ann.email, from: today, to: today }))).items).toHaveLength(3);
    expect((await listTransfers(pool, filter({ kind: "GIFT", to: "2000-01-01" }))).items).toEqual([]);
    expect(await listTransfers(pool, filter({ user: "nobody@example.test" }))).toEqual({ items: [], nextBefore: null, unknownUser: true });
  });

  test("a malformed filter is a message, never an error or a query", () => {
    const message = (params: Record<string, string | string[]>) => {
      const parsed = parseTransferFilter(params);
      return parsed.ok ? null : parsed.message;
    };
    expect(message({ kind: "THEFT" })).toMatch(/^The kind is one of RECHARGE, BONUS/);
    expect(message({ kind: "GIFT' OR 1=1 --" })).toMatch(/^The kind is one of/);
    expect(message({ user: "not-an-email" })).toBe("The user is an email address.");
    expect(message({ from: "2026-02-30" })).toBe("That day does not exist.");
    expect(message({ from: "yesterday" })).toBe("A day is written YYYY-MM-DD.");
    expect(message({ from: "2026-12-02", to: "2026-12-01" })).toBe("The first day comes after the last day.");
    expect(message({ before: "99999999999999999999" })).toMatch(/^The page cursor/);
    expect(message({ before: "-1" })).toMatch(/^The page cursor must be a transfer id/);
    expect(message({ kind: ["GIFT", "BONUS"] })).toBeNull(); // the first of a repeated parameter
  });
});
