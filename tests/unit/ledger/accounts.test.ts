import type pg from "pg";
import { describe, expect, test } from "vitest";
import { AccountRegistry } from "../../../lib/ledger/accounts";
import { LedgerError } from "../../../lib/ledger/types";

interface Row {
  id: bigint;
  code: string;
  asset: string;
  kind: string;
  user_id: string | null;
  allow_negative: boolean;
}

/** A database of accounts that answers the registry's three queries and counts them. */
function fakeDb(initial: Row[] = []) {
  const rows = new Map(initial.map((row) => [row.code, row]));
  let nextId = 100n;
  const queries: Array<{ text: string; values: unknown[] }> = [];
  const db = {
    queries,
    async query(text: string, values: unknown[]) {
      queries.push({ text, values });
      if (text.includes("id = ANY")) {
        const ids = new Set(values[0] as string[]);
        return { rows: [...rows.values()].filter((row) => ids.has(String(row.id))) };
      }
      if (text.startsWith("WITH created")) {
        const [code, asset, kind, userId] = values as string[];
        if (!rows.has(code!)) rows.set(code!, { id: nextId++, code: code!, asset: asset!, kind: kind!, user_id: userId!, allow_negative: false });
        return { rows: [rows.get(code!)] };
      }
      const row = rows.get(values[0] as string);
      return { rows: row ? [row] : [] };
    },
  };
  return db;
}

const platform = (id: bigint, code: string): Row => ({
  id,
  code: `platform:${code}`,
  asset: "COIN",
  kind: "GIFT_REVENUE",
  user_id: null,
  allow_negative: true,
});

function registry(db: ReturnType<typeof fakeDb>, size?: number) {
  return new AccountRegistry(db as unknown as pg.Pool, size);
}

describe("the account registry", () => {
  test("reads only the accounts it does not hold, each once, and refuses an unknown id", async () => {
    const db = fakeDb([platform(1n, "gift_revenue"), platform(2n, "coin_issuance")]);
    const accounts = registry(db);
    const found = await accounts.getAccounts([1n, 2n, 1n]);
    expect([...found.keys()]).toEqual([1n, 2n]);
    expect(found.get(1n)).toEqual({ id: 1n, code: "platform:gift_revenue", asset: "COIN", kind: "GIFT_REVENUE", userId: null, allowNegative: true });
    expect(db.queries).toHaveLength(1);
    expect(db.queries[0]!.values).toEqual([["1", "2"]]);
    await accounts.getAccounts([2n, 1n]);
    expect(db.queries).toHaveLength(1);

    const error = await accounts.getAccounts([1n, 9n]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LedgerError);
    expect(error).toMatchObject({ code: "UNKNOWN_ACCOUNT", message: "Account 9 does not exist.", details: { accountId: "9" } });
    expect(db.queries.at(-1)!.values).toEqual([["9"]]);
  });

  test("cached() answers from memory only: all the accounts, or undefined", async () => {
    const accounts = registry(fakeDb([platform(1n, "gift_revenue"), platform(2n, "coin_issuance")]));
    expect(accounts.cached([1n])).toBeUndefined();
    await accounts.getAccounts([1n]);
    expect(accounts.cached([1n])?.get(1n)?.code).toBe("platform:gift_revenue");
    expect(accounts.cached([1n, 2n])).toBeUndefined();
  });

  test("an account found by code is kept by code and by id; a missing code is asked again", async () => {
    const db = fakeDb([platform(1n, "gift_revenue")]);
    const accounts = registry(db);
    expect((await accounts.getAccountByCode("platform:gift_revenue"))?.id).toBe(1n);
    expect((await accounts.platformAccount("gift_revenue")).id).toBe(1n);
    expect(accounts.cached([1n])).toBeDefined();
    expect(db.queries).toHaveLength(1);
    expect(await accounts.getAccountByCode("platform:nothing")).toBeNull();
    expect(await accounts.getAccountByCode("platform:nothing")).toBeNull();
    expect(db.queries).toHaveLength(3);
    await expect(accounts.platformAccount("fees")).rejects.toMatchObject({
      code: "UNKNOWN_ACCOUNT",
      message: "Platform account fees is missing; run the migrations.",
    });
  });

  test("a user's wallet is created on first use with its asset and code, then served from memory", async () => {
    const db = fakeDb();
    const accounts = registry(db);
    const coins = await accounts.userAccount("u1", "VIEWER_COINS");
    expect(coins).toMatchObject({ code: "user:u1:coins", asset: "COIN", kind: "VIEWER_COINS", userId: "u1", allowNegative: false });
    expect(db.queries[0]!.values).toEqual(["user:u1:coins", "COIN", "VIEWER_COINS", "u1"]);
    expect(await accounts.userAccount("u1", "VIEWER_COINS")).toEqual(coins);
    expect(db.queries).toHaveLength(1);
    expect((await accounts.userAccount("u1", "CREATOR_DIAMONDS")).asset).toBe("DIAMOND");
    expect((await accounts.userAccount("u1", "CREATOR_PAYABLE")).code).toBe("user:u1:payable");
  });

  test("a wallet opened in a caller's transaction is kept by id but looked up by code again (the transaction may roll back)", async () => {
    const db = fakeDb();
    const accounts = registry(db);
    const client = { query: db.query } as unknown as pg.PoolClient;
    const account = await accounts.userAccount("u2", "VIEWER_COINS", client);
    expect(accounts.cached([account.id])).toBeDefined();
    expect(accounts.cachedCount()).toEqual({ byId: 1, byCode: 0 });
    await accounts.userAccount("u2", "VIEWER_COINS");
    expect(db.queries).toHaveLength(2);
    expect(accounts.cachedCount()).toEqual({ byId: 1, byCode: 1 });
  });

  test("holds at most cacheSize accounts by id and by code", async () => {
    const accounts = registry(fakeDb(), 10);
    for (let i = 0; i < 50; i++) await accounts.userAccount(`u${i}`, "VIEWER_COINS");
    expect(accounts.cachedCount()).toEqual({ byId: 10, byCode: 10 });
  });
});
