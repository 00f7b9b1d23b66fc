// An idempotency key names one request. Sent again with the same request it
// returns the first payment intent or withdrawal (a retry); sent with another
// request it is refused with a message and changes nothing — as the ledger
// refuses a transfer key reused with other postings.
import { randomUUID } from "node:crypto";
import { describe, expect, test } from "vitest";
import { sendGift } from "../../lib/live/gifting";
import { goLive } from "../../lib/live/streams";
import { createRecharge, PaymentError } from "../../lib/payments/intents";
import type { PayoutDetails } from "../../lib/withdrawals/payout";
import { requestWithdrawal, WithdrawalError } from "../../lib/withdrawals/withdrawals";
import { grant, newUser, reconcileAfterEach } from "./helpers";
import { snapshot } from "./db-snapshot";

reconcileAfterEach();

async function refusal(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof PaymentError || error instanceof WithdrawalError) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error("expected a refusal");
}

describe("payment intents", () => {
  const base = { platform: "web", currency: "USD" } as const;

  test("the same key and request return the first intent", async () => {
    const viewer = await newUser();
    const clientKey = `k-${randomUUID()}`;
    const first = await createRecharge(viewer, { ...base, packageId: "coins-70", clientKey });
    const again = await createRecharge(viewer, { ...base, packageId: "coins-70", clientKey });
    expect(again.id).toBe(first.id);
  });

  test.each([
    ["another package", { packageId: "coins-350" }],
    ["another currency", { packageId: "coins-70", currency: "EUR" }],
    ["another platform", { packageId: "coins-70", platform: "android" }],
    ["a custom amount", { packageId: null, customCoins: "1000" }],
  ])("the key of a package purchase reused for %s is refused (KEY_REUSED), nothing written", async (_label, change) => {
    const viewer = await newUser();
    const clientKey = `k-${randomUUID()}`;
    await createRecharge(viewer, { ...base, packageId: "coins-70", clientKey });
    const before = await snapshot();
    const refused = await refusal(createRecharge(viewer, { ...base, clientKey, ...change }));
    expect(refused.code).toBe("KEY_REUSED");
    expect(refused.message).toMatch(/already used|reload/i);
    expect(await snapshot()).toEqual(before);
  });

  test("the key of a custom amount reused for another amount is refused", async () => {
    const viewer = await newUser();
    const clientKey = `k-${randomUUID()}`;
    await createRecharge(viewer, { ...base, customCoins: "1000", clientKey });
    expect((await createRecharge(viewer, { ...base, customCoins: "1000", clientKey })).coins).toBe(1000n);
    expect((await refusal(createRecharge(viewer, { ...base, customCoins: "1001", clientKey }))).code).toBe("KEY_REUSED");
  });
});

describe("withdrawals", () => {
  const IBAN: PayoutDetails = { method: "bank", format: "iban", iban: "DE89370400440532013000" };
  const OTHER_IBAN: PayoutDetails = { method: "bank", format: "iban", iban: "GB82WEST12345698765432" };
  const PAYPAL: PayoutDetails = { method: "paypal", email: "cleo@example.com" };

  async function creatorWithDiamonds() {
    const creator = await newUser("CREATOR");
    const stream = await goLive(creator, { title: "Key reuse", goalCoins: null });
    const viewer = await newUser();
    await grant(viewer, 100_000n);
    for (let i = 0; i < 4; i++) await sendGift(viewer, { streamId: stream.id, giftId: "interstellar", clientKey: randomUUID() });
    return creator;
  }

  test("the same key and request return the first withdrawal", async () => {
    const creator = await creatorWithDiamonds();
    const clientKey = `k-${randomUUID()}`;
    const first = await requestWithdrawal(creator, { diamonds: 5_000_000n, payout: IBAN, clientKey });
    const again = await requestWithdrawal(creator, { diamonds: 5_000_000n, payout: IBAN, clientKey });
    expect([again.withdrawal.id, again.replayed]).toEqual([first.withdrawal.id, true]);
    const allKey = `k-${randomUUID()}`;
    const all = await requestWithdrawal(creator, { diamonds: "all", payout: PAYPAL, clientKey: allKey });
    const allAgain = await requestWithdrawal(creator, { diamonds: "all", payout: PAYPAL, clientKey: allKey });
    expect([allAgain.withdrawal.id, allAgain.replayed]).toEqual([all.withdrawal.id, true]);
  });

  test.each<[string, { diamonds: bigint | "all"; payout: PayoutDetails }]>([
    ["another amount", { diamonds: 6_000_000n, payout: IBAN }],
    ["all the diamonds", { diamonds: "all", payout: IBAN }],
    ["another account", { diamonds: 5_000_000n, payout: OTHER_IBAN }],
    ["another method", { diamonds: 5_000_000n, payout: PAYPAL }],
  ])("the key reused for %s is refused (KEY_REUSED), nothing written", async (_label, change) => {
    const creator = await creatorWithDiamonds();
    const clientKey = `k-${randomUUID()}`;
    await requestWithdrawal(creator, { diamonds: 5_000_000n, payout: IBAN, clientKey });
    const before = await snapshot();
    const refused = await refusal(requestWithdrawal(creator, { ...change, clientKey }));
    expect(refused.code).toBe("KEY_REUSED");
    expect(refused.message).toMatch(/already used|reload/i);
    expect(await snapshot()).toEqual(before);
  });
});
