// Fan clubs as people see them: a creator names their club, a viewer joins it
// by sending a Heart Me in the creator's LIVE, everyone in the LIVE sees the
// join notice, and the club badge with the member's level shows beside their
// name in the chat and on the leaderboard (also after a reload); the wallet
// lists the club and the creator's page lists the member. A fresh creator
// streams (the demo creator is left alone).
import { expect, test } from "@playwright/test";
import { buyCoinsFor, expectAccessible, freshCreatorLive, signUpFresh } from "./fixtures";

test("a viewer joins a creator's fan club with a Heart Me and the club badge shows beside their name", async ({ browser }) => {
  test.setTimeout(120_000);
  const tag = Math.random().toString(36).slice(2, 7);
  const club = `N${tag}`;
  const badge = new RegExp(`^♥ ${club} 1\\s*${club} fan club, level 1$`);
  const creator = await freshCreatorLive(browser, `Nora ${tag}`);

  // The creator names the club: a bad name is refused with a reason, a good one is saved.
  await creator.page.goto("/creator/fans");
  await expect(creator.page.getByTestId("fan-members-empty")).toBeVisible();
  const name = creator.page.getByLabel("Fan club name");
  await name.fill("Nora fans!");
  await creator.page.getByRole("button", { name: "Save name" }).click();
  await expect(creator.page.getByRole("status").filter({ hasText: "only letters and digits" })).toBeVisible();
  await expect(creator.page.getByLabel("Fan club name")).toHaveAttribute("aria-invalid", "true");
  await creator.page.getByLabel("Fan club name").fill(club);
  await creator.page.getByRole("button", { name: "Save name" }).click();
  await expect(creator.page.getByRole("status").filter({ hasText: `Your fan club is now called ${club}` })).toBeVisible();
  await expectAccessible(creator.page);
  await creator.page.goto(creator.path);

  // A viewer buys coins and sends a Heart Me in the LIVE (a desktop window: the gift panel is always shown).
  const viewerName = `Ivo ${tag}`;
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, isMobile: false, hasTouch: false });
  const page = await context.newPage();
  await signUpFresh(page, { name: viewerName });
  const coins = await buyCoinsFor(page, creator.path);
  await page.getByRole("button", { name: "Send Heart Me for 1 coins" }).click();
  await expect(page.getByTestId("gift-balance")).toHaveText(`🪙 ${(coins - 1n).toLocaleString("en-US")}`);

  // Joined once the gift is folded (about a second): a notice for everyone in the LIVE, once.
  const joined = (p: typeof page) =>
    p
      .getByTestId("chat-fan-notice")
      .filter({ hasText: viewerName })
      .filter({ hasText: `joined the ${club} fan club` });
  await expect(joined(page)).toHaveCount(1);
  await expect(joined(creator.page)).toHaveCount(1);
  // The badge beside their name: on the leaderboard at once, and on their messages.
  const leader = (p: typeof page) => p.getByTestId("leaderboard").getByRole("listitem").filter({ hasText: viewerName });
  await expect(leader(page).getByTestId("fan-badge")).toHaveText(badge);
  await expect(leader(creator.page).getByTestId("fan-badge")).toHaveText(badge);
  await page.getByLabel("Chat message").fill(`a fan now ${tag}`);
  await page.getByRole("button", { name: "Send", exact: true }).click();
  const line = (p: typeof page) => p.getByTestId("chat-line").filter({ hasText: `a fan now ${tag}` });
  await expect(line(page).getByTestId("fan-badge")).toHaveText(badge);
  await expect(line(creator.page).getByTestId("fan-badge")).toHaveText(badge);
  await expectAccessible(page);

  // After a reload: the same badges from the server, the notice once.
  await page.reload();
  await expect(leader(page).getByTestId("fan-badge")).toHaveText(badge);
  await expect(line(page).getByTestId("fan-badge")).toHaveText(badge);
  await expect(joined(page)).toHaveCount(1);

  // The wallet lists the club with its level and when it would lapse.
  await page.goto("/wallet");
  const row = page.getByTestId("fan-club-row").filter({ hasText: `Nora ${tag}` });
  await expect(row.getByTestId("fan-badge")).toHaveText(badge);
  await expect(row).toContainText("level 1");
  await expect(row.getByTestId("fan-club-active")).toContainText("Lapses in 7 days");
  await expectAccessible(page);

  // The creator sees the member, with level, points and activity.
  await creator.page.goto("/creator/fans");
  const member = creator.page.getByTestId("fan-member-row").filter({ hasText: viewerName });
  await expect(member).toBeVisible();
  // Points: the Heart Me (1) and the message (1), and a minute watched if a minute turned meanwhile.
  await expect(member.getByRole("cell").nth(1)).toHaveText("1");
  await expect(member.getByRole("cell").nth(2)).toHaveText(/^[23]$/);
  await expect(member).toContainText(/[01] watching · 1 chat · 1 from gifts/);
  await expect(creator.page.getByTestId("fan-club-summary")).toContainText("1 member, 1 active");
  await expectAccessible(creator.page);
  await context.close();
  await creator.context.close();
});
