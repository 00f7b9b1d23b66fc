// Webhook deliveries that fail are retried by the background job until they
// are acknowledged, and an intent left "processing" completes on its own:
// a viewer who paid gets the coins exactly once, whether or not anyone opens
// the checkout page again.
import { randomUUID } from "node:crypto";
import pg from "pg";
import { describe, expect, test } from "vitest";
import type { UserProfile } from "../../lib/auth/users";
import { getLedger } from "../../lib/ledger";
import { getWalletBalances } from "../../lib/ledger/wallets";
import { createRecharge } from "../../lib/payments/intents";
import { deliverDuePayments } from "../../lib/payments/deliveries";
import { confirmPayment } from "../../lib/payments/provider";
import { deliverEvent } from "../../lib/payments/webhooks";
import { takeConsoleErrors } from "../setup/console";
import { newUser, reconcileAfterEach } from "./helpers";

// A locked wallet makes the webhook handler fail quickly.
process.env.DB_LOCK_TIMEOUT_MS = "300";

const SUCCESS = { type: "card" as const, number: "4242 4242 4242 4242", expiry: "12/35", cvc: "123", name: "Test Buyer" };
const DELAYED = { ...SUCCESS, number: "4000 0000 0000 0077" };

const buy = (user: UserProfile) => createRecharge(user, { packageId: "coins-70", platform: "web", currency: "USD", clientKey: randomUUID() });

async function creditTransfers(intentId: string): Promise<number> {
  const { rows } = await getLedger().pool.query("SELECT count(*)::int AS n FROM ledger_transfers WHERE idempotency_key = $1", [`recharge:${intentId}`]);
  return rows[0].n;
}

async function eventOf(intentId: string) {
  const { rows } = await getLedger().pool.query("SELECT id, attempts, processed_at, last_error, next_attempt_at FROM payment_events WHERE intent_id = $1", [
    intentId,
  ]);
  return rows[0] as { id: string; attempts: number; processed_at: Date | null; last_error: string | null; next_attempt_at: Date } | undefined;
}

/** Locks the viewer's coin wallet from another connection until released. */
async function lockWallet(user: UserProfile): Promise<() => Promise<void>> {
  const wallet = await getLedger().userAccount(user.id, "VIEWER_COINS");
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL! });
  await client.connect();
  await client.query("BEGIN");
  await client.query("SELECT 1 FROM ledger_accounts WHERE id = $1 FOR UPDATE", [String(wallet.id)]);
  return async () => {
    await client.query("ROLLBACK");
    await client.end();
  };
}

reconcileAfterEach();

describe("webhook deliveries", () => {
  test("a first delivery that fails leaves the payment succeeded, and the job delivers it later: credited once", async () => {
    const user = await newUser();
    const intent = await buy(user);
    const release = await lockWallet(user);
    let paid;
    try {
      paid = await confirmPayment(user.id, intent.id, SUCCESS);
    } finally {
      await release();
    }
    // The buyer is told the payment succeeded; the coins follow.
    expect(paid.status).toBe("SUCCEEDED");
    expect(paid.creditedTransferId).toBeNull();
    const logged = takeConsoleErrors().join("\n");
    expect(logged).toMatch(/payments: delivery of evt_\S+ \(intent \S+\) failed, the delivery job will retry: .*lock timeout/);
    expect((await getWalletBalances(user.id)).coins).toBe(0n);
    const before = await eventOf(intent.id);
    expect(before?.processed_at).toBeNull();

    const now = new Date(Date.now() + 60_000);
    const run = await deliverDuePayments({ now });
    expect(run.delivered).toBeGreaterThanOrEqual(1);
    expect((await getWalletBalances(user.id)).coins).toBe(77n);
    expect((await eventOf(intent.id))?.processed_at).not.toBeNull();
    // Repeats (the job again, the provider's duplicate) change nothing.
    await deliverDuePayments({ now });
    await deliverEvent(before!.id, intent.id);
    expect((await getWalletBalances(user.id)).coins).toBe(77n);
    expect(await creditTransfers(intent.id)).toBe(1);
  });

  test("a failing delivery is retried with growing delays, and recorded with its cause", async () => {
    const user = await newUser();
    const intent = await buy(user);
    const release = await lockWallet(user);
    try {
      await confirmPayment(user.id, intent.id, SUCCESS);
      const t0 = Date.now() + 60_000;
      const first = await deliverDuePayments({ now: new Date(t0) });
      expect(first.failed).toBeGreaterThanOrEqual(1);
      const after1 = await eventOf(intent.id);
      expect(after1?.attempts).toBe(1);
      expect(after1?.last_error).toMatch(/lock timeout/);
      // Not due again at once.
      const soon = await deliverDuePayments({ now: new Date(t0 + 100) });
      expect(soon.failed).toBe(0);
      const later = await deliverDuePayments({ now: new Date(after1!.next_attempt_at.getTime() + 1) });
      expect(later.failed).toBeGreaterThanOrEqual(1);
      const after2 = await eventOf(intent.id);
      expect(after2?.attempts).toBe(2);
      expect(after2!.next_attempt_at.getTime() - after1!.next_attempt_at.getTime()).toBeGreaterThan(after1!.next_attempt_at.getTime() - t0);
    } finally {
      await release();
      takeConsoleErrors();
    }
    await deliverDuePayments({ now: new Date(Date.now() + 3_600_000) });
    expect((await getWalletBalances(user.id)).coins).toBe(77n);
  });

  test("an intent left processing completes without anyone opening the checkout page", async () => {
    const user = await newUser();
    const intent = await buy(user);
    const t0 = new Date();
    expect((await confirmPayment(user.id, intent.id, DELAYED, t0)).status).toBe("PROCESSING");
    await deliverDuePayments({ now: t0 });
    expect((await getWalletBalances(user.id)).coins).toBe(0n);
    const later = new Date(t0.getTime() + 10_000);
    const [a, b] = await Promise.all([deliverDuePayments({ now: later }), deliverDuePayments({ now: later })]);
    expect(a.completed + b.completed).toBe(1);
    expect((await getWalletBalances(user.id)).coins).toBe(77n);
    expect(await creditTransfers(intent.id)).toBe(1);
  });
});
