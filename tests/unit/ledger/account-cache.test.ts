import type pg from "pg";
import { describe, expect, test } from "vitest";
import { Ledger } from "../../../lib/ledger/ledger";

/** A pool that knows every account id asked for (a viewer wallet each). */
function fakePool(): pg.Pool & { queries: number } {
  const fake = {
    queries: 0,
    async query(_text: string, values: unknown[]) {
      fake.queries++;
      const ids = values[0] as string[];
      return { rows: ids.map((id) => ({ id: BigInt(id), code: `user:${id}:coins`, asset: "COIN", kind: "VIEWER_COINS", user_id: id, allow_negative: false })) };
    },
  };
  return fake as unknown as pg.Pool & { queries: number };
}

describe("the ledger's account cache", () => {
  test("keeps at most accountCacheSize accounts however many pass", async () => {
    const pool = fakePool();
    const ledger = new Ledger(pool, { accountCacheSize: 100 });
    for (let i = 1; i <= 1_000; i++) await ledger.getAccounts([BigInt(i)]);
    expect(ledger.cachedAccounts().byId).toBeLessThanOrEqual(100);
    // The latest ones are still served from memory.
    const before = pool.queries;
    await ledger.getAccounts([1_000n, 999n]);
    expect(pool.queries).toBe(before);
    // An evicted one is read again, and still found.
    const found = await ledger.getAccounts([1n]);
    expect(found.get(1n)?.code).toBe("user:1:coins");
    expect(pool.queries).toBe(before + 1);
  });

  test("a lookup of more accounts than the cache holds still finds them all", async () => {
    const ledger = new Ledger(fakePool(), { accountCacheSize: 10 });
    const ids = Array.from({ length: 50 }, (_, i) => BigInt(i + 1));
    const found = await ledger.getAccounts(ids);
    expect(found.size).toBe(50);
  });
});
