import { randomUUID } from "node:crypto";
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import type { UserProfile } from "../../lib/auth/users";
import { getLedger } from "../../lib/ledger";
import { sendGift } from "../../lib/live/gifting";
import { goLive } from "../../lib/live/streams";
import {
  findDiamondAccount,
  findEarningsDrift,
  foldEarnings,
  getEarningsDashboard,
  getEarningsTotals,
  getLedgerGiftTotals,
  getStreamBreakdown,
  resolveCreatorScope,
} from "../../lib/earnings";
import {
  approveWithdrawal,
  cancelWithdrawal,
  getWithdrawal,
  listWithdrawals,
  rejectWithdrawal,
  requestWithdrawal,
  settleDueWithdrawals,
  WithdrawalError,
} from "../../lib/withdrawals/withdrawals";
import type { PayoutDetails } from "../../lib/withdrawals/payout";
import { DEFAULT_WITHDRAWAL_RULES } from "../../lib/economy";
import { grant, newUser, reconcileAfterEach } from "./helpers";

// Server actions read the session through lib/auth/session; the tests choose who is signed in.
const session = vi.hoisted(() => ({ user: null as UserProfile | null }));
vi.mock("../../lib/auth/session", () => ({
  getCurrentUser: async () => session.user,
  forgetProfile: () => undefined,
  requireUser: async (returnTo: string, roles?: string[]) => {
    if (!session.user) throw new Error(`REDIRECT:/sign-in?callbackUrl=${returnTo}`);
    if (roles && !roles.includes(session.user.role)) throw new Error("REDIRECT:/forbidden");
    return session.user;
  },
}));
vi.mock("next/navigation", () => ({
  redirect: (url: string) => {
    throw new Error(`REDIRECT:${url}`);
  },
  notFound: () => {
    throw new Error("NOT_FOUND");
  },
}));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));

const { requestWithdrawalAction, cancelWithdrawalAction, approveWithdrawalAction, rejectWithdrawalAction, becomeCreatorAction } =
  await import("../../app/actions/earnings");
const { requireCreatorArea } = await import("../../lib/auth/creator");

const IBAN: PayoutDetails = { method: "bank", format: "iban", iban: "DE89370400440532013000" };
const PAYPAL: PayoutDetails = { method: "paypal", email: "cleo@example.com" };

/** Diamonds for a creator, the way they arrive in the app: gifts in a LIVE. */
async function creatorWithGifts(giftIds: string[]) {
  const creator = await newUser("CREATOR");
  const stream = await goLive(creator, { title: "Earnings test", goalCoins: null });
  const viewer = await newUser();
  await grant(viewer, 1_000_000n);
  for (const giftId of giftIds) await sendGift(viewer, { streamId: stream.id, giftId, clientKey: randomUUID() });
  return { creator, stream, viewer };
}

async function diamonds(userId: string): Promise<bigint> {
  return (await findDiamondAccount(getLedger().pool, userId))?.balance ?? 0n;
}

function form(fields: Record<string, string>): FormData {
  const data = new FormData();
  for (const [k, v] of Object.entries(fields)) data.set(k, v);
  return data;
}

beforeEach(() => {
  session.user = null;
});

reconcileAfterEach();
afterEach(async () => {
  expect(await findEarningsDrift(getLedger().pool)).toEqual([]);
});

