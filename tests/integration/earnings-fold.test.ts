// Earnings aggregates are folded outside the gift transaction
// (docs/decisions/008-earnings-folded-off-the-gift-path.md): gifts only note
// their transfer ids in earnings_pending, earnings_fold() moves the sums.
import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterEach, describe, expect, test } from "vitest";
import { findEarningsDrift, foldEarnings, getEarningsTotals, getLedgerGiftTotals, getTopSupporters } from "../../lib/earnings/queries";
import { startEarningsFolder } from "../../lib/earnings/folder";
import { createGiftPoster } from "../../lib/ledger/gifts";
import type { Ledger } from "../../lib/ledger/ledger";
import { createTestUser, grantCoins, ledgerForFile } from "./helpers";

const getLedger = ledgerForFile({}, 30);

afterEach(async () => {
  // Pending or folded, every gift is counted once.
  expect(await findEarningsDrift(getLedger().pool)).toEqual([]);
});

async function creatorAndViewers(ledger: Ledger, viewers: number, coins = 10_000n) {
  const creator = await createTestUser(ledger, "CREATOR");
  const list = await Promise.all(Array.from({ length: viewers }, () => createTestUser(ledger)));
  await Promise.all(list.map((v) => grantCoins(ledger, v.coins, coins)));
  return { creator, viewers: list, postGift: await createGiftPoster(ledger) };
}

async function pendingGifts(ledger: Ledger): Promise<number> {
  const { rows } = await ledger.pool.query("SELECT coalesce(sum(cardinality(transfer_ids)), 0)::int AS n FROM earnings_pending");
  return rows[0].n as number;
}

describe("earnings folding", () => {
  test("gifts wait in earnings_pending until a fold; the fold counts each one exactly once", async () => {
    const { ledger } = getLedger();
    await foldEarnings(ledger.pool);
    const { creator, viewers, postGift } = await creatorAndViewers(ledger, 3);
    const streamId = randomUUID();
    for (const [i, viewer] of viewers.entries()) {
      for (let n = 0; n <= i; n++) {
        await postGift({
          viewerCoins: viewer.coins,
          creatorDiamonds: creator.diamonds,
          coins: 99n,
          idempotencyKey: randomUUID(),
          metadata: { streamId, giftId: "finger-heart" },
        });
      }
    }
    // Six gifts committed, none in the aggregates yet; recharges are not listed.
    expect(await pendingGifts(ledger)).toBe(6);
    expect((await getEarningsTotals(ledger.pool, creator.diamonds)).allTime.gifts).toBe(0n);

    expect(await foldEarnings(ledger.pool)).toBe(6);
    expect(await pendingGifts(ledger)).toBe(0);
    const totals = await getEarningsTotals(ledger.pool, creator.diamonds);
    expect(totals.allTime).toEqual(await getLedgerGiftTotals(ledger.pool, creator.diamonds));
    expect(totals.allTime).toEqual({ gifts: 6n, coins: 594n, diamonds: 297_000n });
    const supporters = await getTopSupporters(ledger.pool, creator.diamonds, { streamId });
    expect(supporters.map((s) => s.coins)).toEqual([297n, 198n, 99n]);

    // Folding again moves nothing and changes nothing.
    expect(await foldEarnings(ledger.pool)).toBe(0);
    expect((await getEarningsTotals(ledger.pool, creator.diamonds)).allTime).toEqual(totals.allTime);
  });

  test("a fold in progress never holds up gifts to the same creator", async () => {
    const { ledger } = getLedger();
    const { creator, viewers, postGift } = await creatorAndViewers(ledger, 2);
    const gift = (viewer: (typeof viewers)[number]) =>
      postGift({ viewerCoins: viewer.coins, creatorDiamonds: creator.diamonds, coins: 5n, idempotencyKey: randomUUID(), metadata: { giftId: "rose" } });
    await gift(viewers[0]!);

    // A folder that has folded this creator's gift (its hourly and supporter rows
    // are locked) and not committed yet.
    const folder = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await folder.connect();
    try {
      await folder.query("BEGIN");
      expect((await folder.query("SELECT earnings_fold() AS n")).rows[0].n).toBe("1");
      // Gifts to the same creator, from the same and another supporter, commit meanwhile.
      const settled = await Promise.race([
        Promise.all([gift(viewers[0]!), gift(viewers[1]!), gift(viewers[1]!)]).then(() => "committed"),
        new Promise((resolve) => setTimeout(() => resolve("waiting"), 5_000)),
      ]);
      expect(settled).toBe("committed");
      await folder.query("COMMIT");
    } finally {
      await folder.end();
    }
    expect(await foldEarnings(ledger.pool)).toBe(3);
    expect((await getEarningsTotals(ledger.pool, creator.diamonds)).allTime).toEqual({ gifts: 4n, coins: 20n, diamonds: 10_000n });
  });

  test("folders running while 500 gifts arrive in parallel lose and double nothing", async () => {
    const { ledger } = getLedger();
    const { creator, viewers, postGift } = await creatorAndViewers(ledger, 50);
    const streamId = randomUUID();
    // Three folders on their own connections, folding every few milliseconds.
    const pools = Array.from({ length: 3 }, () => new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 1 }));
    const folders = pools.map((pool) => startEarningsFolder(pool, { intervalMs: 3 }));
    try {
      await Promise.all(
        viewers.flatMap((viewer, v) =>
          Array.from({ length: 10 }, (_, n) =>
            postGift({
              viewerCoins: viewer.coins,
              creatorDiamonds: creator.diamonds,
              coins: BigInt(1 + ((v + n) % 7)),
              idempotencyKey: randomUUID(),
              metadata: { streamId, giftId: n % 2 ? "rose" : "tiktok" },
            }),
          ),
        ),
      );
    } finally {
      await Promise.all(folders.map((f) => f.stop()));
      await Promise.all(pools.map((p) => p.end()));
    }
    const foldedByFolders = folders.reduce((sum, f) => sum + f.handled, 0);
    const rest = await foldEarnings(ledger.pool);
    expect(foldedByFolders + rest).toBe(500);
    const totals = await getEarningsTotals(ledger.pool, creator.diamonds);
    expect(totals.allTime).toEqual(await getLedgerGiftTotals(ledger.pool, creator.diamonds));
    expect(totals.allTime.gifts).toBe(500n);
    const supporters = await getTopSupporters(ledger.pool, creator.diamonds, { streamId, limit: 100 });
    expect(supporters).toHaveLength(50);
    expect(supporters.reduce((sum, s) => sum + s.gifts, 0n)).toBe(500n);
  });
});
