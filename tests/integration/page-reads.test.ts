// Page loads read; the background jobs write. What the creator and operator
// pages load is run here on a read-only connection (PostgreSQL refuses any
// write in it), so a page that folds earnings or settles withdrawals fails;
// then the jobs' own functions run and the same reads show the right figures.
import { randomUUID } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { createPool } from "../../lib/db/pool";
import { describe, expect, test } from "vitest";
import { getLedger, Ledger } from "../../lib/ledger";
import { sendGift } from "../../lib/live/gifting";
import { goLive } from "../../lib/live/streams";
import { findDiamondAccount, foldEarnings, getEarningsDashboard, getStreamBreakdown, resolveCreatorScope } from "../../lib/earnings";
import { getCreatorWithdrawals, getWithdrawal, listAllWithdrawals, requestWithdrawal, settleDueWithdrawals } from "../../lib/withdrawals/withdrawals";
import { grant, newUser, reconcileAfterEach } from "./helpers";
import { creditWatchMinutes, getFanClub, listFanClubMembers, listMyFanClubs } from "../../lib/live/fans";

reconcileAfterEach();

/** Runs `read` with the process's ledger on a connection that cannot write. */
async function readOnly<T>(read: () => Promise<T>): Promise<T> {
  const g = globalThis as unknown as { ledger?: Ledger };
  const saved = getLedger();
  const url = new URL(process.env.DATABASE_URL!);
  url.searchParams.set("options", "-c default_transaction_read_only=on");
  const pool = createPool(url.toString(), 4);
  g.ledger = new Ledger(pool);
  try {
    return await read();
  } finally {
    g.ledger = saved;
    await pool.end();
  }
}

async function pendingRows(): Promise<number> {
  const { rows } = await getLedger().pool.query("SELECT count(*)::int AS n FROM earnings_pending");
  return rows[0].n as number;
}

/** A creator with gifts not folded yet and a withdrawal whose review time has passed (it is due). */
async function creatorWithUnfoldedGiftsAndDueWithdrawal() {
  const creator = await newUser("CREATOR");
  const stream = await goLive(creator, { title: "Reads read", goalCoins: null });
  const viewer = await newUser();
  await grant(viewer, 100_000n);
  // Two Drama Queens: 5,000 diamonds; the job has not folded them yet.
  await sendGift(viewer, { streamId: stream.id, giftId: "drama-queen", clientKey: randomUUID() });
  await sendGift(viewer, { streamId: stream.id, giftId: "drama-queen", clientKey: randomUUID() });
  const { withdrawal } = await requestWithdrawal(
    creator,
    { diamonds: 2_000_000n, payout: { method: "paypal", email: "cleo@example.com" }, clientKey: randomUUID() },
    { now: new Date(Date.now() - 24 * 3600_000) },
  );
  return { creator, stream, withdrawal };
}

