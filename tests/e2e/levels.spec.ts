// Gifter levels as a viewer sees them: gifting past a threshold raises the
// badge beside their name in the chat and on the leaderboard, everyone in the
// LIVE sees the level-up notice once, and the wallet shows the level. The
// demo creator is left alone: a fresh creator streams.
import { expect, test } from "@playwright/test";
import { buyCoinsFor, expectAccessible, expectTextNeverFades, freshCreatorLive, signUpFresh } from "./fixtures";

/** A level badge's text: what is seen, then what a screen reader says. */
const LV7 = /^Lv 7\s*Gifter level 7$/;

test("a viewer's gifter badge rises past a threshold, in chat and on the leaderboard, with one level-up notice for everyone", async ({ browser }) => {
  test.setTimeout(120_000);
  const tag = Math.random().toString(36).slice(2, 7);
  const creator = await freshCreatorLive(browser, `Lena ${tag}`);
  const viewerName = `Gio ${tag}`;
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, isMobile: false, hasTouch: false });
  const page = await context.newPage();
  await signUpFresh(page, { name: viewerName });
  let coins = await buyCoinsFor(page, creator.path);

  const send = async (gift: string, price: number) => {
    await page.getByRole("button", { name: `Send ${gift} for ${price} coins` }).click();
    coins -= BigInt(price);
    await expect(page.getByTestId("gift-balance")).toHaveText(`🪙 ${coins.toLocaleString("en-US")}`);
  };
  const chat = async (text: string) => {
    await page.getByLabel("Chat message").fill(text);
    await page.getByRole("button", { name: "Send", exact: true }).click();
  };

  // Before any gift: no badge on the viewer's message.
  await chat(`hello from ${tag}`);
  const firstLine = page.getByTestId("chat-line").filter({ hasText: `hello from ${tag}` });
  await expect(firstLine).toBeVisible();
  await expect(firstLine.getByTestId("gifter-badge")).toHaveCount(0);

  // The first coin is level 1: a notice in the chat and on the stage, on both pages.
  await send("Rose", 1);
  const notice = (p: typeof page, level: number) =>
    p
      .getByTestId("chat-level-up")
      .filter({ hasText: `${viewerName}` })
      .filter({ hasText: `reached gifter level ${level}` });
  await expect(notice(page, 1)).toBeVisible();
  await expect(notice(creator.page, 1)).toBeVisible();
  await expect(page.getByTestId("level-up")).toContainText(viewerName);

  // 1 + 5 + 5 = 11 coins: past the 9-coin threshold of level 7.
  await send("Finger Heart", 5);
  await send("Finger Heart", 5);
  await expect(notice(page, 7)).toBeVisible();
  await expect(notice(creator.page, 7)).toHaveCount(1);
  // The stage's level-up notice and the combos, badges and all, stay readable while they slide in.
  await expect(creator.page.getByTestId("level-up")).toContainText(viewerName);
  await expectTextNeverFades(creator.page);
  await chat(`level seven ${tag}`);
  await expect(
    page
      .getByTestId("chat-line")
      .filter({ hasText: `level seven ${tag}` })
      .getByTestId("gifter-badge"),
  ).toHaveText(LV7);
  const leader = page.getByTestId("leaderboard").getByRole("listitem").filter({ hasText: viewerName });
  await expect(leader.getByTestId("gifter-badge")).toHaveText(LV7);
  await expect(creator.page.getByTestId("leaderboard").getByRole("listitem").filter({ hasText: viewerName }).getByTestId("gifter-badge")).toHaveText(LV7);
  await expectAccessible(page);

  // After a reload: the same badges from the server, the notices still in the chat, each once.
  await page.reload();
  await expect(page.getByTestId("leaderboard").getByRole("listitem").filter({ hasText: viewerName }).getByTestId("gifter-badge")).toHaveText(LV7);
  await expect(notice(page, 7)).toHaveCount(1);
  await expect(
    page
      .getByTestId("chat-line")
      .filter({ hasText: `level seven ${tag}` })
      .getByTestId("gifter-badge"),
  ).toHaveText(LV7);

  // The wallet: level 7 of 50, the way to level 8, and the level-up.
  await page.goto("/wallet");
  const card = page.getByTestId("gifter-level");
  await expect(card.getByTestId("gifter-badge")).toHaveText(LV7);
  await expect(card).toContainText("11 coins sent in gifts");
  await expect(card.getByTestId("level-to-go")).toHaveText("2 more coins in gifts to reach level 8.");
  await expect(card.getByTestId("wallet-level-up")).toContainText(`You reached level 7 in Lena ${tag}’s LIVE`);
  await expectAccessible(page);
  await context.close();
  await creator.context.close();
});
