import { expect, test, type Page } from "@playwright/test";
import { expectAccessible, openGiftPanel, payWithCard, signIn, signUpFresh } from "./fixtures";

async function creatorGoesLive(page: Page, title: string): Promise<string> {
  await signIn(page, { email: "creator@demo.coin", password: "creator-demo-2026" }, "/sign-in?callbackUrl=%2Fcreator");
  await expect(page).toHaveURL(/\/creator$/);
  const open = page.getByRole("link", { name: "Open your LIVE" });
  if (await open.count()) {
    await open.click();
  } else {
    await page.getByLabel("Title").fill(title);
    await page.getByRole("button", { name: "Go LIVE" }).click();
  }
  await expect(page).toHaveURL(/\/live\/[0-9a-f-]{36}$/);
  return page.url();
}

test("viewer A sends a Rose and a Lion; viewer B sees both and the leaderboard; balances and earnings move exactly @single-creator", async ({ browser }) => {
  test.setTimeout(120_000);
  const creatorContext = await browser.newContext();
  const creatorPage = await creatorContext.newPage();
  const streamUrl = await creatorGoesLive(creatorPage, "Gift test stream");
  await creatorPage.goto("/creator");
  const diamondsBefore = await creatorPage.getByTestId("creator-diamonds").innerText();

  const bContext = await browser.newContext();
  const b = await bContext.newPage();
  await b.goto(streamUrl);
  await expect(b.getByRole("heading", { name: "Cleo Creator" })).toBeVisible();

  const aContext = await browser.newContext();
  const a = await aContext.newPage();
  await signUpFresh(a, { name: "Alex Gifter" });
  await a.goto(streamUrl);
  await openGiftPanel(a);
  await expect(a.getByTestId("gift-balance")).toHaveText("🪙 0");
  await expect(b.getByTestId("viewer-count")).not.toHaveText("👁 0");

  // Not enough coins: the recharge sheet opens, and after paying A is back on the LIVE.
  await a.getByRole("button", { name: "Send Rose for 1 coins" }).click();
  await expect(a.getByRole("dialog", { name: "Not enough coins" })).toBeVisible();
  await a.getByRole("link", { name: "Recharge coins" }).click();
  await expect(a).toHaveURL(/\/recharge\?returnTo=/);
  await a.getByRole("radio", { name: /^17,500 coins/ }).check({ force: true });
  await a.getByRole("button", { name: "Continue to payment" }).click();
  await payWithCard(a, "4242 4242 4242 4242");
  await expect(a).toHaveURL(/\/live\/[0-9a-f-]{36}\?paid=pi_/);
  await openGiftPanel(a);
  const afterRecharge = BigInt((await a.getByTestId("gift-balance").innerText()).replace(/[^0-9]/g, ""));
  expect(afterRecharge).toBeGreaterThanOrEqual(17_500n);
  await a.getByRole("button", { name: "Send Rose for 1 coins" }).click();
  await expect(a.getByTestId("gift-balance")).toHaveText(`🪙 ${(afterRecharge - 1n).toLocaleString("en-US")}`);
  await expect(b.getByTestId("gift-combo").filter({ hasText: "Alex Gifter sent Rose" })).toBeVisible();

  // Not enough for a Lion yet (17,500 + bonus < 29,999): recharge again, then send with confirmation.
  await a.goto(`/recharge?returnTo=${encodeURIComponent(new URL(streamUrl).pathname)}`);
  await a.getByRole("radio", { name: /^17,500 coins/ }).check({ force: true });
  await a.getByRole("button", { name: "Continue to payment" }).click();
  await payWithCard(a, "4242 4242 4242 4242");
  await expect(a).toHaveURL(/\?paid=pi_/);
  await openGiftPanel(a);
  const beforeLion = BigInt((await a.getByTestId("gift-balance").innerText()).replace(/[^0-9]/g, ""));
  await a.getByRole("button", { name: "Send Lion for 29,999 coins" }).click();
  const confirm = a.getByRole("dialog", { name: "Send Lion?" });
  await expect(confirm).toBeVisible();
  await confirm.getByRole("button", { name: "Send Lion", exact: true }).click();
  await expect(a.getByTestId("gift-balance")).toHaveText(`🪙 ${(beforeLion - 29_999n).toLocaleString("en-US")}`);
  await expect(b.getByTestId("gift-spotlight")).toContainText("Alex Gifter sent Lion!");
  await expect(b.getByTestId("leaderboard")).toContainText("Alex Gifter");
  await expect(b.getByTestId("leaderboard").locator("li").first()).toContainText("30,000");
  await expectAccessible(b);

  // The creator earned 50% of 30,000 coins as diamonds.
  await creatorPage.reload();
  const toNumber = (text: string) => Number(text.replace(/[^0-9.]/g, ""));
  expect(toNumber(await creatorPage.getByTestId("creator-diamonds").innerText()) - toNumber(diamondsBefore)).toBe(15_000);

  await Promise.all([aContext.close(), bContext.close(), creatorContext.close()]);
});

test("live now lists the demo stream; signed-out visitors can watch but not gift", async ({ page }) => {
  await page.goto("/live");
  await page.getByRole("link", { name: /Cleo Creator/ }).click();
  await expect(page.getByRole("heading", { name: "Cleo Creator" })).toBeVisible();
  await openGiftPanel(page);
  await expect(page.getByText("Sign in to send gifts and chat.")).toBeVisible();
  await expectAccessible(page);
});
