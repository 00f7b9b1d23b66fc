import AxeBuilder from "@axe-core/playwright";
import { expect, type Page } from "@playwright/test";

export const VIEWER = { email: "viewer@demo.coin", password: "viewer-demo-2026", name: "Vera Viewer" };
export const CREATOR = { email: "creator@demo.coin", password: "creator-demo-2026", name: "Cleo Creator" };
export const OPERATOR = { email: "operator@demo.coin", password: "operator-demo-2026", name: "Omar Operator" };

export async function signIn(page: Page, account: { email: string; password: string }, path = "/sign-in") {
  await page.goto(path);
  await page.getByLabel("Email").fill(account.email);
  await page.getByLabel("Password", { exact: true }).fill(account.password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

export function uniqueEmail(prefix = "user"): string {
  return `${prefix}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.test`;
}

/** Fails on serious or critical accessibility violations. */
export async function expectAccessible(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(serious.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`)).toEqual([]);
}

/** Signs up a brand-new account through the UI (lands on the wallet). */
export async function signUpFresh(page: Page, { birthDate = "1990-01-01", name = "Fresh Buyer" } = {}) {
  const email = uniqueEmail("buyer");
  await page.goto("/sign-up");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Display name").fill(name);
  await page.getByLabel("Password", { exact: true }).fill("correct-horse-42");
  await page.getByLabel("Date of birth").fill(birthDate);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/wallet$/);
  return email;
}

export async function payWithCard(page: Page, number: string) {
  await page.getByLabel("Card number").fill(number);
  await page.getByLabel("Expiry (MM/YY)").fill("12/34");
  await page.getByLabel("Security code").fill("123");
  await page.getByLabel("Name on card").fill("Test Buyer");
  await page.getByRole("button", { name: /^Pay / }).click();
}

/**
 * On a phone the gift panel is a bottom sheet opened from the stage's Gift
 * button; from lg up it is always shown. Opens it when it is a closed sheet.
 */
export async function openGiftPanel(page: Page) {
  await expect(page.getByRole("region", { name: "Live stream" })).toBeVisible();
  const toggle = page.getByRole("button", { name: "Gift", exact: true });
  if (!(await toggle.isVisible())) return;
  await expect(async () => {
    if ((await toggle.getAttribute("aria-expanded")) !== "true") await toggle.click();
    await expect(page.getByRole("region", { name: "Send a gift" })).toBeVisible({ timeout: 1_000 });
  }).toPass();
}
