import { randomUUID } from "node:crypto";
import fc from "fast-check";
import pg from "pg";
import { describe, expect, test } from "vitest";
import { createGiftPoster } from "../../lib/ledger/gifts";
import { Ledger } from "../../lib/ledger/ledger";
import { LedgerError, type PostResult, type TransferInput } from "../../lib/ledger/types";
import { takeConsoleErrors } from "../setup/console";
import { createTestUser, grantCoins, ledgerForFile } from "./helpers";

const getLedger = ledgerForFile({}, 30);

describe("posting transfers", () => {
  test("500 concurrent gifts from 50 viewers to one creator leave exact balances", async () => {
    const { ledger } = getLedger();
    const creator = await createTestUser(ledger, "CREATOR");
    const viewers = await Promise.all(Array.from({ length: 50 }, () => createTestUser(ledger)));
    await Promise.all(viewers.map((v) => grantCoins(ledger, v.coins, 1_000n)));
    const postGift = await createGiftPoster(ledger);
    const prices = [1n, 5n, 10n, 20n, 30n, 99n, 1n, 5n, 1n, 30n];
    const revenueBefore = await ledger.getBalance((await ledger.platformAccount("gift_revenue")).id);
    await Promise.all(
      viewers.flatMap((viewer) =>
        prices.map((coins) => postGift({ viewerCoins: viewer.coins, creatorDiamonds: creator.diamonds, coins, idempotencyKey: randomUUID() })),
      ),
    );
    const spentEach = prices.reduce((a, b) => a + b, 0n); // 202 coins
    for (const viewer of viewers) expect(await ledger.getBalance(viewer.coins)).toBe(1_000n - spentEach);
    // 50% of the coin value as diamonds, in milli-diamonds.
    expect(await ledger.getBalance(creator.diamonds)).toBe(50n * spentEach * 500n);
    const revenueAfter = await ledger.getBalance((await ledger.platformAccount("gift_revenue")).id);
    expect(revenueAfter - revenueBefore).toBe(50n * spentEach);
    const { rows } = await ledger.pool.query("SELECT count(*)::int AS n FROM ledger_transfers WHERE kind = 'GIFT'");
    expect(rows[0].n).toBe(500);
  });

  test("the same key posted twice writes once and returns the original", async () => {
    const { ledger } = getLedger();
    const viewer = await createTestUser(ledger);
    const creator = await createTestUser(ledger, "CREATOR");
    await grantCoins(ledger, viewer.coins, 100n);
    const postGift = await createGiftPoster(ledger);
    const key = randomUUID();
    const gift = { viewerCoins: viewer.coins, creatorDiamonds: creator.diamonds, coins: 30n, idempotencyKey: key };
    const [a, b] = await Promise.all([postGift(gift), postGift(gift)]);
    const c = await postGift(gift);
    expect(a.id).toBe(b.id);
    expect(c.id).toBe(a.id);
    expect(c.replayed).toBe(true);
    expect(c.postings).toHaveLength(4);
    expect(await ledger.getBalance(viewer.coins)).toBe(70n);
    const { rows } = await ledger.pool.query("SELECT count(*)::int AS n FROM ledger_transfers WHERE idempotency_key = $1", [key]);
    expect(rows[0].n).toBe(1);
  });

  test("the same key from separate processes (ledgers) still writes once", async () => {
    const { ledger } = getLedger();
    const other = new Ledger(ledger.pool);
    const viewer = await createTestUser(ledger);
    const creator = await createTestUser(ledger, "CREATOR");
    await grantCoins(ledger, viewer.coins, 100n);
    const key = randomUUID();
    const posters = [await createGiftPoster(ledger), await createGiftPoster(other)];
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => posters[i % 2]!({ viewerCoins: viewer.coins, creatorDiamonds: creator.diamonds, coins: 10n, idempotencyKey: key })),
    );
    expect(new Set(results.map((r) => r.id)).size).toBe(1);
    expect(await ledger.getBalance(viewer.coins)).toBe(90n);
  });

  test("the same key with different content is refused", async () => {
    const { ledger } = getLedger();
    const viewer = await createTestUser(ledger);
    const creator = await createTestUser(ledger, "CREATOR");
    await grantCoins(ledger, viewer.coins, 100n);
    const postGift = await createGiftPoster(ledger);
    const key = randomUUID();
    await postGift({ viewerCoins: viewer.coins, creatorDiamonds: creator.diamonds, coins: 10n, idempotencyKey: key });
    const error = await postGift({ viewerCoins: viewer.coins, creatorDiamonds: creator.diamonds, coins: 20n, idempotencyKey: key }).catch((e) => e);
    expect(error).toBeInstanceOf(LedgerError);
    expect(error.code).toBe("IDEMPOTENCY_CONFLICT");
    expect(await ledger.getBalance(viewer.coins)).toBe(90n);
  });

  test("a transfer that would overdraw writes nothing, and its batch-mates still commit", async () => {
    const { ledger } = getLedger();
    const viewer = await createTestUser(ledger);
    const creator = await createTestUser(ledger, "CREATOR");
    await grantCoins(ledger, viewer.coins, 50n);
    const postGift = await createGiftPoster(ledger);
    const results = await Promise.allSettled(
      [30n, 30n, 20n].map((coins) => postGift({ viewerCoins: viewer.coins, creatorDiamonds: creator.diamonds, coins, idempotencyKey: randomUUID() })),
    );
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    const error = (results[1] as PromiseRejectedResult).reason as LedgerError;
    expect(error.code).toBe("INSUFFICIENT_FUNDS");
    expect(error.message).toMatch(/30 needed, 20 available/);
    expect(await ledger.getBalance(viewer.coins)).toBe(0n);
    expect(await ledger.getBalance(creator.diamonds)).toBe(50n * 500n);
    const { rows } = await ledger.pool.query("SELECT count(*)::int AS n FROM ledger_postings WHERE account_id = $1", [String(viewer.coins)]);
    expect(rows[0].n).toBe(3); // the grant and two gifts
  });

  test("batch hooks write in the transfers' own transaction: a failing hook leaves no transfer, its batch-mates commit", async () => {
    const { ledger: shared } = getLedger();
    const ledger = new Ledger(shared.pool);
    const tagsWritten: string[] = [];
    ledger.setBatchHook("test", async (client, written) => {
      for (const { transferId, input } of written) {
        if (input.tag === "boom") throw new Error("hook failed");
        // Visible inside the transaction that writes the transfer.
        const { rows } = await client.query("SELECT kind FROM ledger_transfers WHERE id = $1", [String(transferId)]);
        tagsWritten.push(`${String(input.tag)}:${rows[0]?.kind}`);
      }
    });
    const viewer = await createTestUser(ledger);
    const creator = await createTestUser(ledger, "CREATOR");
    await grantCoins(ledger, viewer.coins, 100n);
    const postGift = await createGiftPoster(ledger);
    const gift = (tag: string | undefined) =>
      postGift({ viewerCoins: viewer.coins, creatorDiamonds: creator.diamonds, coins: 10n, idempotencyKey: randomUUID(), tag });
    // Posted in one tick: one batch, with a hook that fails for one of them.
    const results = await Promise.allSettled([gift("a"), gift("boom"), gift(undefined), gift("b")]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled", "fulfilled"]);
    expect(tagsWritten.filter((t) => t === "a:GIFT" || t === "b:GIFT").length).toBeGreaterThanOrEqual(2);
    expect(await ledger.getBalance(viewer.coins)).toBe(70n);
    const { rows } = await ledger.pool.query("SELECT count(*)::int AS n FROM ledger_postings WHERE account_id = $1 AND amount < 0", [String(viewer.coins)]);
    expect(rows[0].n).toBe(3);
    // The failure is counted and logged with its cause, once for the fast write and once for the transfer.
    const logged = takeConsoleErrors();
    expect(logged.some((line) => /fast write of a batch of 4 failed.*hook failed/.test(line))).toBe(true);
    expect(logged.some((line) => /failed after 1 attempt\(s\): hook failed/.test(line))).toBe(true);
    expect(ledger.stats()).toMatchObject({ fallbacks: { error: 1 }, failures: 1 });
  });

  test("unbalanced, empty and zero-amount transfers are refused before anything is written", async () => {
    const { ledger } = getLedger();
    const viewer = await createTestUser(ledger);
    const revenue = await ledger.platformAccount("gift_revenue");
    const diamonds = await ledger.platformAccount("diamond_issuance");
    const count = async () => (await ledger.pool.query("SELECT count(*)::int AS n FROM ledger_transfers")).rows[0].n as number;
    const before = await count();
    const attempts = [
      {
        postings: [
          { accountId: viewer.coins, amount: -5n },
          { accountId: revenue.id, amount: 4n },
        ],
        code: "UNBALANCED",
      },
      {
        postings: [
          { accountId: viewer.coins, amount: -5n },
          { accountId: diamonds.id, amount: 5n },
        ],
        code: "UNBALANCED",
      },
      {
        postings: [
          { accountId: viewer.coins, amount: 0n },
          { accountId: revenue.id, amount: 0n },
        ],
        code: "INVALID_TRANSFER",
      },
      { postings: [], code: "INVALID_TRANSFER" },
      {
        postings: [
          { accountId: 999_999n, amount: -1n },
          { accountId: revenue.id, amount: 1n },
        ],
        code: "UNKNOWN_ACCOUNT",
      },
    ];
    for (const attempt of attempts) {
      const error = await ledger.post({ idempotencyKey: randomUUID(), kind: "ADJUSTMENT", postings: attempt.postings }).catch((e) => e);
      expect(error.code).toBe(attempt.code);
    }
    expect(await count()).toBe(before);
  });
});

