// The product as `npm start` runs it: demo mode and the simulated audience ON.
// A person signs in, opens the demo LIVE, sends a Rose, a streak and a big
// gift, and sees their own gifts and the bots'; their balance moves exactly;
// the bots keep gifting after the visit; the ledger reconciles. A newcomer's
// treasure box in the demo LIVE is joined and won by the bots.
import { expect, test, type Page } from "@playwright/test";
import type pg from "pg";
import { buyCoinsFor, dropTreasureBox, expectAccessible, expectTextNeverFades, openGiftPanel, signIn, signUpFresh, VIEWER } from "./fixtures";
import { demoDatabase } from "./demo-db";

let db: pg.Pool;
test.beforeAll(async () => {
  db = await demoDatabase();
});
test.afterAll(async () => {
  await db?.end();
});

async function giftTransfers(): Promise<number> {
  const { rows } = await db.query("SELECT count(*)::int AS n FROM ledger_transfers WHERE kind = 'GIFT'");
  return rows[0].n as number;
}

async function walletBalance(email: string): Promise<bigint> {
  const { rows } = await db.query(
    `SELECT a.balance::text AS balance FROM ledger_accounts a JOIN users u ON u.id = a.user_id
      WHERE u.email = $1 AND a.kind = 'VIEWER_COINS'`,
    [email],
  );
  return BigInt(rows[0].balance as string);
}

/** Cached balances equal the postings, and every transfer sums to zero per asset. */
async function expectReconciled() {
  const drift = await db.query(
    `SELECT a.id FROM ledger_accounts a LEFT JOIN (SELECT account_id, sum(amount) AS s FROM ledger_postings GROUP BY account_id) p
       ON p.account_id = a.id WHERE a.balance <> COALESCE(p.s, 0)`,
  );
  expect(drift.rows, "accounts whose cached balance differs from their postings").toEqual([]);
  const unbalanced = await db.query("SELECT transfer_id FROM ledger_postings GROUP BY transfer_id, asset HAVING sum(amount) <> 0");
  expect(unbalanced.rows, "transfers that do not sum to zero").toEqual([]);
}

async function tapGift(page: Page, name: string, coins: string) {
  await page.getByRole("button", { name: `Send ${name} for ${coins} coins` }).click();
}