describe("creator and operator page loads write nothing", () => {
  test("the earnings dashboard and a stream's breakdown read without folding or settling; the jobs then make them right", async () => {
    const { creator, stream, withdrawal } = await creatorWithUnfoldedGiftsAndDueWithdrawal();
    const scope = (await resolveCreatorScope(creator))!;
    const pendingBefore = await pendingRows();
    expect(pendingBefore).toBeGreaterThan(0);

    const dashboard = await readOnly(() => getEarningsDashboard(scope, { range: "today" }));
    const breakdown = await readOnly(() => getStreamBreakdown(scope, stream.id));
    // The balance is the ledger's own (always current); the aggregates wait for the folder, and the page says so.
    expect(dashboard.balanceMinor).toBe(3_000_000n);
    expect(dashboard.pendingWithdrawalMinor).toBe(2_000_000n);
    expect(dashboard.totals.allTime.diamonds).toBe(0n);
    expect(dashboard.updating).toEqual({ pendingGifts: 2 });
    expect(breakdown!.stream.diamonds).toBe(0n);
    expect(breakdown!.updating).toEqual({ pendingGifts: 2 });
    expect(await pendingRows()).toBe(pendingBefore);
    expect((await getWithdrawal(creator, withdrawal.id))!.status).toBe("PENDING");

    // The background jobs (instrumentation.ts) run.
    await foldEarnings(getLedger().pool);
    await settleDueWithdrawals();

    const after = await readOnly(() => getEarningsDashboard(scope, { range: "today" }));
    expect(after.totals.allTime).toEqual({ gifts: 2n, coins: 10_000n, diamonds: 5_000_000n });
    expect(after.totals.today.diamonds).toBe(5_000_000n);
    expect(after.updating).toEqual({ pendingGifts: 0 });
    expect(after.pendingWithdrawalMinor).toBe(0n);
    expect(after.balanceMinor).toBe(3_000_000n);
    const streamAfter = (await readOnly(() => getStreamBreakdown(scope, stream.id)))!;
    expect(streamAfter.stream.diamonds).toBe(5_000_000n);
    expect((await getWithdrawal(creator, withdrawal.id))!.status).toBe("PAID");
  });

  test("the withdrawal pages read a due withdrawal as being paid, and the settler pays it", async () => {
    const { creator, withdrawal } = await creatorWithUnfoldedGiftsAndDueWithdrawal();
    const operator = await newUser("OPERATOR");

    const page = await readOnly(() => getCreatorWithdrawals(creator.id));
    expect(page.balanceMinor).toBe(3_000_000n);
    expect(page.items.map((w) => [w.id, w.status, w.beingPaid])).toEqual([[withdrawal.id, "PENDING", true]]);
    expect(page.withdrawnTodayCents).toBe(0n); // requested yesterday
    const receipt = await readOnly(() => getWithdrawal(creator, withdrawal.id));
    expect(receipt).toMatchObject({ status: "PENDING", beingPaid: true });
    const review = await readOnly(() => listAllWithdrawals());
    expect(review.pending.map((w) => w.id)).toContain(withdrawal.id);
    expect((await getWithdrawal(operator, withdrawal.id))!.status).toBe("PENDING");

    expect(await settleDueWithdrawals()).toBeGreaterThanOrEqual(1);
    const paid = await readOnly(() => getCreatorWithdrawals(creator.id));
    expect(paid.items.map((w) => [w.status, w.beingPaid])).toEqual([["PAID", false]]);
    expect((await findDiamondAccount(getLedger().pool, creator.id))!.balance).toBe(3_000_000n);
  });

  test("the fan club pages read memberships without writing; the jobs credit them", async () => {
    const creator = await newUser("CREATOR");
    const stream = await goLive(creator, { title: "Fans read", goalCoins: null });
    const viewer = await newUser();
    await grant(viewer, 10n);
    await sendGift(viewer, { streamId: stream.id, giftId: "heart-me", clientKey: randomUUID() });
    // Not folded: the pages show no member yet, and write nothing.
    expect(await readOnly(() => listFanClubMembers(getLedger().pool, creator.id))).toEqual([]);
    expect(await readOnly(() => listMyFanClubs(getLedger().pool, viewer.id))).toEqual([]);
    await foldEarnings(getLedger().pool);
    await creditWatchMinutes(getLedger().pool);
    const members = await readOnly(() => listFanClubMembers(getLedger().pool, creator.id));
    expect(members.map((m) => [m.userId, m.points])).toEqual([[viewer.id, 1n]]);
    expect(await readOnly(() => getFanClub(getLedger().pool, creator.id))).toMatchObject({ members: 1, activeMembers: 1 });
    expect((await readOnly(() => listMyFanClubs(getLedger().pool, viewer.id)))[0]).toMatchObject({ creatorId: creator.id, level: 1 });
  });

  test("no page or layout calls the jobs' writers", () => {
    const root = path.resolve(import.meta.dirname, "../../app");
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir)) {
        const full = path.join(dir, entry);
        if (statSync(full).isDirectory()) walk(full);
        else if (/^(page|layout)\.tsx?$/.test(entry)) files.push(full);
      }
    };
    walk(root);
    expect(files.length).toBeGreaterThan(5);
    const offenders = files.filter((file) => /\b(settleDueWithdrawals|foldEarnings|creditWatchMinutes)\b/.test(readFileSync(file, "utf8")));
    expect(offenders.map((file) => path.relative(root, file))).toEqual([]);
  });
});