describe("earnings dashboard", () => {
  test("totals, streams, gift types and supporters equal the ledger's postings; opted-out supporters are anonymous", async () => {
    const { creator, stream, viewer } = await creatorWithGifts(["rose", "rose", "finger-heart", "drama-queen"]);
    const shy = await newUser();
    await getLedger().pool.query("UPDATE users SET hide_from_rankings = true WHERE id = $1", [shy.id]);
    await grant(shy, 100_000n);
    await sendGift(shy, { streamId: stream.id, giftId: "interstellar", clientKey: randomUUID() });

    const account = (await findDiamondAccount(getLedger().pool, creator.id))!;
    const fromLedger = await getLedgerGiftTotals(getLedger().pool, account.id);
    expect(fromLedger).toEqual({ gifts: 5n, coins: 15_007n, diamonds: 7_503_500n });

    const scope = (await resolveCreatorScope(creator))!;
    // The dashboard reads what the earnings folder (a background job) has folded: run it.
    await foldEarnings(getLedger().pool);
    const dashboard = await getEarningsDashboard(scope, { range: "today" });
    expect(dashboard.updating).toEqual({ pendingGifts: 0 });
    for (const period of ["today", "last7Days", "last30Days", "allTime"] as const) expect(dashboard.totals[period]).toEqual(fromLedger);
    expect(dashboard.balanceMinor).toBe(fromLedger.diamonds);
    expect(dashboard.series).toHaveLength(24);
    expect(dashboard.series.reduce((s, b) => s + b.diamonds, 0n)).toBe(fromLedger.diamonds);
    expect(dashboard.streams).toHaveLength(1);
    expect(dashboard.streams[0]).toMatchObject({ id: stream.id, gifts: 5n, coins: 15_007n, diamonds: 7_503_500n });
    expect(dashboard.streams[0]!.topGifter).toEqual({ name: "Anonymous supporter", coins: 10_000n });
    expect(dashboard.giftTypes.map((g) => [g.giftId, g.gifts, g.coins, g.diamonds])).toEqual([
      ["interstellar", 1n, 10_000n, 5_000_000n],
      ["drama-queen", 1n, 5_000n, 2_500_000n],
      ["finger-heart", 1n, 5n, 2_500n],
      ["rose", 2n, 2n, 1_000n],
    ]);
    expect(dashboard.supporters.map((s) => [s.name, s.coins])).toEqual([
      ["Anonymous supporter", 10_000n],
      [viewer.displayName, 5_007n],
    ]);

    const breakdown = (await getStreamBreakdown(scope, stream.id))!;
    expect(breakdown.stream.diamonds).toBe(fromLedger.diamonds);
    expect(breakdown.series.reduce((s, b) => s + b.diamonds, 0n)).toBe(fromLedger.diamonds);
    expect(breakdown.supporters[0]!.anonymous).toBe(true);
  });

  test("a creator with no gifts gets empty figures, not errors", async () => {
    const creator = await newUser("CREATOR");
    const dashboard = await getEarningsDashboard((await resolveCreatorScope(creator))!, { range: "30d" });
    expect(dashboard.totals.allTime).toEqual({ gifts: 0n, coins: 0n, diamonds: 0n });
    expect(dashboard.series).toHaveLength(30);
    expect(dashboard.streams).toEqual([]);
  });

  test("withdrawals change the balance, not the earnings", async () => {
    const { creator } = await creatorWithGifts(["drama-queen"]);
    await requestWithdrawal(creator, { diamonds: "all", payout: IBAN, clientKey: randomUUID() });
    const account = (await findDiamondAccount(getLedger().pool, creator.id))!;
    expect(account.balance).toBe(0n);
    await foldEarnings(getLedger().pool);
    expect((await getEarningsTotals(getLedger().pool, account.id)).allTime.diamonds).toBe(2_500_000n);
  });
});