describe("the database enforces the invariants", () => {
  test("UPDATE, DELETE and TRUNCATE on postings and transfers are refused", async () => {
    const { ledger } = getLedger();
    const viewer = await createTestUser(ledger);
    const transfer = await grantCoins(ledger, viewer.coins, 10n);
    for (const sql of [
      "UPDATE ledger_postings SET amount = amount * 2",
      "DELETE FROM ledger_postings",
      "TRUNCATE ledger_postings CASCADE",
      "UPDATE ledger_transfers SET kind = 'REFUND'",
      "DELETE FROM ledger_transfers",
    ]) {
      await expect(ledger.pool.query(sql), sql).rejects.toThrow(/append-only/);
    }
    expect((await ledger.getTransfer({ id: transfer.id }))?.postings).toHaveLength(2);
  });

  test("an unbalanced insert straight into postings is refused", async () => {
    const { ledger } = getLedger();
    const viewer = await createTestUser(ledger);
    const client = await ledger.pool.connect();
    try {
      await client.query("BEGIN");
      const { rows } = await client.query("INSERT INTO ledger_transfers (idempotency_key, kind, content_hash) VALUES ($1, 'ADJUSTMENT', 'x') RETURNING id", [
        randomUUID(),
      ]);
      await expect(
        client.query("INSERT INTO ledger_postings (transfer_id, account_id, asset, amount) VALUES ($1, $2, 'COIN', 100)", [rows[0].id, String(viewer.coins)]),
      ).rejects.toThrow(/does not balance/);
    } finally {
      await client.query("ROLLBACK");
      client.release();
    }
  });

  test("a wallet cannot go negative, and a posting's asset must match its account", async () => {
    const { ledger } = getLedger();
    const viewer = await createTestUser(ledger);
    await expect(ledger.pool.query("UPDATE ledger_accounts SET balance = -1 WHERE id = $1", [String(viewer.coins)])).rejects.toThrow(
      /ledger_accounts_non_negative/,
    );
    const diamonds = await ledger.platformAccount("diamond_issuance");
    const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await client.connect();
    try {
      await client.query("BEGIN");
      const { rows } = await client.query("INSERT INTO ledger_transfers (idempotency_key, kind, content_hash) VALUES ($1, 'ADJUSTMENT', 'x') RETURNING id", [
        randomUUID(),
      ]);
      await expect(
        client.query("INSERT INTO ledger_postings (transfer_id, account_id, asset, amount) VALUES ($1, $2, 'COIN', 5), ($1, $3, 'COIN', -5)", [
          rows[0].id,
          String(viewer.coins),
          String(diamonds.id),
        ]),
      ).rejects.toThrow(/foreign key/);
      await client.query("ROLLBACK");
      await client.query("BEGIN");
      await expect(
        client.query("INSERT INTO ledger_postings (transfer_id, account_id, asset, amount) VALUES (-1, $1, 'COIN', 5), (-1, $2, 'COIN', -5)", [
          String(viewer.coins),
          String(diamonds.id),
        ]),
      ).rejects.toThrow(/names no transfer -1/);
      await client.query("ROLLBACK");
    } finally {
      await client.end();
    }
  });

  test("the batch write and the balance check look accounts and transfers up by key, with plans kept for the connection's life", async () => {
    // PL/pgSQL keeps one plan per statement per connection. Plans made as
    // generic plans (what a connection ends up using) must not scan a whole
    // table: a plan chosen while a table was tiny would otherwise scan it on
    // every batch once it holds millions of rows.
    const { ledger } = getLedger();
    const viewer = await createTestUser(ledger);
    await grantCoins(ledger, viewer.coins, 10n);
    const revenue = (await ledger.platformAccount("gift_revenue")).id;
    const key = randomUUID();
    const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
    const plans: string[] = [];
    client.on("notice", (notice) => plans.push(notice.message ?? ""));
    await client.connect();
    try {
      await client.query("LOAD 'auto_explain'");
      await client.query(
        "SET plan_cache_mode = force_generic_plan; SET auto_explain.log_min_duration = 0; SET auto_explain.log_nested_statements = on; SET auto_explain.log_level = notice; SET client_min_messages = notice",
      );
      await client.query("BEGIN");
      const ids = [viewer.coins, revenue].sort((a, b) => (a < b ? -1 : 1));
      await client.query("SELECT * FROM ledger_write_batch($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)", [
        [key],
        ["GIFT"],
        ["plan-check"],
        ["{}"],
        [1, 1],
        [String(viewer.coins), String(revenue)],
        ["COIN", "COIN"],
        ["-3", "3"],
        ids.map(String),
        ids.map((id) => (id === viewer.coins ? "-3" : "3")),
        ids.map((id) => (id === viewer.coins ? "-3" : "0")),
      ]);
      await client.query("ROLLBACK");
    } finally {
      await client.end();
    }
    const nested = plans.filter((p) => p.includes("ledger_accounts") || p.includes("ledger_transfers"));
    expect(nested.length).toBeGreaterThanOrEqual(5);
    for (const plan of nested) expect(plan).not.toMatch(/Seq Scan on ledger_(accounts|transfers)/);
    // The explained batch was rolled back: the viewer still has the 10 coins it was granted, and no transfer has its key.
    expect(await ledger.getBalance(viewer.coins)).toBe(10n);
    expect(await ledger.getTransfer({ idempotencyKey: key })).toBeNull();
  });
});