test("the demo LIVE with its simulated audience: a viewer's gifts land, the bots' too, balances move exactly, the bots keep gifting", async ({ page }) => {
  test.setTimeout(150_000);
  // The audience is up: its gifts reach the ledger.
  await expect.poll(giftTransfers, { timeout: 60_000, message: "the simulated audience sends gifts" }).toBeGreaterThan(0);
  const start = await walletBalance(VIEWER.email);

  await signIn(page, VIEWER);
  await page.waitForURL((url) => !url.pathname.startsWith("/sign-in"));
  await page.goto("/live");
  await page.getByRole("link", { name: /Cleo Creator/ }).click();
  await expect(page).toHaveURL(/\/live\/[0-9a-f-]{36}$/);
  await expect(page.getByRole("heading", { name: "Cleo Creator" })).toBeVisible();
  await openGiftPanel(page);
  const balanceText = (coins: bigint) => `🪙 ${coins.toLocaleString("en-US")}`;
  await expect(page.getByTestId("gift-balance")).toHaveText(balanceText(start));

  // The bots' gifts reach this page, and the bots count as viewers.
  await expect(page.getByTestId("gift-combo").filter({ hasText: "(bot)" }).first()).toBeVisible({ timeout: 30_000 });
  const watching = async () => Number((await page.getByTestId("viewer-count").innerText()).replace(/[^0-9]/g, ""));
  await expect.poll(watching, { timeout: 15_000, message: "the eight bots and this viewer are counted as watching" }).toBeGreaterThanOrEqual(9);

  // One Rose.
  await tapGift(page, "Rose", "1");
  await expect(page.getByTestId("gift-combo").filter({ hasText: `${VIEWER.name} sent Rose` })).toBeVisible();
  await expect(page.getByTestId("gift-balance")).toHaveText(balanceText(start - 1n));

  // A streak: five fast taps of Finger Heart make one combo of five.
  for (let i = 0; i < 5; i++) await tapGift(page, "Finger Heart", "5");
  const streak = page.getByTestId("gift-combo").filter({ hasText: `${VIEWER.name} sent Finger Heart` });
  await expect(streak.getByTestId("combo-count")).toHaveText("×5");
  await expect(page.getByTestId("gift-balance")).toHaveText(balanceText(start - 26n));
  // The combos (the bots' with their gifter and fan badges) stay readable while they slide in.
  await expectTextNeverFades(page);

  // A big gift asks first, then plays on the stage.
  await tapGift(page, "Gold Mine", "1,000");
  const confirm = page.getByRole("dialog", { name: "Send Gold Mine?" });
  await confirm.getByRole("button", { name: "Send Gold Mine", exact: true }).click();
  await expect(page.getByTestId("gift-spotlight")).toContainText(`${VIEWER.name} sent Gold Mine!`);
  const end = start - 1026n;
  await expect(page.getByTestId("gift-balance")).toHaveText(balanceText(end));
  await expect(page.getByTestId("nav-balance").first()).toHaveText(end.toLocaleString("en-US"));
  expect(await walletBalance(VIEWER.email)).toBe(end);
  await expectAccessible(page);

  // After the visit, the LIVE goes on: the audience keeps gifting for 30 s.
  await page.goto("/wallet");
  let last = await giftTransfers();
  for (let window = 0; window < 3; window++) {
    await expect.poll(giftTransfers, { timeout: 15_000, intervals: [1000], message: `bots gift in window ${window + 1}` }).toBeGreaterThan(last);
    last = await giftTransfers();
    await page.waitForTimeout(10_000);
  }
  expect(await walletBalance(VIEWER.email)).toBe(end);
  await expectReconciled();
});

test("a newcomer's treasure box in the demo LIVE: the bots join it during the countdown and win exactly its coins", async ({ page }) => {
  test.setTimeout(180_000);
  const name = `Dropper ${Math.random().toString(36).slice(2, 7)}`;
  await signUpFresh(page, { name });
  await page.goto("/live");
  await page.getByRole("link", { name: /Cleo Creator/ }).click();
  await expect(page).toHaveURL(/\/live\/[0-9a-f-]{36}$/);
  const before = await buyCoinsFor(page, new URL(page.url()).pathname);

  // 100 coins for 2 winners, the shortest countdown `npm start` allows (1 min).
  const panel = await dropTreasureBox(page, { coins: "100", winners: "2", countdown: "1 min" });
  await expect(page.getByTestId("gift-balance")).toHaveText(`🪙 ${(before - 100n).toLocaleString("en-US")}`);

  const box = panel.getByTestId("treasure-box").filter({ hasText: `${name}’s treasure box` });
  // The bots join while it counts down, and it opens on the server's timer.
  await expect
    .poll(async () => Number(await box.getByTestId("treasure-entrants").innerText()), { timeout: 60_000, message: "bots join the box" })
    .toBeGreaterThan(0);
  await expect(box).toHaveAttribute("data-status", "OPENED", { timeout: 75_000 });
  const winners = box.getByTestId("treasure-winner");
  const count = await winners.count();
  expect(count).toBeGreaterThanOrEqual(1);
  expect(count).toBeLessThanOrEqual(2);
  let paid = 0n;
  for (let i = 0; i < count; i++) {
    await expect(winners.nth(i)).toContainText("(bot)");
    paid += BigInt((await winners.nth(i).getAttribute("data-coins"))!);
  }
  expect(paid).toBe(100n);
  await expectAccessible(page);
  await expectReconciled();
});