describe("withdrawals", () => {
  test("concurrent requests never overdraw: of ten $12.50 requests on $15 of diamonds exactly one is accepted", async () => {
    const { creator } = await creatorWithGifts(["drama-queen", "gold-mine"]); // 3,000 diamonds = $15.00
    const held = await getLedger().platformAccount("diamonds_held");
    const heldBefore = await getLedger().getBalance(held.id);
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, () => requestWithdrawal(creator, { diamonds: 2_500_000n, payout: IBAN, clientKey: randomUUID() })),
    );
    const accepted = results.filter((r) => r.status === "fulfilled");
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(accepted).toHaveLength(1);
    expect(refused.map((r) => (r.reason as WithdrawalError).code)).toEqual(Array(9).fill("INSUFFICIENT_DIAMONDS"));
    expect(await diamonds(creator.id)).toBe(500_000n);
    expect((await getLedger().getBalance(held.id)) - heldBefore).toBe(2_500_000n);
  });

  test("a retried request (same key) creates one withdrawal, and repeated approvals pay once", async () => {
    const { creator } = await creatorWithGifts(["drama-queen"]); // 2,500 diamonds = $12.50
    const operator = await newUser("OPERATOR");
    const clientKey = randomUUID();
    const [a, b, c] = await Promise.all([1, 2, 3].map(() => requestWithdrawal(creator, { diamonds: "all", payout: PAYPAL, clientKey })));
    expect(new Set([a!.withdrawal.id, b!.withdrawal.id, c!.withdrawal.id]).size).toBe(1);
    expect([a, b, c].filter((r) => !r!.replayed)).toHaveLength(1);
    expect(await listWithdrawals(creator.id)).toHaveLength(1);
    expect(a!.withdrawal).toMatchObject({
      status: "PENDING",
      diamonds: 2_500_000n,
      grossCents: 1250n,
      feeCents: 55n,
      netCents: 1195n,
      destination: "PayPal c•••@example.com",
    });

    const paid = await Promise.all([1, 2].map(() => approveWithdrawal(operator, a!.withdrawal.id)));
    expect(paid.map((w) => w.status)).toEqual(["PAID", "PAID"]);
    expect(await settleDueWithdrawals({ creatorId: creator.id, now: new Date(Date.now() + 3600_000) })).toBe(0);
    const ledger = getLedger();
    const payable = await ledger.userAccount(creator.id, "CREATOR_PAYABLE");
    expect(await ledger.getBalance(payable.id)).toBe(1195n);
    const { rows } = await ledger.pool.query("SELECT count(*)::int AS n FROM ledger_transfers WHERE idempotency_key LIKE $1", [
      `withdrawal:${a!.withdrawal.id}:%`,
    ]);
    expect(rows[0].n).toBe(2); // reserve + pay
    expect(await diamonds(creator.id)).toBe(0n);
  });

  test("a rejected withdrawal releases the diamonds; a cancelled one too; decided ones cannot change", async () => {
    const { creator } = await creatorWithGifts(["drama-queen", "drama-queen"]); // 5,000 diamonds
    const operator = await newUser("OPERATOR");
    const first = (await requestWithdrawal(creator, { diamonds: 2_000_000n, payout: IBAN, clientKey: randomUUID() })).withdrawal;
    expect(await diamonds(creator.id)).toBe(3_000_000n);
    // A reason past the limit is refused whole (never cut short) and decides nothing.
    await expect(rejectWithdrawal(operator, first.id, "x".repeat(201))).rejects.toMatchObject({
      code: "INVALID_REQUEST",
      message: "A reason has at most 200 characters.",
    });
    expect(await diamonds(creator.id)).toBe(3_000_000n);
    const rejected = await rejectWithdrawal(operator, first.id, "Details do not match");
    expect(rejected).toMatchObject({ status: "REJECTED", reason: "Details do not match" });
    expect(await diamonds(creator.id)).toBe(5_000_000n);
    await expect(approveWithdrawal(operator, first.id)).rejects.toMatchObject({ code: "NOT_PENDING" });

    const second = (await requestWithdrawal(creator, { diamonds: 2_000_000n, payout: IBAN, clientKey: randomUUID() })).withdrawal;
    expect((await cancelWithdrawal(creator, second.id)).status).toBe("CANCELLED");
    expect(await diamonds(creator.id)).toBe(5_000_000n);
    expect(await settleDueWithdrawals({ creatorId: creator.id, now: new Date(Date.now() + 3600_000) })).toBe(0);
    expect((await listWithdrawals(creator.id)).map((w) => w.status)).toEqual(["CANCELLED", "REJECTED"]);
  });

  test("after the review delay a withdrawal is paid: diamonds redeemed, cash through payouts and fees", async () => {
    const { creator } = await creatorWithGifts(["drama-queen"]);
    const now = new Date();
    const { withdrawal } = await requestWithdrawal(creator, { diamonds: "all", payout: IBAN, clientKey: randomUUID() }, { now });
    expect(withdrawal).toMatchObject({ grossCents: 1250n, feeCents: 25n, netCents: 1225n, destination: "IBAN DE•• •••• 3000" });
    expect(await settleDueWithdrawals({ creatorId: creator.id, now: new Date(now.getTime() + 1000) })).toBe(0);
    const later = new Date(now.getTime() + DEFAULT_WITHDRAWAL_RULES.reviewDelaySeconds * 1000);
    expect(await settleDueWithdrawals({ creatorId: creator.id, now: later })).toBe(1);
    const paid = (await getWithdrawal(creator, withdrawal.id))!;
    expect(paid.status).toBe("PAID");
    const transfer = (await getLedger().getTransfer({ id: paid.settleTransferId! }))!;
    const byCode = new Map<string, bigint>();
    for (const p of transfer.postings) {
      const { rows } = await getLedger().pool.query("SELECT code FROM ledger_accounts WHERE id = $1", [String(p.accountId)]);
      byCode.set(rows[0].code.startsWith("user:") ? rows[0].code.split(":")[2] : rows[0].code, p.amount);
    }
    expect(Object.fromEntries(byCode)).toEqual({
      "platform:diamonds_held": -2_500_000n,
      "platform:diamond_redeemed": 2_500_000n,
      "platform:payouts": -1250n,
      "platform:fees": 25n,
      payable: 1225n,
    });
  });

  test("rules: minimum, daily limit, more than the balance, malformed amounts", async () => {
    const creator = await newUser("CREATOR");
    const ledger = getLedger();
    const wallet = await ledger.userAccount(creator.id, "CREATOR_DIAMONDS");
    await ledger.post({
      idempotencyKey: `test:${randomUUID()}`,
      kind: "ADJUSTMENT",
      postings: [
        { accountId: (await ledger.platformAccount("diamond_issuance")).id, amount: -250_000_000n },
        { accountId: wallet.id, amount: 250_000_000n },
      ],
    }); // 250,000 diamonds = $1,250
    const ask = (d: bigint | "all") => requestWithdrawal(creator, { diamonds: d, payout: IBAN, clientKey: randomUUID() });
    await expect(ask(1_000_000n)).rejects.toMatchObject({ code: "BELOW_MINIMUM" });
    await expect(ask("all")).rejects.toMatchObject({ code: "DAILY_LIMIT_EXCEEDED" });
    await expect(ask(300_000_000n)).rejects.toMatchObject({ code: "INSUFFICIENT_DIAMONDS" });
    await expect(ask(0n)).rejects.toMatchObject({ code: "INVALID_AMOUNT" });
    await ask(200_000_000n); // exactly $1,000
    await expect(ask(2_000_000n)).rejects.toMatchObject({ code: "DAILY_LIMIT_EXCEEDED" });
    expect(await diamonds(creator.id)).toBe(50_000_000n);
    await expect(requestWithdrawal(creator, { diamonds: "all", payout: IBAN, clientKey: "bad key!" })).rejects.toMatchObject({ code: "INVALID_REQUEST" });
  });
});