describe("reads", () => {
  test("history pages with a cursor, newest first, without gaps or repeats", async () => {
    const { ledger } = getLedger();
    const viewer = await createTestUser(ledger);
    for (let i = 1n; i <= 7n; i++) await grantCoins(ledger, viewer.coins, i);
    const seen: bigint[] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof ledger.getHistory>> = await ledger.getHistory(viewer.coins, { cursor, limit: 3 });
      seen.push(...page.items.map((item) => item.amount));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual([7n, 6n, 5n, 4n, 3n, 2n, 1n]);
  });
});

describe("properties", () => {
  /** What a post was refused with, or null when it was accepted. */
  const refusalOf = (result: PromiseSettledResult<unknown>) => (result.status === "fulfilled" ? null : result.reason);
  const refusal = (post: Promise<unknown>) =>
    post.then(
      () => null,
      (e: unknown) => e,
    );

  /**
   * Runs interleavings of grants and gifts on `ledger` against a model of what
   * it must accept. Each run: every viewer is granted its starting funds, one
   * grant at a time; then grants and gifts are posted all at once, in any
   * interleaving; then gifts one at a time; then each viewer gives its whole
   * balance. Grants are never refused. A concurrent gift may be refused
   * (INSUFFICIENT_FUNDS) only when some order of the posts could have left its
   * viewer short: when it asks more than the starting funds less the viewer's
   * accepted gifts (the least the viewer held at any moment). A gift made alone
   * is accepted exactly when the model's balance covers it. Balances, the
   * creator's diamonds and the number of transfers written equal the model.
   */
  async function checkInterleavings(ledger: Ledger, parameters: fc.Parameters<unknown> = {}) {
    const postGift = await createGiftPoster(ledger);
    const creator = await createTestUser(ledger, "CREATOR");
    const viewers = await Promise.all(Array.from({ length: 4 }, () => createTestUser(ledger)));
    const balances = () => Promise.all(viewers.map((v) => ledger.getBalance(v.coins)));
    const transfers = async () => (await ledger.pool.query("SELECT count(*)::int AS n FROM ledger_transfers")).rows[0].n as number;
    const gift = (viewer: number, coins: bigint) =>
      postGift({ viewerCoins: viewers[viewer]!.coins, creatorDiamonds: creator.diamonds, coins, idempotencyKey: randomUUID() });
    const viewer = fc.nat({ max: viewers.length - 1 });
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.bigInt({ min: 0n, max: 120n }), { minLength: viewers.length, maxLength: viewers.length }),
        fc.array(fc.record({ viewer, coins: fc.bigInt({ min: 1n, max: 60n }), grant: fc.boolean() }), { minLength: 1, maxLength: 25 }),
        fc.array(fc.record({ viewer, coins: fc.bigInt({ min: 1n, max: 80n }) }), { maxLength: 8 }),
        async (start, ops, alone) => {
          const creatorBefore = await ledger.getBalance(creator.diamonds);
          let gifted = 0n;
          const model = await balances();
          for (const [i, coins] of start.entries()) {
            if (coins === 0n) continue;
            expect(await refusal(grantCoins(ledger, viewers[i]!.coins, coins)), "a grant is never refused").toBeNull();
            model[i]! += coins;
          }
          expect(await balances(), "the starting funds").toEqual(model);

          // All at once.
          const transfersBefore = await transfers();
          const results = await Promise.allSettled(
            ops.map((op) => (op.grant ? grantCoins(ledger, viewers[op.viewer]!.coins, op.coins) : gift(op.viewer, op.coins))),
          );
          const funds = [...model];
          const acceptedGifts = model.map(() => 0n);
          results.forEach((result, i) => {
            const op = ops[i]!;
            const refused = refusalOf(result);
            if (op.grant) {
              expect(refused, "a grant is never refused").toBeNull();
              model[op.viewer]! += op.coins;
            } else if (refused === null) {
              acceptedGifts[op.viewer]! += op.coins;
              model[op.viewer]! -= op.coins;
              gifted += op.coins;
            } else {
              expect(refused).toBeInstanceOf(LedgerError);
              expect((refused as LedgerError).code).toBe("INSUFFICIENT_FUNDS");
            }
          });
          results.forEach((result, i) => {
            const op = ops[i]!;
            if (op.grant || refusalOf(result) === null) return;
            const least = funds[op.viewer]! - acceptedGifts[op.viewer]!;
            expect(op.coins, `a gift of ${op.coins} refused, though its viewer held at least ${least} at every moment`).toBeGreaterThan(least);
          });
          expect(await balances(), "balances after the interleaving").toEqual(model);
          expect(model.every((b) => b >= 0n)).toBe(true);
          expect(await transfers(), "one transfer per accepted post").toBe(transfersBefore + results.filter((r) => r.status === "fulfilled").length);

          // One at a time: accepted exactly when covered.
          for (const { viewer: v, coins } of alone) {
            const refused = await refusal(gift(v, coins));
            const covered = model[v]! >= coins;
            expect(refused === null, `a gift of ${coins} on a balance of ${model[v]} accepted`).toBe(covered);
            if (covered) {
              model[v]! -= coins;
              gifted += coins;
            } else {
              expect((refused as LedgerError).code).toBe("INSUFFICIENT_FUNDS");
            }
          }
          expect(await balances(), "balances after the gifts made alone").toEqual(model);

          // Whatever is left: one coin more than a balance is refused, the whole balance is not.
          for (const [i, v] of viewers.entries()) {
            const balance = model[i]!;
            expect(((await refusal(gift(i, balance + 1n))) as LedgerError | null)?.code, `a gift of ${balance + 1n} on a balance of ${balance}`).toBe(
              "INSUFFICIENT_FUNDS",
            );
            if (balance > 0n) expect(await refusal(gift(i, balance)), `a gift of the whole balance, ${balance}`).toBeNull();
            gifted += balance;
            expect(await ledger.getBalance(v.coins)).toBe(0n);
          }
          expect(await ledger.getBalance(creator.diamonds), "the creator's diamonds: half of every coin accepted as a gift").toBe(
            creatorBefore + gifted * 500n,
          );
        },
      ),
      { numRuns: 25, ...parameters },
    );
  }

  test("any interleaving of gifts and grants conserves value, never overdraws, and refuses only what funds could not cover", async () => {
    await checkInterleavings(getLedger().ledger);
  });

  // The property itself must fail for a ledger that refuses what it should accept.
  test.each<[string, (input: TransferInput, ledger: Ledger) => Promise<boolean>]>([
    ["every transfer", async () => true],
    ["every gift", async (input) => input.kind === "GIFT"],
    [
      "a gift of its viewer's whole balance",
      async (input, ledger) => input.kind === "GIFT" && (await ledger.getBalance(input.postings[0]!.accountId)) === -input.postings[0]!.amount,
    ],
  ])("the property fails for a ledger that refuses %s", async (_label, refuses) => {
    class RefusingLedger extends Ledger {
      async post(input: TransferInput): Promise<PostResult> {
        if (await refuses(input, this)) throw new LedgerError("INSUFFICIENT_FUNDS", "Refused by the test.");
        return super.post(input);
      }
    }
    const failure = (await refusal(checkInterleavings(new RefusingLedger(getLedger().pool), { numRuns: 10, endOnFailure: true }))) as Error | null;
    expect(failure?.message).toMatch(/^Property failed/);
    // Failed on one of the property's own checks, not on an error of the test.
    expect((failure?.cause as Error | undefined)?.name).toBe("AssertionError");
  });
});
