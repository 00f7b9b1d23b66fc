import { expect, test, type Browser, type Page } from "@playwright/test";
import { expectAccessible, OPERATOR, payWithCard, signIn, signUpFresh, VIEWER } from "./fixtures";

// Every run makes its own creator (a fresh sign-up who turns on creator tools)
// and its own supporter, so exact figures hold while other tests use the demo
// accounts and the phone and desktop projects run at the same time.

/**
 * Opens an earnings page once the earnings folder (a background job, every
 * second) has added every gift committed so far: pages only read, and say
 * "Updating…" until then.
 */
async function openFolded(page: Page, path: string) {
  await expect(async () => {
    await page.goto(path);
    await expect(page.getByTestId("earnings-updating")).toHaveCount(0, { timeout: 500 });
  }).toPass({ timeout: 15_000 });
}

async function freshCreatorLive(browser: Browser, name: string) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signUpFresh(page, { name });
  await expect(page.getByRole("link", { name: "Become a creator" })).toBeVisible();
  await page.goto("/become-creator");
  await page.getByRole("button", { name: "Turn on creator tools" }).click();
  await expect(page).toHaveURL(/\/creator$/);

  // No gifts yet: the earnings page says so.
  await page.getByRole("link", { name: "See your earnings" }).click();
  await expect(page.getByRole("heading", { name: "No gifts yet" })).toBeVisible();
  await expect(page.getByTestId("earnings-balance")).toHaveText("💎 0");
  await expectAccessible(page);

  await page.goto("/creator");
  await page.getByLabel("Title").fill(`${name}'s earnings test`);
  await page.getByRole("button", { name: "Go LIVE" }).click();
  await expect(page).toHaveURL(/\/live\/[0-9a-f-]{36}$/);
  return { context, page, streamUrl: page.url() };
}

