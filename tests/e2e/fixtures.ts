import AxeBuilder from "@axe-core/playwright";
import { expect, type Browser, type Page } from "@playwright/test";

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

/**
 * Text on the page never fades in or out: a name or badge that is part
 * transparent while it animates is unreadable then (and fails contrast), so
 * anything carrying text may only move or grow; only bare art may fade. Checks
 * every animation running or held on the page, and that there is one.
 */
export async function expectTextNeverFades(page: Page) {
  const animations = await page.evaluate(() =>
    document.getAnimations().map((animation) => {
      const effect = animation.effect as KeyframeEffect | null;
      const target = effect?.target ?? null;
      return {
        name: "animationName" in animation ? String(animation.animationName) : "transition",
        text: target?.textContent?.trim() ?? "",
        fades: (effect?.getKeyframes() ?? []).some((frame) => "opacity" in frame),
      };
    }),
  );
  expect(animations.length, "animations on the page").toBeGreaterThan(0);
  expect(animations.filter((a) => a.text !== "" && a.fades).map((a) => `${a.name}: ${a.text}`)).toEqual([]);
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

/** A brand-new creator, in a context of their own, live on their stream page. */
export async function freshCreatorLive(browser: Browser, name: string) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signUpFresh(page, { name });
  await page.goto("/become-creator");
  await page.getByRole("button", { name: "Turn on creator tools" }).click();
  await expect(page).toHaveURL(/\/creator$/);
  await expect(page.getByTestId("match-history-empty")).toBeVisible();
  await page.getByLabel("Title").fill(`${name} takes on all comers`);
  await page.getByRole("button", { name: "Go LIVE" }).click();
  await expect(page).toHaveURL(/\/live\/[0-9a-f-]{36}$/);
  await expect(page.getByRole("heading", { name: "LIVE Match" })).toBeVisible();
  return { context, page, path: new URL(page.url()).pathname };
}

/** Buys coins with the test card from a stream page's recharge link and comes back to it; returns the balance shown. */
export async function buyCoinsFor(page: Page, streamPath: string, packageName = /^350 coins/): Promise<bigint> {
  await page.goto(`/recharge?returnTo=${encodeURIComponent(streamPath)}`);
  await page.getByRole("radio", { name: packageName }).check({ force: true });
  await page.getByRole("button", { name: "Continue to payment" }).click();
  await payWithCard(page, "4242 4242 4242 4242");
  await expect(page).toHaveURL(/\/live\/[0-9a-f-]{36}\?paid=pi_/);
  return BigInt((await page.getByTestId("gift-balance").innerText()).replace(/[^0-9]/g, ""));
}

/**
 * Drops a treasure box from a stream page's treasure panel and waits for the
 * confirmation; with `checkForm`, the open drop form is checked for
 * accessibility first. Returns the panel.
 */
export async function dropTreasureBox(page: Page, box: { coins: string; winners: string; countdown: string }, { checkForm = false } = {}) {
  const panel = page.getByTestId("treasure-panel");
  await panel.getByRole("button", { name: "Drop a treasure box" }).click();
  await panel.getByLabel("Coins in the box").fill(box.coins);
  await panel.getByLabel("Winners").fill(box.winners);
  await panel.getByLabel("Countdown").selectOption({ label: box.countdown });
  if (checkForm) await expectAccessible(page);
  await panel.getByRole("button", { name: "Drop the box" }).click();
  await expect(panel.getByText("Your treasure box is in the LIVE!")).toBeVisible();
  return panel;
}
