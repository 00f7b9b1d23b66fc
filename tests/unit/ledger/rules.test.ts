import { hash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import {
  balancedPostings,
  canonical,
  checkShape,
  contentHash,
  postResult,
  prepareTransfer,
  repeatedKey,
  shortfall,
  storedTransfer,
  toJson,
} from "../../../lib/ledger/rules";
import { LedgerError, type Account, type Asset, type TransferInput } from "../../../lib/ledger/types";

function account(id: bigint, asset: Asset, allowNegative = false): Account {
  return { id, code: `test:${id}`, asset, kind: allowNegative ? "GIFT_REVENUE" : "VIEWER_COINS", userId: null, allowNegative };
}

const accounts = new Map<bigint, Account>([
  [1n, account(1n, "COIN")],
  [2n, account(2n, "COIN", true)],
  [3n, account(3n, "DIAMOND", true)],
  [4n, account(4n, "DIAMOND")],
]);

function gift(overrides: Partial<TransferInput> = {}): TransferInput {
  return {
    idempotencyKey: "gift-1",
    kind: "GIFT",
    metadata: { coins: "10", streamId: "s1" },
    postings: [
      { accountId: 1n, amount: -10n },
      { accountId: 2n, amount: 10n },
      { accountId: 3n, amount: -5000n },
      { accountId: 4n, amount: 5000n },
    ],
    ...overrides,
  };
}

function refusal(run: () => unknown): LedgerError {
  try {
    run();
  } catch (error) {
    if (error instanceof LedgerError) return error;
    throw error;
  }
  throw new Error("expected a LedgerError");
}

describe("checkShape", () => {
  test("accepts a key of 1 to 200 characters, two or more postings, non-zero bigint amounts", () => {
    expect(() => checkShape(gift())).not.toThrow();
    expect(() => checkShape(gift({ idempotencyKey: "k" }))).not.toThrow();
    expect(() => checkShape(gift({ idempotencyKey: "k".repeat(200) }))).not.toThrow();
  });

  test("refuses a missing, empty or over-long key", () => {
    for (const key of ["", "k".repeat(201), undefined as unknown as string, 7 as unknown as string]) {
      const error = refusal(() => checkShape(gift({ idempotencyKey: key })));
      expect(error.code).toBe("INVALID_TRANSFER");
      expect(error.message).toBe("The idempotency key must be 1–200 characters.");
    }
  });

  test("refuses fewer than two postings, or postings that are not an array", () => {
    for (const postings of [[], [{ accountId: 1n, amount: 1n }], undefined as unknown as TransferInput["postings"]]) {
      const error = refusal(() => checkShape(gift({ postings })));
      expect(error.code).toBe("INVALID_TRANSFER");
      expect(error.message).toBe("A transfer needs at least two postings.");
    }
  });

  test("refuses a zero amount and an amount that is not a bigint", () => {
    for (const amount of [0n, 5 as unknown as bigint, "5" as unknown as bigint]) {
      const error = refusal(() =>
        checkShape(
          gift({
            postings: [
              { accountId: 1n, amount },
              { accountId: 2n, amount: 5n },
            ],
          }),
        ),
      );
      expect(error.code).toBe("INVALID_TRANSFER");
      expect(error.message).toMatch(/non-zero integer amount/);
    }
  });
});

describe("balancedPostings", () => {
  test("gives each posting its account's asset", () => {
    expect(balancedPostings(gift(), accounts)).toEqual([
      { accountId: 1n, asset: "COIN", amount: -10n },
      { accountId: 2n, asset: "COIN", amount: 10n },
      { accountId: 3n, asset: "DIAMOND", amount: -5000n },
      { accountId: 4n, asset: "DIAMOND", amount: 5000n },
    ]);
  });

  test("refuses an account it does not know", () => {
    const error = refusal(() =>
      balancedPostings(
        gift({
          postings: [
            { accountId: 1n, amount: -1n },
            { accountId: 99n, amount: 1n },
          ],
        }),
        accounts,
      ),
    );
    expect(error.code).toBe("UNKNOWN_ACCOUNT");
    expect(error.details).toEqual({ accountId: "99" });
  });

  test("refuses postings that do not sum to zero in every asset, even when the total does", () => {
    const error = refusal(() =>
      balancedPostings(
        gift({
          postings: [
            { accountId: 1n, amount: -5n },
            { accountId: 4n, amount: 5n },
          ],
        }),
        accounts,
      ),
    );
    expect(error.code).toBe("UNBALANCED");
    expect(error.message).toBe("The COIN postings sum to -5, not zero.");
    expect(error.details).toEqual({ asset: "COIN", sum: "-5" });
  });
});

describe("canonical JSON and the content hash", () => {
  test("canonical sorts keys, leaves out undefined members, writes bigints as strings and keeps array order", () => {
    expect(canonical({ b: 1, a: [3n, "x", null], c: undefined, d: { z: true, y: 2n } })).toBe('{"a":["3","x",null],"b":1,"d":{"y":"2","z":true}}');
    expect(canonical(5n)).toBe('"5"');
    expect(canonical(null)).toBe("null");
  });

  test("toJson is the metadata as stored: bigints as strings, keys as given", () => {
    expect(toJson({ coins: 5n, b: "x", a: 1 })).toBe('{"coins":"5","b":"x","a":1}');
  });

  test("the hash is SHA-256 of canonical({ kind, metadata, postings sorted by account then amount })", () => {
    fc.assert(
      fc.property(
        fc.constantFrom("GIFT", "ADJUSTMENT", "REFUND"),
        fc.dictionary(fc.string({ maxLength: 5 }), fc.oneof(fc.string({ maxLength: 5 }), fc.integer(), fc.bigInt())),
        fc.array(fc.tuple(fc.constantFrom(1n, 2n, 3n, 4n), fc.bigInt({ min: -1000n, max: 1000n })), { minLength: 1, maxLength: 6 }),
        (kind, metadata, pairs) => {
          const postings = pairs.map(([accountId, amount]) => ({ accountId, asset: accounts.get(accountId)!.asset, amount }));
          const input = { idempotencyKey: "k", kind: kind as TransferInput["kind"], metadata, postings };
          const sorted = [...postings].sort((a, b) => (a.accountId === b.accountId ? Number(a.amount - b.amount) : Number(a.accountId - b.accountId)));
          const expected = hash("sha256", canonical({ kind, metadata, postings: sorted }), "hex");
          expect(contentHash(input, postings)).toBe(expected);
        },
      ),
    );
  });

  test("the same content is the same hash whatever the order of postings and metadata keys", () => {
    const a = gift({ metadata: { coins: "10", streamId: "s1" } });
    const b = gift({ metadata: { streamId: "s1", coins: "10" }, postings: [...gift().postings].reverse() });
    expect(contentHash(a, balancedPostings(a, accounts))).toBe(contentHash(b, balancedPostings(b, accounts)));
    const other = gift({ metadata: { coins: "11", streamId: "s1" } });
    expect(contentHash(other, balancedPostings(other, accounts))).not.toBe(contentHash(a, balancedPostings(a, accounts)));
    const otherKind = gift({ kind: "ADJUSTMENT" });
    expect(contentHash(otherKind, balancedPostings(otherKind, accounts))).not.toBe(contentHash(a, balancedPostings(a, accounts)));
  });

  test("hashes stored in the journal stay valid: a known transfer has a known hash", () => {
    const input: TransferInput = {
      idempotencyKey: "k",
      kind: "GIFT",
      metadata: { streamId: "s1", coins: 5n, note: undefined },
      postings: [
        { accountId: 7n, amount: -5n },
        { accountId: 3n, amount: 5n },
      ],
    };
    const postings = balancedPostings(
      input,
      new Map([
        [7n, account(7n, "COIN")],
        [3n, account(3n, "COIN", true)],
      ]),
    );
    expect(contentHash(input, postings)).toBe("8c0db8994910d66b298fb83d3aa939171220f7bfdeb9fdb5361da5dca3c146ea");
  });
});

describe("prepareTransfer", () => {
  test("is the postings with their assets, the content hash and the metadata as stored", () => {
    const input = gift({ metadata: { coins: 10n } });
    const prepared = prepareTransfer(input, accounts);
    expect(prepared.input).toBe(input);
    expect(prepared.postings).toEqual(balancedPostings(input, accounts));
    expect(prepared.hash).toBe(contentHash(input, prepared.postings));
    expect(prepared.metadataJson).toBe('{"coins":"10"}');
    expect(prepareTransfer(gift({ metadata: undefined }), accounts).metadataJson).toBe("{}");
  });
});

describe("the result of a post", () => {
  const prepared = prepareTransfer(gift(), accounts);
  const createdAt = new Date("2026-12-01T10:00:00Z");

  test("storedTransfer is the prepared transfer under its id and time, with its metadata parsed anew", () => {
    const transfer = storedTransfer(prepared, 42n, createdAt);
    expect(transfer).toEqual({
      id: 42n,
      idempotencyKey: "gift-1",
      kind: "GIFT",
      metadata: { coins: "10", streamId: "s1" },
      createdAt,
      postings: prepared.postings,
    });
    expect(storedTransfer(prepared, 42n, createdAt).metadata).not.toBe(transfer.metadata);
  });

  test("a transfer written now carries the balances of the accounts it touched, and only those", () => {
    const batchBalances = new Map([
      [1n, 90n],
      [2n, 10n],
      [3n, -5000n],
      [4n, 5000n],
      [5n, 123n],
    ]);
    const result = postResult(storedTransfer(prepared, 42n, createdAt), batchBalances);
    expect(result.replayed).toBe(false);
    expect(result.id).toBe(42n);
    expect([...result.balances!]).toEqual([
      [1n, 90n],
      [2n, 10n],
      [3n, -5000n],
      [4n, 5000n],
    ]);
  });

  test("a replay is the original transfer, marked replayed, without balances", () => {
    const transfer = storedTransfer(prepared, 42n, createdAt);
    const result = postResult(transfer);
    expect(result).toEqual({ ...transfer, replayed: true });
    expect("balances" in result).toBe(false);
  });

  test("a key posted again replays the original when the content is the same, and is a conflict otherwise", () => {
    const original = storedTransfer(prepared, 42n, createdAt);
    expect(repeatedKey(prepared, prepared.hash, () => original)).toEqual({ result: { ...original, replayed: true } });
    let read = false;
    const outcome = repeatedKey(prepared, "another hash", () => {
      read = true;
      return original;
    });
    expect(read).toBe(false);
    expect("error" in outcome && outcome.error.code).toBe("IDEMPOTENCY_CONFLICT");
    expect("error" in outcome && outcome.error.message).toBe('The idempotency key "gift-1" was already used for a different transfer.');
  });
});

describe("shortfall", () => {
  const balances = (coins: bigint) =>
    new Map([
      [1n, { balance: coins, allowNegative: false }],
      [2n, { balance: 0n, allowNegative: true }],
      [3n, { balance: 0n, allowNegative: true }],
      [4n, { balance: 0n, allowNegative: false }],
    ]);

  test("a transfer that leaves every account at zero or above fits; accounts allowed negative may go below", () => {
    expect(shortfall(prepareTransfer(gift(), accounts).postings, balances(10n))).toBeNull();
  });

  test("one that takes an account below zero is refused with what was needed and what was there", () => {
    const error = shortfall(prepareTransfer(gift(), accounts).postings, balances(9n))!;
    expect(error).toBeInstanceOf(LedgerError);
    expect(error.code).toBe("INSUFFICIENT_FUNDS");
    expect(error.message).toBe("Not enough COIN: 10 needed, 9 available.");
    expect(error.details).toEqual({ accountId: "1", asset: "COIN", needed: "10", available: "9" });
  });
});
