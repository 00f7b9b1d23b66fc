// The integration tests' helpers, one module in three parts:
//
// 1. Reconciliation. A test file that moves value calls reconcileAfterEach()
//    once, at its top level: after each of its tests the file's database is
//    reconciled with lib/ledger/reconcile (every cached balance equals its
//    postings, every transfer and every asset sums to zero, each refunded
//    purchase has its one reversal). A file that moves value without it fails
//    at its end (tests/setup/integration.ts).
// 2. Users and coins through the app's own modules on the process-wide ledger
//    (getLedger(), as the server actions use it): newUser, grant, liveRefusal.
// 3. A ledger of the file's own on a pool of its own, for the tests of the
//    ledger itself: ledgerForFile (which reconciles that pool after each
//    test), createTestUser, grantCoins.
import { randomUUID } from "node:crypto";
import type pg from "pg";
import { afterAll, afterEach, expect } from "vitest";
import { createUser, type UserProfile } from "../../lib/auth/users";
import { createPool } from "../../lib/db/pool";
import { getLedger } from "../../lib/ledger";
import { Ledger } from "../../lib/ledger/ledger";
import { reconcile } from "../../lib/ledger/reconcile";
import { LiveError } from "../../lib/live/streams";

// ---------------------------------------------------------------------------
// 1. Reconciliation

/** Fails unless the ledger on `pool` reconciles, naming what does not. */
export async function expectReconciled(pool: pg.Pool): Promise<void> {
  const result = await reconcile(pool);
  expect(result.drift, "cached balances that differ from their postings").toEqual([]);
  expect(result.unbalancedTransfers, "transfers whose postings do not sum to zero").toEqual([]);
  expect(
    result.assetTotals.filter((t) => t.total !== 0n),
    "assets whose postings do not sum to zero",
  ).toEqual([]);
  expect(result.reversalMismatches, "refunds without exactly one reversal").toEqual([]);
  expect(result.ok).toBe(true);
}

/**
 * Reconciles the file's database after each test, on `pool` (by default the
 * process-wide ledger's); a getter that returns undefined (a pool not made
 * yet) skips it. Call it once, at the top level of the test file.
 */
export function reconcileAfterEach(pool: () => pg.Pool | undefined = () => getLedger().pool): void {
  (globalThis as { reconcilesAfterEach?: boolean }).reconcilesAfterEach = true;
  afterEach(async () => {
    const target = pool();
    if (target) await expectReconciled(target);
  });
}

// ---------------------------------------------------------------------------
// 2. Users and coins on the process-wide ledger

/** A signed-up user with a random email; adult unless a birth date says otherwise. */
export async function newUser(
  role: "VIEWER" | "CREATOR" | "OPERATOR" = "VIEWER",
  { birthDate = "1990-01-01", name = `U${randomUUID().slice(0, 5)}` }: { birthDate?: string; name?: string } = {},
): Promise<UserProfile> {
  const result = await createUser({ email: `${randomUUID()}@example.test`, displayName: name, password: "correct-horse-42", birthDate, role });
  if (!result.ok) throw new Error(result.message);
  return result.user;
}

/** Credits the user's coin wallet from coin issuance (a test adjustment, balanced like any transfer). */
export async function grant(user: UserProfile, coins: bigint): Promise<void> {
  const ledger = getLedger();
  await grantCoins(ledger, (await ledger.userAccount(user.id, "VIEWER_COINS")).id, coins);
}

/** The LiveError a call is refused with (fails the test when it is not refused that way). */
export async function liveRefusal(work: Promise<unknown>): Promise<LiveError> {
  const error = await work.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(LiveError);
  return error as LiveError;
}

// ---------------------------------------------------------------------------
// 3. A ledger of the file's own

/** A ledger on this file's database with a pool of its own, reconciled after every test. */
export function ledgerForFile(options: ConstructorParameters<typeof Ledger>[1] = {}, poolSize = 20) {
  const state = {} as { pool: pg.Pool; ledger: Ledger };
  const get = () => {
    if (!state.pool) {
      state.pool = createPool(process.env.DATABASE_URL!, poolSize);
      state.ledger = new Ledger(state.pool, options);
    }
    return state;
  };
  reconcileAfterEach(() => state.pool);
  afterAll(async () => {
    await state.pool?.end();
  });
  return get;
}

/** A user inserted directly (no password hashing), with its coin and diamond wallets. */
export async function createTestUser(ledger: Ledger, role: "VIEWER" | "CREATOR" = "VIEWER", birthDate = "1990-01-01") {
  const id = randomUUID();
  await ledger.pool.query(`INSERT INTO users (id, email, display_name, password_hash, birth_date, role) VALUES ($1, $2, $3, 'x', $4, $5)`, [
    id,
    `${id}@example.test`,
    `User ${id.slice(0, 6)}`,
    birthDate,
    role,
  ]);
  const coins = await ledger.userAccount(id, "VIEWER_COINS");
  const diamonds = await ledger.userAccount(id, "CREATOR_DIAMONDS");
  return { id, coins: coins.id, diamonds: diamonds.id };
}

/** Credits coins to `account` as a (test) adjustment from coin issuance. */
export async function grantCoins(ledger: Ledger, account: bigint, coins: bigint) {
  const issuance = await ledger.platformAccount("coin_issuance");
  return ledger.post({
    idempotencyKey: `test-grant:${randomUUID()}`,
    kind: "ADJUSTMENT",
    metadata: { reason: "test grant" },
    postings: [
      { accountId: issuance.id, amount: -coins },
      { accountId: account, amount: coins },
    ],
  });
}
