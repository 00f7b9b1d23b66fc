import { expect, test } from "@playwright/test";
import { expectAccessible, signUpFresh } from "./fixtures";

test("a viewer opts out of appearing by name on leaderboards, and back in", async ({ page }) => {
  await signUpFresh(page, { name: "Quiet Quinn" });
  const toggle = page.getByLabel("Appear as “Anonymous supporter” on leaderboards");
  await expect(toggle).not.toBeChecked();
  await toggle.check();
  await page.getByRole("button", { name: "Save privacy choice" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Anonymous supporter" })).toBeVisible();
  await page.reload();
  await expect(page.getByLabel("Appear as “Anonymous supporter” on leaderboards")).toBeChecked();
  await expectAccessible(page);

  await page.getByLabel("Appear as “Anonymous supporter” on leaderboards").uncheck();
  await page.getByRole("button", { name: "Save privacy choice" }).click();
  await expect(page.getByRole("status").filter({ hasText: "your display name" })).toBeVisible();
  await page.reload();
  await expect(page.getByLabel("Appear as “Anonymous supporter” on leaderboards")).not.toBeChecked();
});

test("the stream page ranks gifters for this LIVE, this week and all time, in keyboard-operable tabs", async ({ page }) => {
  await page.goto("/live");
  await page.getByRole("link", { name: /Cleo Creator/ }).click();
  const tabs = page.getByRole("tablist", { name: "Top gifters of Cleo Creator" });
  await expect(tabs.getByRole("tab", { name: "This LIVE" })).toHaveAttribute("aria-selected", "true");
  await tabs.getByRole("tab", { name: "This LIVE" }).focus();
  await page.keyboard.press("ArrowRight");
  await expect(tabs.getByRole("tab", { name: "This week" })).toBeFocused();
  await expect(tabs.getByRole("tab", { name: "This week" })).toHaveAttribute("aria-selected", "true");
  await expect(page.getByRole("tabpanel", { name: "This week" })).toBeVisible();
  await page.keyboard.press("End");
  await expect(tabs.getByRole("tab", { name: "All time" })).toHaveAttribute("aria-selected", "true");
  await expect(page.getByRole("tabpanel", { name: "All time" })).toBeVisible();
  await page.keyboard.press("ArrowRight"); // wraps around
  await expect(tabs.getByRole("tab", { name: "This LIVE" })).toHaveAttribute("aria-selected", "true");
  await expect(page.getByRole("link", { name: "Appear as anonymous" })).toHaveAttribute("href", "/wallet#rankings");
  await expectAccessible(page);
});