describe("access: another user's earnings and withdrawals are unreachable", () => {
  test("lib: scopes, streams and withdrawals", async () => {
    const { creator: a, stream } = await creatorWithGifts(["drama-queen"]);
    const b = await newUser("CREATOR");
    const viewer = await newUser();
    const operator = await newUser("OPERATOR");
    const { withdrawal } = await requestWithdrawal(a, { diamonds: "all", payout: IBAN, clientKey: randomUUID() });

    expect(await resolveCreatorScope(viewer)).toBeNull();
    expect(await resolveCreatorScope(viewer, a.id)).toBeNull();
    expect(await resolveCreatorScope(b, a.id)).toBeNull();
    expect(await resolveCreatorScope(operator)).toBeNull();
    expect(await resolveCreatorScope(operator, "not-a-uuid")).toBeNull();
    expect(await resolveCreatorScope(operator, viewer.id)).toBeNull();
    expect((await resolveCreatorScope(operator, a.id))?.creatorId).toBe(a.id);

    expect(await getStreamBreakdown((await resolveCreatorScope(b))!, stream.id)).toBeNull();
    expect(await getStreamBreakdown((await resolveCreatorScope(a))!, randomUUID())).toBeNull();
    expect(await getStreamBreakdown((await resolveCreatorScope(a))!, "../../etc")).toBeNull();
    expect((await getStreamBreakdown((await resolveCreatorScope(a))!, stream.id))?.stream.id).toBe(stream.id);

    expect(await getWithdrawal(b, withdrawal.id)).toBeNull();
    expect(await getWithdrawal(viewer, withdrawal.id)).toBeNull();
    expect(await getWithdrawal(a, "nope")).toBeNull();
    expect((await getWithdrawal(operator, withdrawal.id))?.id).toBe(withdrawal.id);
    await expect(cancelWithdrawal(b, withdrawal.id)).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(approveWithdrawal(a, withdrawal.id)).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(rejectWithdrawal(b, withdrawal.id, "")).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(requestWithdrawal(viewer, { diamonds: "all", payout: IBAN, clientKey: randomUUID() })).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect((await getWithdrawal(a, withdrawal.id))!.status).toBe("PENDING");
  });

  test("pages: the creator area is a 404 for viewers and asks signed-out visitors to sign in", async () => {
    await expect(requireCreatorArea("/creator/earnings")).rejects.toThrow("REDIRECT:/sign-in");
    session.user = await newUser();
    await expect(requireCreatorArea("/creator/earnings")).rejects.toThrow("NOT_FOUND");
    session.user = await newUser("CREATOR");
    await expect(requireCreatorArea("/creator/earnings")).resolves.toMatchObject({ id: session.user.id });
  });

  test("server actions check the session and the role, and refuse other people's withdrawals", async () => {
    const { creator: a } = await creatorWithGifts(["drama-queen"]);
    const b = await newUser("CREATOR");
    const viewer = await newUser();
    const operator = await newUser("OPERATOR");
    session.user = a;
    const before = await diamonds(a.id);
    expect(before).toBe(2_500_000n); // the Drama Queen's
    const valid = { amount: "all", method: "bank", bankFormat: "iban", iban: "DE89 3704 0044 0532 0130 00", clientKey: randomUUID() };

    // Signed out, or the wrong role: nothing happens.
    for (const [user, action] of [
      [null, () => requestWithdrawalAction({}, form(valid))],
      [viewer, () => requestWithdrawalAction({}, form(valid))],
      [operator, () => requestWithdrawalAction({}, form(valid))],
      [viewer, () => approveWithdrawalAction(randomUUID())],
      [a, () => approveWithdrawalAction(randomUUID())],
      [b, () => rejectWithdrawalAction(randomUUID(), {}, form({ reason: "x" }))],
      [operator, () => cancelWithdrawalAction(randomUUID())],
      [operator, () => becomeCreatorAction()],
    ] as const) {
      session.user = user;
      const result = await action();
      expect(result.ok).toBe(false);
      expect(result.message).toMatch(/session has ended|do not have access/);
    }
    expect(await listWithdrawals(a.id)).toEqual([]);

    // Bad input: specific errors, nothing changes.
    session.user = a;
    const badIban = await requestWithdrawalAction({}, form({ ...valid, iban: "DE89 3704 0044 0532 0130 01" }));
    expect(badIban.errors?.iban?.[0]).toMatch(/valid IBAN/);
    const badRouting = await requestWithdrawalAction({}, form({ ...valid, bankFormat: "us", accountNumber: "12", routingNumber: "123456789" }));
    expect(badRouting.errors?.accountNumber?.[0]).toMatch(/4 to 17 digits/);
    expect(badRouting.errors?.routingNumber?.[0]).toMatch(/routing number/);
    const badEmail = await requestWithdrawalAction({}, form({ ...valid, method: "paypal", paypalEmail: "nope" }));
    expect(badEmail.errors?.paypalEmail?.[0]).toMatch(/PayPal/);
    const tooMuch = await requestWithdrawalAction({}, form({ ...valid, amount: "amount", diamonds: "999999" }));
    expect(tooMuch.errors?.diamonds?.[0]).toMatch(/cannot withdraw more/);
    const notANumber = await requestWithdrawalAction({}, form({ ...valid, amount: "amount", diamonds: "-5" }));
    expect(notANumber.errors?.diamonds?.[0]).toMatch(/Enter a number of diamonds/);
    const tooSmall = await requestWithdrawalAction({}, form({ ...valid, amount: "amount", diamonds: "100" }));
    expect(tooSmall.errors?.diamonds?.[0]).toMatch(/minimum withdrawal/);
    expect(await diamonds(a.id)).toBe(before);

    // A valid request redirects to its receipt; the stored destination is masked.
    await expect(requestWithdrawalAction({}, form(valid))).rejects.toThrow(/REDIRECT:\/creator\/withdrawals\/[0-9a-f-]{36}$/);
    const [mine] = await listWithdrawals(a.id);
    expect(mine!.destination).toBe("IBAN DE•• •••• 3000");
    const { rows } = await getLedger().pool.query("SELECT count(*)::int AS n FROM withdrawals WHERE destination LIKE '%0532%'");
    expect(rows[0].n).toBe(0);

    // Someone else's withdrawal id: refused as if it did not exist.
    session.user = b;
    expect(await cancelWithdrawalAction(mine!.id)).toMatchObject({ ok: false, message: "This withdrawal does not exist." });
    session.user = a;
    expect(await approveWithdrawalAction(mine!.id)).toMatchObject({ ok: false });
    expect((await getWithdrawal(a, mine!.id))!.status).toBe("PENDING");
    session.user = operator;
    expect(await rejectWithdrawalAction(mine!.id, {}, form({ reason: "Test" }))).toMatchObject({ ok: true });
    expect(await diamonds(a.id)).toBe(before);
    expect(await approveWithdrawalAction(mine!.id)).toMatchObject({ ok: false, message: "This withdrawal is already rejected." });
  });

  test("become a creator: adults only", async () => {
    session.user = await newUser("VIEWER", { birthDate: "2015-01-01" });
    expect(await becomeCreatorAction()).toMatchObject({ ok: false, message: "Creator tools are for people 18 and over." });
    session.user = await newUser();
    await expect(becomeCreatorAction()).rejects.toThrow("REDIRECT:/creator");
    const { rows } = await getLedger().pool.query("SELECT role FROM users WHERE id = $1", [session.user.id]);
    expect(rows[0].role).toBe("CREATOR");
    expect(await findDiamondAccount(getLedger().pool, session.user.id)).toMatchObject({ balance: 0n });
  });
});
