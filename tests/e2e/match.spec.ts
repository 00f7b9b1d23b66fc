// A LIVE Match between two fresh creators, watched and gifted by a fresh
// viewer: the invitation and its answer in real time, the same moving scores
// on both stream pages, and the same result at the end. The e2e server runs
// short matches (LIVE_MATCH_SECONDS in playwright.config.ts). The demo
// creator is left alone: other specs use her LIVE at the same time.
import { expect, test, type Page } from "@playwright/test";
import { expectAccessible, freshCreatorLive, payWithCard, signUpFresh } from "./fixtures";

/** The viewer's coins, followed across both tabs (each tab shows the balance its last gift returned). */
const wallet = { coins: 0n };

async function send(page: Page, gift: string, coins: number) {
  await page.getByRole("button", { name: `Send ${gift} for ${coins.toLocaleString("en-US")} coins` }).click();
  wallet.coins -= BigInt(coins);
  await expect(page.getByTestId("gift-balance")).toHaveText(`🪙 ${wallet.coins.toLocaleString("en-US")}`);
}

async function expectScores(page: Page, a: string, b: string) {
  await expect(page.getByTestId("match-score-a")).toHaveText(a);
  await expect(page.getByTestId("match-score-b")).toHaveText(b);
}

test("two creators play a LIVE Match: invitation, acceptance, the same scores on both pages, the result and each side's MVP", async ({ browser }) => {
  test.setTimeout(180_000);
  const tag = Math.random().toString(36).slice(2, 7);
  const nameA = `Ada ${tag}`;
  const nameB = `Bo ${tag}`;
  const viewerName = `Fan ${tag}`;
  const a = await freshCreatorLive(browser, nameA);
  const b = await freshCreatorLive(browser, nameB);

  // The viewer buys coins first and keeps both LIVEs open (a desktop window: the gift panel is always shown).
  const fanContext = await browser.newContext({ viewport: { width: 1280, height: 800 }, isMobile: false, hasTouch: false });
  const fanA = await fanContext.newPage();
  await signUpFresh(fanA, { name: viewerName });
  await fanA.goto(`/recharge?returnTo=${encodeURIComponent(a.path)}`);
  await fanA.getByRole("radio", { name: /^17,500 coins/ }).check({ force: true });
  await fanA.getByRole("button", { name: "Continue to payment" }).click();
  await payWithCard(fanA, "4242 4242 4242 4242");
  await expect(fanA).toHaveURL(/\/live\/[0-9a-f-]{36}\?paid=pi_/);
  wallet.coins = BigInt((await fanA.getByTestId("gift-balance").innerText()).replace(/[^0-9]/g, ""));
  const fanB = await fanContext.newPage();
  await fanB.goto(b.path);
  await expect(fanB.getByTestId("gift-balance")).not.toHaveText("🪙 0");

  // A invites B from A's stream page.
  const invite = a.page.getByRole("button", { name: `Invite ${nameB}`, exact: true });
  await expect(async () => {
    await a.page.getByRole("button", { name: "Refresh" }).click();
    await expect(invite).toBeEnabled({ timeout: 1_000 });
  }).toPass({ timeout: 20_000 });
  await invite.click();
  await expect(a.page.getByTestId("match-waiting")).toContainText(`Waiting for ${nameB}…`);
  await expect(a.page.getByRole("button", { name: "Withdraw" })).toBeVisible();

  // B is asked in real time, on B's stream page, and accepts.
  const invitation = b.page.getByTestId("match-invitation");
  await expect(invitation).toContainText(`${nameA} invites you to a LIVE Match`);
  await expect(invitation).toContainText(/\d+ s to answer/);
  await invitation.getByRole("button", { name: "Accept" }).click();

  // Both creators' pages and the viewer's show the match, side by side, with its countdown.
  for (const page of [a.page, b.page, fanA, fanB]) {
    await expect(page.getByTestId("match-board")).toBeVisible();
    await expect(page.getByTestId("match-countdown")).toHaveText(/^0:[0-4]\d$/);
    await expectScores(page, "0", "0");
  }
  await expect(a.page.getByRole("img", { name: `${nameA} 0 points, ${nameB} 0 points` })).toBeVisible();
  await expect(b.page.getByRole("img", { name: `${nameB} 0 points, ${nameA} 0 points` })).toBeVisible();

  // The viewer gifts both sides; both creators see the same scores move.
  await send(fanA, "Money Gun", 500);
  await expectScores(a.page, "500", "0");
  await expectScores(b.page, "500", "0");
  await send(fanB, "Hat and Mustache", 99);
  await send(fanB, "Doughnut", 30);
  await expectScores(a.page, "500", "129");
  await expectScores(b.page, "500", "129");
  await send(fanA, "Rosa", 10);
  await expectScores(a.page, "510", "129");
  await expectScores(b.page, "510", "129");
  await expect(a.page.getByRole("img", { name: `${nameA} 510 points, ${nameB} 129 points` })).toBeVisible();
  await expectAccessible(a.page);
  // The match lasts 45 s (long enough for four gifts on a loaded machine): its last 30 s are highlighted.
  await expect(a.page.getByText("Final 30 seconds: every gift counts!")).toBeVisible({ timeout: 30_000 });

  // The end: the same final score, A wins, the viewer is each side's MVP, with their gifter
  // level beside the name (639 coins in all: level 18, from 470 coins).
  for (const page of [a.page, b.page]) {
    await expect(page.getByTestId("match-result")).toHaveText(`${nameA} wins!`, { timeout: 40_000 });
    await expectScores(page, "510", "129");
    for (const [side, coins] of [
      ["a", "510"],
      ["b", "129"],
    ] as const) {
      const mvp = page.getByTestId(`match-mvp-${side}`);
      await expect(mvp).toContainText("MVP");
      await expect(mvp).toContainText(viewerName);
      await expect(mvp).toContainText(coins);
      await expect(mvp.getByTestId("gifter-badge")).toHaveText(/^Lv 18\s*Gifter level 18$/);
    }
    await expect(page.getByTestId("match-countdown")).toHaveCount(0);
  }
  await expect(a.page.getByTestId("match-result-panel")).toContainText(`Win${nameA}`);
  await expect(b.page.getByTestId("match-result-panel")).toContainText(`Loss${nameB}`);
  await expectAccessible(b.page);

  // The result can be dismissed; the dashboard keeps the match in its history.
  await b.page.getByRole("button", { name: "Dismiss the match result" }).click();
  await expect(b.page.getByTestId("match-board")).toHaveCount(0);
  await a.page.goto("/creator");
  const row = a.page.getByTestId("match-history-row").first();
  await expect(row).toContainText(nameB);
  await expect(row).toContainText("Won");
  await expect(row).toContainText("510 – 129");
  await expect(row).toContainText("💎 255");

  await Promise.all([a.context.close(), b.context.close(), fanContext.close()]);
});
