// A purchase refunded by an operator after part of it was gifted: the operator
// sees what the refund did, the viewer sees the refund and the debt, and gifts
// are refused with the reason until a recharge covers it.
import { expect, test } from "@playwright/test";
import { expectAccessible, OPERATOR, openGiftPanel, payWithCard, signIn, signUpFresh } from "./fixtures";

test("an operator refunds a partly spent purchase; the viewer owes the spent coins and cannot gift", async ({ page, browser }) => {
  const email = await signUpFresh(page, { name: "Refund Rory" });
  await page.goto("/recharge");
  await page.getByRole("radio", { name: /^70 coins for/ }).check({ force: true });
  await page.getByRole("button", { name: "Continue to payment" }).click();
  await payWithCard(page, "4242 4242 4242 4242");
  await expect(page).toHaveURL(/\/wallet\/receipts\/pi_/);
  const balance = Number((await page.getByTestId("nav-balance").innerText()).replace(/,/g, ""));
  expect(balance).toBeGreaterThanOrEqual(70);

  // Gift part of it to the demo creator: two Roses (1 coin each).
  await page.goto("/live");
  await page.getByRole("link", { name: /Cleo Creator/ }).click();
  await openGiftPanel(page);
  await page.getByRole("button", { name: "Send Rose for 1 coins" }).click();
  await expect(page.getByTestId("nav-balance")).toHaveText(String(balance - 1));
  await page.getByRole("button", { name: "Send Rose for 1 coins" }).click();
  await expect(page.getByTestId("nav-balance")).toHaveText(String(balance - 2));

  // The operator finds the purchase by email and refunds it.
  const context = await browser.newContext();
  const operator = await context.newPage();
  await signIn(operator, OPERATOR, "/sign-in?callbackUrl=%2Foperator%2Fpurchases");
  await expect(operator.getByRole("heading", { name: "Purchases" })).toBeVisible();
  await expectAccessible(operator);
  await operator.getByLabel("Buyer's email").fill(email);
  await operator.getByRole("button", { name: "Filter" }).click();
  await expect(operator.getByTestId("purchase")).toHaveCount(1);
  await expect(operator.getByTestId("purchase")).toContainText("paid");
  await operator.getByRole("button", { name: /^Refund .*purchase$/ }).click();
  await operator.getByRole("radio", { name: "Another reason" }).check();
  await operator.getByLabel(/Reason \(at least 10 characters\)/).fill("Bank says");
  await operator.getByRole("button", { name: "Confirm refund" }).click();
  await expect(operator.getByText("Describe the reason in at least 10 characters.")).toBeVisible();
  await operator.getByLabel(/Reason \(at least 10 characters\)/).fill("Bank reported the card as stolen");
  await expectAccessible(operator);
  await operator.getByRole("button", { name: "Confirm refund" }).click();
  const outcome = operator.getByTestId("refund-outcome");
  await expect(outcome).toContainText(`Coins removed from the wallet: ${(balance - 2).toLocaleString("en-US")}`);
  await expect(outcome).toContainText("Coins the viewer now owes: 2");
  await expect(outcome).toContainText("Diamonds clawed back from Cleo Creator: 💎 1");
  await expect(outcome).toContainText("Money returned: $0.74");
  await operator.reload();
  await expect(operator.getByTestId("purchase")).toContainText("refunded");
  await expectAccessible(operator);
  await context.close();

  // The viewer sees the refund and the debt, and a gift is refused with the reason.
  await page.goto("/wallet");
  await expect(page.getByTestId("wallet-balance")).toHaveText("0");
  await expect(page.getByTestId("coin-debt")).toContainText("Your account owes 2 coins from a refunded purchase");
  await expect(page.getByRole("cell", { name: "Refund of a purchase" })).toBeVisible();
  await page.goto("/live");
  await page.getByRole("link", { name: /Cleo Creator/ }).click();
  await openGiftPanel(page);
  await page.getByRole("button", { name: "Send Rose for 1 coins" }).click();
  await expect(page.getByText("Your account owes 2 coins from a refunded purchase; recharge to cover it.")).toBeVisible();
});
