// A treasure box in a fresh creator's LIVE: a viewer who bought coins drops
// one, two other viewers (their own browser contexts) join it while its
// countdown runs, the box opens on the server's timer, all three pages show
// the same winners and shares, and the three wallets move by exactly the
// amounts shown; an operator's audit shows the same shares as the seed
// draws. The e2e server allows 15-second countdowns (TREASURE_MIN_SECONDS in
// playwright.config.ts). The demo creator is left
// alone: other specs assert her LIVE's exact totals.
import { expect, test, type Browser, type Page } from "@playwright/test";
import { dropTreasureBox, expectAccessible, OPERATOR, payWithCard, signIn, signUpFresh } from "./fixtures";

async function freshContext(browser: Browser, name: string) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signUpFresh(page, { name });
  return { context, page };
}

async function walletCoins(page: Page): Promise<bigint> {
  await page.goto("/wallet");
  return BigInt((await page.getByTestId("wallet-balance").innerText()).replace(/[^0-9]/g, ""));
}

test("a viewer drops a treasure box, two others join, it opens and the wallets move by exactly the shares shown", async ({ browser }) => {
  test.setTimeout(150_000);
  const tag = Math.random().toString(36).slice(2, 7);
  const creator = await freshContext(browser, `Host ${tag}`);
  await creator.page.goto("/become-creator");
  await creator.page.getByRole("button", { name: "Turn on creator tools" }).click();
  await expect(creator.page).toHaveURL(/\/creator$/);
  await creator.page.getByLabel("Title").fill(`Treasure hunt ${tag}`);
  await creator.page.getByRole("button", { name: "Go LIVE" }).click();
  await expect(creator.page).toHaveURL(/\/live\/[0-9a-f-]{36}$/);
  const path = new URL(creator.page.url()).pathname;

  // The dropper buys 350 coins and comes back to the LIVE.
  const dropperName = `Dropper ${tag}`;
  const dropper = await freshContext(browser, dropperName);
  await dropper.page.goto(`/recharge?returnTo=${encodeURIComponent(path)}`);
  await dropper.page.getByRole("radio", { name: /^350 coins/ }).check({ force: true });
  await dropper.page.getByRole("button", { name: "Continue to payment" }).click();
  await payWithCard(dropper.page, "4242 4242 4242 4242");
  await expect(dropper.page).toHaveURL(/\/live\/[0-9a-f-]{36}\?paid=pi_/);
  const dropperBefore = await walletCoins(dropper.page);
  expect(dropperBefore).toBeGreaterThanOrEqual(300n);

  const joiners = [await freshContext(browser, `Ann ${tag}`), await freshContext(browser, `Ben ${tag}`)];
  const before = [];
  for (const j of joiners) before.push(await walletCoins(j.page));
  for (const page of [dropper.page, ...joiners.map((j) => j.page)]) {
    await page.goto(path);
    await expect(page.getByRole("heading", { name: "Treasure boxes" })).toBeVisible();
  }

  // The drop: 300 coins for 2 winners, 15 seconds.
  await dropTreasureBox(dropper.page, { coins: "300", winners: "2", countdown: "15 s" }, { checkForm: true });
  const box = dropper.page.getByTestId("treasure-box").first();
  await expect(box).toContainText(`${dropperName}’s treasure box`);
  await expect(box.getByTestId("treasure-join")).toBeDisabled();
  await expect(box).toContainText("Your box: it is for your viewers.");

  // Both other viewers see it arrive live and join.
  for (const j of joiners) {
    const theirs = j.page.getByTestId("treasure-box").first();
    await expect(theirs).toContainText(`${dropperName}’s treasure box`);
    await expect(theirs.getByTestId("treasure-coins")).toHaveText("300");
    // Joining needs the page's live connection to count as watching: tried again until it does.
    const joined = theirs.getByTestId("treasure-joined");
    await expect(async () => {
      if (!(await joined.isVisible())) await theirs.getByTestId("treasure-join").click();
      await expect(joined).toBeVisible({ timeout: 1_500 });
    }).toPass({ timeout: 10_000 });
  }
  await expect(box.getByTestId("treasure-entrants")).toHaveText("2");
  await expectAccessible(joiners[0]!.page);

  // It opens on the server's timer: the same two winners and shares everywhere.
  const results: Array<Array<{ name: string; coins: bigint }>> = [];
  for (const page of [dropper.page, ...joiners.map((j) => j.page)]) {
    const opened = page.getByTestId("treasure-box").first();
    await expect(opened).toHaveAttribute("data-status", "OPENED", { timeout: 30_000 });
    const rows = opened.getByTestId("treasure-winner");
    await expect(rows).toHaveCount(2);
    const list = [];
    for (let i = 0; i < 2; i++)
      list.push({
        name: (await rows.nth(i).innerText()).split("\n")[0]!.replace(" (you)", ""),
        coins: BigInt((await rows.nth(i).getAttribute("data-coins"))!),
      });
    results.push(list);
  }
  expect(results[1]).toEqual(results[0]);
  expect(results[2]).toEqual(results[0]);
  expect(results[0]!.reduce((s, w) => s + w.coins, 0n)).toBe(300n);
  const shares = new Map(results[0]!.map((w) => [w.name, w.coins]));
  for (const [i, j] of joiners.entries()) {
    const mine = shares.get(`${i === 0 ? "Ann" : "Ben"} ${tag}`)!;
    await expect(j.page.getByTestId("treasure-my-win")).toHaveText(`You won ${mine.toLocaleString("en-US")} coins!`);
  }
  await expectAccessible(joiners[1]!.page);

  // The wallets moved by exactly those amounts.
  expect(await walletCoins(dropper.page)).toBe(dropperBefore - 300n);
  expect(await walletCoins(joiners[0]!.page)).toBe(before[0]! + shares.get(`Ann ${tag}`)!);
  expect(await walletCoins(joiners[1]!.page)).toBe(before[1]! + shares.get(`Ben ${tag}`)!);
  await expect(joiners[0]!.page.getByText(`Won in ${dropperName}'s treasure box`)).toBeVisible();
  await expect(dropper.page.getByText(/^Treasure box in Host .*'s LIVE$/)).toBeVisible();

  // An operator audits the box: the seed revealed, the same shares paid as the seed draws.
  const operatorContext = await browser.newContext();
  const operator = await operatorContext.newPage();
  await signIn(operator, OPERATOR, "/sign-in?callbackUrl=%2Foperator%2Ftreasure");
  await expect(operator).toHaveURL(/\/operator\/treasure$/);
  await operator.getByLabel("Status").selectOption({ label: "Opened" });
  await operator.getByRole("button", { name: "Show boxes" }).click();
  await expect(operator).toHaveURL(/\/operator\/treasure\?status=OPENED$/);
  const listed = operator
    .getByTestId("treasure-boxes")
    .getByRole("listitem")
    .filter({ hasText: `dropped by ${dropperName}` });
  await expect(listed).toContainText("🪙 300 for 2 winners");
  await expectAccessible(operator);
  await listed.getByRole("link").click();
  await expect(operator.getByRole("heading", { name: /^Treasure box #\d+$/ })).toBeVisible();
  await expect(operator.getByTestId("audit-verdict")).toHaveText(/^Verified: the seed matches the commitment/);
  await expect(operator.getByTestId("audit-seed")).toHaveText(/^[0-9a-f]{64}$/);
  const audited = operator.getByTestId("audit-result").locator("tbody tr");
  await expect(audited).toHaveCount(3);
  // The LIVE lists winners by coins won, the audit in draw order: each winner's row, wherever it is.
  for (const w of results[0]!) {
    const coins = `🪙 ${w.coins.toLocaleString("en-US")}`;
    await expect(audited.filter({ hasText: w.name }).getByRole("cell")).toHaveText([w.name, coins, coins]);
  }
  await expect(audited.last().getByRole("cell")).toHaveText(["Total", "🪙 300", "🪙 300"]);
  await expect(operator.getByTestId("audit-entrants").getByRole("listitem")).toHaveCount(2);
  await expectAccessible(operator);

  await Promise.all([creator.context.close(), dropper.context.close(), operatorContext.close(), ...joiners.map((j) => j.context.close())]);
});
