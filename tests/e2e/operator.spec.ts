import { expect, test } from "@playwright/test";
import { expectAccessible, OPERATOR, payWithCard, signIn, signUpFresh } from "./fixtures";

test("the operator's overview shows money in, what is owed and kept in each asset's unit, reconciles, and leads to the transfers behind a figure", async ({
  browser,
}, testInfo) => {
  // A fresh buyer's purchases, to find behind the figures: one on the web in dollars, and one on
  // a store in pounds (a channel and currency no other test buys in, one per project as the
  // projects share a server), whose line in "Money in" must then be exactly that purchase.
  const buyerContext = await browser.newContext();
  const buyer = await buyerContext.newPage();
  const email = await signUpFresh(buyer);
  await buyer.goto("/recharge");
  await buyer.getByRole("radio", { name: /350 coins for \$3\.64/ }).check({ force: true });
  await buyer.getByRole("button", { name: "Continue to payment" }).click();
  await payWithCard(buyer, "4242 4242 4242 4242");
  await expect(buyer.getByText("385 coins were added to your wallet.")).toBeVisible();
  const store =
    testInfo.project.name === "desktop"
      ? { platform: "ios", label: "iOS (App Store)", percent: 30n }
      : { platform: "android", label: "Android (Google Play)", percent: 15n };
  await buyer.goto("/recharge");
  await buyer.getByLabel("Buy on").selectOption(store.platform);
  await buyer.getByLabel("Currency").selectOption("GBP");
  const radio = buyer.getByRole("radio", { name: /^350 coins for £\d+\.\d\d/ });
  const price = (await radio.getAttribute("aria-label"))!;
  const pence = BigInt(/£(\d+)\.(\d\d)/.exec(price)!.slice(1).join(""));
  await radio.check({ force: true });
  await buyer.getByRole("button", { name: "Continue to payment" }).click();
  await payWithCard(buyer, "4242 4242 4242 4242");
  await expect(buyer.getByText("350 coins were added to your wallet.")).toBeVisible();
  await buyerContext.close();
  const gbp = (p: bigint) => `£${p / 100n}.${String(p % 100n).padStart(2, "0")}`;
  const commission = (pence * store.percent * 2n + 100n) / 200n; // half up

  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, OPERATOR, "/sign-in?callbackUrl=%2Foperator");
  await expect(page).toHaveURL(/\/operator$/);
  await expect(page.getByRole("navigation", { name: "Economy console" }).getByRole("link", { name: "Overview" })).toHaveAttribute("aria-current", "page");
  const moneyIn = page.getByRole("region", { name: /^Money in: the last 14 days$/ });
  await expect(moneyIn.getByRole("cell", { name: "Web" }).first()).toBeVisible();
  await expect(moneyIn.getByText(/^\$[\d,]+\.\d\d$/).first()).toBeVisible();
  const line = moneyIn.getByRole("row").filter({ hasText: store.label }).filter({ hasText: "GBP" });
  await expect(line.getByRole("cell")).toHaveText([store.label, "GBP", "1", "350", gbp(pence), gbp(commission), gbp(pence - commission)]);
  const owes = page.getByRole("region", { name: "What the platform owes" });
  await expect(owes.getByText(/^[\d,]+ coins$/).first()).toBeVisible();
  await expect(owes.getByText("Owed to the platform")).toBeVisible();
  await expect(owes.getByText(/^[\d,.]+ diamonds$/)).toBeVisible();
  const kept = page.getByRole("region", { name: /^What it kept/ });
  await expect(kept.getByText("Margin")).toBeVisible();
  await expect(kept.getByText(/of revenue: revenue − store commission − cash paid to creators$/)).toBeVisible();
  // The charts' figures open as a table by keyboard.
  const summary = moneyIn.getByText("Show the figures");
  await summary.focus();
  await page.keyboard.press("Enter");
  await expect(moneyIn.getByRole("table", { name: /Paid by buyers \(USD\), by day/ })).toBeVisible();
  // Raw minor units only when asked for.
  await expect(page.getByRole("cell", { name: /^[\d,]+ coins$/ }).first()).toBeVisible();
  await page.getByRole("link", { name: "Show minor units" }).click();
  await expect(page.getByRole("cell", { name: /^-?\d+ \(minor units\)$/ }).first()).toBeVisible();
  await page.getByRole("link", { name: "Show formatted amounts" }).click();

  await page.getByRole("button", { name: "Run reconciliation again" }).click();
  await expect(page.getByText(/^Reconciled: [\d,]+ transfers, zero drift\.$/)).toBeVisible();
  await expect(page.getByTestId("reconciliation").getByRole("heading")).toHaveText("Reconciliation: balanced, zero drift");
  await expectAccessible(page);

  // A figure leads to the transfers behind it; the filter narrows to the buyer.
  await kept.getByRole("link").filter({ hasText: /^\$/ }).first().click();
  await expect(page).toHaveURL(/\/operator\/transfers\?kind=RECHARGE$/);
  await expect(page.getByLabel("Kind")).toHaveValue("RECHARGE");
  await page.getByLabel("User (email)").fill(email);
  await page.getByRole("button", { name: "Show transfers" }).click();
  const transfers = page.getByTestId("transfers").getByRole("listitem");
  await expect(transfers).toHaveCount(2); // newest first: the purchase in pounds, then the one in dollars
  await expect(transfers.first().getByRole("cell", { name: `+${gbp(pence)}` })).toBeVisible();
  await expect(transfers.nth(1)).toContainText("Recharges: Recharge 350 coins");
  await expect(transfers.nth(1).getByRole("cell", { name: "+350 coins" })).toBeVisible();
  await expect(transfers.nth(1).getByRole("cell", { name: "+$3.64" })).toBeVisible();
  await expectAccessible(page);

  // A filter that makes no sense is a message, not an error page.
  await page.goto("/operator/transfers?kind=THEFT");
  await expect(page.getByRole("main").getByRole("alert")).toHaveText(/^The kind is one of RECHARGE/);
  await page.goto("/operator/transfers?user=nobody%40example.test");
  await expect(page.getByRole("main").getByRole("alert")).toHaveText("No account has that email.");
  await context.close();
});