test("a creator sees a stream's gifts as today's diamonds, withdraws, and sees the withdrawal pending then paid", async ({ browser }) => {
  test.setTimeout(150_000);
  const tag = Math.random().toString(36).slice(2, 7);
  const creatorName = `Creator ${tag}`;
  const creator = await freshCreatorLive(browser, creatorName);

  // A supporter recharges and sends a Drama Queen (5,000 coins) and a Rose (1 coin). The
  // supporter uses a desktop-sized window: this test is about the creator's pages.
  const fanContext = await browser.newContext({ viewport: { width: 1280, height: 800 }, isMobile: false, hasTouch: false });
  const fan = await fanContext.newPage();
  await signUpFresh(fan, { name: `Fan ${tag}` });
  await fan.goto(`/recharge?returnTo=${encodeURIComponent(new URL(creator.streamUrl).pathname)}`);
  await fan.getByRole("radio", { name: /^17,500 coins/ }).check({ force: true });
  await fan.getByRole("button", { name: "Continue to payment" }).click();
  await payWithCard(fan, "4242 4242 4242 4242");
  await expect(fan).toHaveURL(/\/live\/[0-9a-f-]{36}\?paid=pi_/);
  const coins = BigInt((await fan.getByTestId("gift-balance").innerText()).replace(/[^0-9]/g, ""));
  await fan.getByRole("button", { name: "Send Drama Queen for 5,000 coins" }).click();
  await fan.getByRole("button", { name: "Send Drama Queen", exact: true }).click();
  await expect(fan.getByTestId("gift-balance")).toHaveText(`🪙 ${(coins - 5_000n).toLocaleString("en-US")}`);
  await fan.getByRole("button", { name: "Send Rose for 1 coins" }).click();
  await expect(fan.getByTestId("gift-balance")).toHaveText(`🪙 ${(coins - 5_001n).toLocaleString("en-US")}`);

  // 5,001 coins at a 50% share: 2,500.5 diamonds today, all of them from this stream.
  const page = creator.page;
  await openFolded(page, "/creator/earnings?range=today");
  await expect(page.getByTestId("earnings-today")).toHaveText("💎 2,500.5");
  await expect(page.getByTestId("earnings-all")).toHaveText("💎 2,500.5");
  await expect(page.getByTestId("earnings-balance")).toHaveText("💎 2,500.5");
  await expect(page.getByTestId("earnings-balance-cash")).toContainText("$12.50");
  await expect(page.getByTestId("stream-diamonds")).toHaveText("💎 2,500.5");
  await expect(page.getByTestId("top-supporters")).toContainText(`Fan ${tag}`);
  await expect(page.getByTestId("conversion-all-time")).toContainText("5,001 coins of gifts gave you 💎 2,500.5 diamonds, worth $12.50");
  await expectAccessible(page);

  await page.getByRole("link", { name: `${creatorName}'s earnings test` }).click();
  await expect(page).toHaveURL(/\/creator\/earnings\/streams\/[0-9a-f-]{36}$/);
  const streamPath = new URL(page.url()).pathname;
  await expect(page.getByTestId("stream-gifts")).toHaveText("2");
  await expect(page.getByTestId("stream-coins")).toHaveText("🪙 5,001");
  await expect(page.getByTestId("stream-diamonds")).toHaveText("💎 2,500.5");
  await expect(page.getByTestId("gift-types")).toContainText("Drama Queen");
  await expectAccessible(page);

  // Withdraw 2,500 diamonds to a bank account: $12.50, fee $0.25, $12.25 arrives.
  await page.goto("/creator/withdrawals");
  await page.getByRole("radio", { name: "Choose an amount" }).check();
  await page.getByLabel("Diamonds to withdraw").fill("999999");
  await expect(page.getByTestId("withdraw-quote")).toContainText("you cannot withdraw more");
  await page.getByLabel("Diamonds to withdraw").fill("2500");
  await expect(page.getByTestId("quote-gross")).toHaveText("$12.50");
  await expect(page.getByTestId("quote-fee")).toHaveText("−$0.25");
  await expect(page.getByTestId("quote-net")).toHaveText("$12.25");
  await page.getByRole("textbox", { name: "IBAN" }).fill("DE89 3704 0044 0532 0130 01");
  await page.getByRole("button", { name: "Request withdrawal" }).click();
  await expect(page.getByText(/Enter a valid IBAN/).first()).toBeVisible();
  await expectAccessible(page);
  await page.getByRole("textbox", { name: "IBAN" }).fill("DE89 3704 0044 0532 0130 00");
  await page.getByRole("button", { name: "Request withdrawal" }).click();
  await expect(page).toHaveURL(/\/creator\/withdrawals\/[0-9a-f-]{36}$/);
  const receiptPath = new URL(page.url()).pathname;
  await expect(page.getByTestId("withdrawal-status")).toHaveText(/^(Pending review|Waiting for review)$/);
  await expect(page.getByTestId("receipt-net")).toHaveText("$12.25");
  await expect(page.getByText("IBAN DE•• •••• 3000")).toBeVisible();
  await expectAccessible(page);
  await page.goto("/creator/withdrawals");
  await expect(page.getByTestId("withdraw-balance")).toHaveText("💎 0.5");

  // An operator approves it; the creator's receipt turns to paid, and the balance dropped by exactly 2,500.
  const opContext = await browser.newContext();
  const op = await opContext.newPage();
  await signIn(op, OPERATOR, "/sign-in?callbackUrl=%2Foperator%2Fwithdrawals");
  await expect(op).toHaveURL(/\/operator\/withdrawals$/);
  await op.getByRole("button", { name: `Approve ${creatorName}'s $12.25 withdrawal` }).click();
  await expect(op.getByText("Approved and paid.")).toBeVisible();

  await page.goto(receiptPath);
  await expect(page.getByTestId("withdrawal-status")).toHaveText("Paid");
  await expect(page.getByText("$12.25 was sent to IBAN DE•• •••• 3000.")).toBeVisible();
  await page.goto("/creator/earnings");
  await expect(page.getByTestId("earnings-balance")).toHaveText("💎 0.5");
  await expect(page.getByTestId("earnings-all")).toHaveText("💎 2,500.5");

  // A viewer who tries the creator's URLs gets a 404 and none of the figures.
  const viewerContext = await browser.newContext();
  const viewer = await viewerContext.newPage();
  await signIn(viewer, VIEWER);
  await expect(viewer).toHaveURL(/\/wallet$/);
  for (const path of ["/creator/earnings", streamPath, "/creator/withdrawals", receiptPath]) {
    const response = await viewer.goto(path);
    expect(response?.status(), path).toBe(404);
    await expect(viewer.getByText("2,500.5")).toHaveCount(0);
    await expect(viewer.getByText("$12.25")).toHaveCount(0);
  }

  await Promise.all([creator.context.close(), fanContext.close(), opContext.close(), viewerContext.close()]);
});

test("unknown or malformed stream and withdrawal ids get a clear not-found page, never an error or data", async ({ page }) => {
  await signIn(page, { email: "creator@demo.coin", password: "creator-demo-2026" }, "/sign-in?callbackUrl=%2Fcreator%2Fearnings");
  await expect(page).toHaveURL(/\/creator\/earnings$/);
  await page.goto("/creator/earnings/streams/00000000-0000-4000-8000-000000000000");
  await expect(page.getByRole("heading", { name: "Stream not found" })).toBeVisible();
  await page.goto("/creator/earnings/streams/not-a-stream");
  await expect(page.getByRole("heading", { name: "Stream not found" })).toBeVisible();
  await page.goto("/creator/withdrawals/00000000-0000-4000-8000-000000000000");
  await expect(page.getByRole("heading", { name: "Withdrawal not found" })).toBeVisible();
  await page.goto("/creator/earnings?creator=00000000-0000-4000-8000-000000000000");
  await expect(page.getByTestId("earnings-balance")).toHaveCount(0);
  await page.goto("/creator/earnings?range=nonsense&before=yesterday");
  await expect(page.getByTestId("earnings-balance")).toBeVisible();
  await expectAccessible(page);
});
