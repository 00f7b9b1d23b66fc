import { describe, expect, test } from "vitest";
import type { Queryable } from "../../../lib/db/queryable";
import { getBalance, getHistory, getTransfer, loadPostings } from "../../../lib/ledger/reads";

/** A Queryable that answers each query with the next of `answers` and keeps what it was asked. */
function fakeDb(...answers: Array<Array<Record<string, unknown>>>) {
  const asked: Array<{ text: string; values: unknown[] }> = [];
  const db = {
    asked,
    async query(text: string, values: unknown[]) {
      asked.push({ text, values });
      return { rows: answers.shift() ?? [] };
    },
  };
  return db as typeof db & Queryable;
}

const at = new Date("2026-12-01T10:00:00Z");
const postingRow = (id: bigint) => ({
  posting_id: id,
  amount: -id,
  asset: "COIN",
  transfer_id: id + 1000n,
  kind: "GIFT",
  metadata: { n: String(id) },
  created_at: at,
});

describe("getBalance", () => {
  test("is the balance cached on the account; an unknown account is refused", async () => {
    const db = fakeDb([{ balance: 42n }], []);
    expect(await getBalance(db, 7n)).toBe(42n);
    expect(db.asked[0]!.values).toEqual(["7"]);
    await expect(getBalance(db, 8n)).rejects.toMatchObject({ code: "UNKNOWN_ACCOUNT", message: "Account 8 does not exist." });
  });
});

describe("getHistory", () => {
  test("is a page of postings, newest first, with a cursor when there are more", async () => {
    const db = fakeDb([postingRow(30n), postingRow(20n), postingRow(10n)]);
    const page = await getHistory(db, 5n, { limit: 2 });
    expect(db.asked[0]!.values).toEqual(["5", null, null, 3]);
    expect(page.items).toEqual([
      { postingId: 30n, transferId: 1030n, kind: "GIFT", asset: "COIN", amount: -30n, metadata: { n: "30" }, createdAt: at },
      { postingId: 20n, transferId: 1020n, kind: "GIFT", asset: "COIN", amount: -20n, metadata: { n: "20" }, createdAt: at },
    ]);
    expect(page.nextCursor).toBe("20");
  });

  test("the last page has no cursor", async () => {
    const page = await getHistory(fakeDb([postingRow(10n)]), 5n, { limit: 2 });
    expect(page.items).toHaveLength(1);
    expect(page.nextCursor).toBeNull();
  });

  test("passes a numeric cursor and the kinds on; ignores a cursor that is not a posting id; holds the limit to 1–200", async () => {
    const db = fakeDb();
    await getHistory(db, 5n, { cursor: "123", kinds: ["GIFT", "REFUND"] });
    await getHistory(db, 5n, { cursor: "1; DROP TABLE x", limit: 0 });
    await getHistory(db, 5n, { limit: 10_000.7 });
    await getHistory(db, 5n);
    expect(db.asked.map((q) => q.values)).toEqual([
      ["5", "123", ["GIFT", "REFUND"], 21],
      ["5", null, null, 2],
      ["5", null, null, 201],
      ["5", null, null, 21],
    ]);
  });
});

describe("getTransfer and loadPostings", () => {
  const transferRow = { id: 9n, idempotency_key: "k9", kind: "GIFT", metadata: null, created_at: at };
  const postings = [
    { transfer_id: 9n, account_id: 1n, asset: "COIN", amount: -5n },
    { transfer_id: 9n, account_id: 2n, asset: "COIN", amount: 5n },
  ];

  test("a transfer by id or by key, with its postings in the order written (no metadata reads as {})", async () => {
    const db = fakeDb([transferRow], postings);
    expect(await getTransfer(db, { id: 9n })).toEqual({
      id: 9n,
      idempotencyKey: "k9",
      kind: "GIFT",
      metadata: {},
      createdAt: at,
      postings: [
        { accountId: 1n, asset: "COIN", amount: -5n },
        { accountId: 2n, asset: "COIN", amount: 5n },
      ],
    });
    expect(db.asked[0]!.text).toMatch(/WHERE id = \$1$/);
    expect(db.asked[0]!.values).toEqual(["9"]);
    expect(db.asked[1]!.values).toEqual([["9"]]);

    const byKey = fakeDb([transferRow], postings);
    expect((await getTransfer(byKey, { idempotencyKey: "k9" }))?.id).toBe(9n);
    expect(byKey.asked[0]!.text).toMatch(/WHERE idempotency_key = \$1$/);
  });

  test("no transfer is null, and nothing more is read", async () => {
    const db = fakeDb([]);
    expect(await getTransfer(db, { idempotencyKey: "none" })).toBeNull();
    expect(db.asked).toHaveLength(1);
  });

  test("loadPostings groups the postings by transfer", async () => {
    const db = fakeDb([...postings, { transfer_id: 10n, account_id: 3n, asset: "DIAMOND", amount: 1n }]);
    const byTransfer = await loadPostings(db, [9n, 10n]);
    expect(db.asked[0]!.values).toEqual([["9", "10"]]);
    expect(byTransfer.get(9n)).toHaveLength(2);
    expect(byTransfer.get(10n)).toEqual([{ accountId: 3n, asset: "DIAMOND", amount: 1n }]);
  });
});
