import { expect, test } from "@playwright/test";
import { expectAccessible, payWithCard, signIn, signUpFresh } from "./fixtures";

test("buy a package with the success card: receipt, balance and history", async ({ page }) => {
  await signUpFresh(page);
  await page.getByRole("link", { name: "Recharge" }).first().click();
  await expect(page.getByRole("heading", { name: "Recharge coins" })).toBeVisible();
  await expect(page.getByText("First recharge bonus")).toBeVisible();
  await expect(page.getByText("Coins cannot be refunded")).toBeVisible();
  await page.getByRole("radio", { name: /350 coins for \$3\.64/ }).check({ force: true });
  await expectAccessible(page);
  await page.getByRole("button", { name: "Continue to payment" }).click();
  await expect(page).toHaveURL(/\/recharge\/checkout\/pi_/);
  await expect(page.getByTestId("order-total")).toHaveText("$3.64");
  await expect(page.getByText("First recharge bonus")).toBeVisible();
  await expectAccessible(page);
  await payWithCard(page, "4242 4242 4242 4242");
  await expect(page).toHaveURL(/\/wallet\/receipts\/pi_/);
  await expect(page.getByText("385 coins were added to your wallet.")).toBeVisible();
  await expect(page.getByTestId("receipt-amount-paid")).toHaveText("$3.64");
  await expect(page.getByTestId("receipt-payment-method")).toHaveText("Visa •••• 4242");
  await expect(page.getByTestId("receipt-ledger-transfer")).toHaveText(/^#\d+$/);
  await expect(page.getByTestId("nav-balance")).toHaveText("385");
  await page.getByRole("link", { name: "Back to your wallet" }).click();
  await expect(page.getByTestId("wallet-balance")).toHaveText("385");
  await expect(page.getByRole("link", { name: "Receipt" })).toHaveCount(1);
  const csv = await page.request.get("/wallet/export");
  expect(csv.headers()["content-type"]).toContain("text/csv");
  expect(await csv.text()).toContain('"purchase"');
});

test("prices differ by platform and currency, and say why", async ({ page }) => {
  await signIn(page, { email: "viewer@demo.coin", password: "viewer-demo-2026" }, "/sign-in?callbackUrl=%2Frecharge");
  await expect(page.getByRole("radio", { name: /^70 coins for \$0\.74/ })).toBeAttached();
  await page.getByLabel("Buy on").selectOption("ios");
  await expect(page.getByRole("radio", { name: /^70 coins for \$0\.99/ })).toBeAttached();
  await expect(page.getByTestId("platform-reason")).toContainText("App Store commission");
  await page.getByLabel("Currency").selectOption("JPY");
  await expect(page.getByRole("radio", { name: /^70 coins for ¥/ })).toBeAttached();
});

test("the declined card shows the decline and changes nothing", async ({ page }) => {
  await signUpFresh(page);
  await page.goto("/recharge");
  await page.getByRole("button", { name: "Continue to payment" }).click();
  await payWithCard(page, "4000 0000 0000 0002");
  await expect(page.getByTestId("checkout-outcome")).toHaveText("Your card was declined. Try another card or payment method.");
  await expect(page.getByTestId("nav-balance")).toHaveText("0");
  await expectAccessible(page);
});

test("invalid card details get specific messages", async ({ page }) => {
  await signUpFresh(page);
  await page.goto("/recharge");
  await page.getByRole("button", { name: "Continue to payment" }).click();
  await page.getByLabel("Card number").fill("4242 4242 4242 4241");
  await page.getByLabel("Expiry (MM/YY)").fill("01/20");
  await page.getByRole("button", { name: /^Pay / }).click();
  await expect(page.getByText("This card number is not valid (check the digits).")).toBeVisible();
  await expect(page.getByText("This card has expired.")).toBeVisible();
  await expect(page.getByLabel("Card number")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByTestId("nav-balance")).toHaveText("0");
});

test("the 3-D Secure card asks for confirmation; cancelling it charges nothing", async ({ page }) => {
  await signUpFresh(page);
  await page.goto("/recharge");
  await page.getByRole("button", { name: "Continue to payment" }).click();
  await payWithCard(page, "4000 0000 0000 3220");
  await expect(page.getByRole("heading", { name: /Confirm the payment of \$3\.64/ })).toBeVisible();
  await expectAccessible(page);
  await page.getByRole("button", { name: "Cancel" }).click();
  await expect(page.getByTestId("checkout-outcome")).toContainText("You were not charged");
  await expect(page.getByTestId("nav-balance")).toHaveText("0");
  await page.goto("/wallet");
  await expect(page.getByText("Canceled")).toBeVisible();
  await expect(page.getByTestId("wallet-balance")).toHaveText("0");
});

test("the 3-D Secure card credits once confirmed", async ({ page }) => {
  await signUpFresh(page);
  await page.goto("/recharge");
  await page.getByRole("radio", { name: /^70 coins/ }).check({ force: true });
  await page.getByRole("button", { name: "Continue to payment" }).click();
  await payWithCard(page, "4000 0000 0000 3220");
  await page.getByRole("button", { name: "Confirm payment" }).click();
  await expect(page).toHaveURL(/\/wallet\/receipts\/pi_/);
  await expect(page.getByTestId("nav-balance")).toHaveText("77");
});

test("an under-18 account is refused with the reason", async ({ page }) => {
  await signIn(page, { email: "teen@demo.coin", password: "teen-demo-2026" }, "/sign-in?callbackUrl=%2Frecharge");
  await expect(page).toHaveURL(/\/recharge$/);
  await expect(page.getByText("You must be 18 or older to buy coins. Your account can still watch live streams.")).toBeVisible();
  await expect(page.getByRole("button", { name: "Continue to payment" })).toHaveCount(0);
});

test("a recharge past the monthly budget is refused with a clear message", async ({ page }) => {
  await signUpFresh(page);
  await page.getByLabel("Monthly budget (coins)").fill("300");
  await page.getByRole("button", { name: "Save budget" }).click();
  await expect(page.getByText("Monthly budget saved.")).toBeVisible();
  await page.goto("/recharge");
  await page.getByRole("button", { name: "Continue to payment" }).click();
  await expect(page.getByRole("status")).toContainText("exceed your monthly budget of 300 coins");
  await expect(page).toHaveURL(/\/recharge$/);
});
