import { randomUUID } from "node:crypto";
import { afterAll, afterEach, expect } from "vitest";
import { createPool } from "../../lib/db/pool";
import { Ledger } from "../../lib/ledger/ledger";
import { reconcile } from "../../lib/ledger/reconcile";

/** A ledger on this file's database, with reconciliation checked after every test. */
export function ledgerForFile(options: ConstructorParameters<typeof Ledger>[1] = {}, poolSize = 20) {
  const state = {} as { pool: ReturnType<typeof createPool>; ledger: Ledger };
  const get = () => {
    if (!state.pool) {
      state.pool = createPool(process.env.DATABASE_URL!, poolSize);
      state.ledger = new Ledger(state.pool, options);
    }
    return state;
  };
  afterEach(async () => {
    if (!state.pool) return;
    const result = await reconcile(state.pool);
    expect(result.drift, "cached balances match postings").toEqual([]);
    expect(result.unbalancedTransfers).toEqual([]);
    expect(result.ok).toBe(true);
  });
  afterAll(async () => {
    await state.pool?.end();
  });
  return get;
}

export async function createTestUser(ledger: Ledger, role: "VIEWER" | "CREATOR" = "VIEWER", birthDate = "1990-01-01") {
  const id = randomUUID();
  await ledger.pool.query(
    `INSERT INTO users (id, email, display_name, password_hash, birth_date, role) VALUES ($1, $2, $3, 'x', $4, $5)`,
    [id, `${id}@example.test`, `User ${id.slice(0, 6)}`, birthDate, role],
  );
  const coins = await ledger.userAccount(id, "VIEWER_COINS");
  const diamonds = await ledger.userAccount(id, "CREATOR_DIAMONDS");
  return { id, coins: coins.id, diamonds: diamonds.id };
}

/** Credits coins as a (test) recharge from coin issuance. */
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
