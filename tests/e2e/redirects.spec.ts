// Return paths after sign-in, tried in a real browser: a hostile link must not
// send a visitor to another site, however the browser reads it.
import { expect, test, type BrowserContext, type Page } from "@playwright/test";
import { signIn, VIEWER } from "./fixtures";

// Return paths a browser may read as another site: a tab or newline inside "//"
// is dropped by URL parsers, a backslash counts as a slash, dot segments collapse.
const HOSTILE_CALLBACKS = [
  "/%09/evil.example",
  "/%0A/evil.example",
  "/\\evil.example",
  "//evil.example",
  "/%2F%2Fevil.example",
  "/.//evil.example",
  "https://evil.example",
  "javascript:alert(1)",
];

/** Anything that would leave for evil.example is answered here, so a test sees where the browser went. */
async function trapEvilSite(context: BrowserContext) {
  await context.route(/^[a-z]+:\/\/evil\.example/, (route) => route.fulfill({ status: 200, contentType: "text/html", body: "<h1>evil</h1>" }));
}

function expectOnApp(page: Page, baseURL: string | undefined) {
  expect(new URL(page.url()).origin).toBe(new URL(baseURL!).origin);
}

test.describe("return paths after sign-in stay on this site", () => {
  for (const callback of HOSTILE_CALLBACKS) {
    test(`signing in with callbackUrl=${callback}`, async ({ page, context, baseURL }) => {
      await trapEvilSite(context);
      await signIn(page, VIEWER, `/sign-in?callbackUrl=${callback}`);
      await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
      expectOnApp(page, baseURL);
      await expect(page.getByRole("heading", { name: "evil" })).toHaveCount(0);

      // Signed in already, the sign-in page sends the visitor straight on.
      await page.goto(`/sign-in?callbackUrl=${callback}`);
      await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
      expectOnApp(page, baseURL);
    });
  }

  test("a same-site return path is still followed", async ({ page }) => {
    await signIn(page, VIEWER, `/sign-in?callbackUrl=${encodeURIComponent("/recharge?returnTo=/live")}`);
    await expect(page).toHaveURL(/\/recharge\?returnTo=%2Flive$|\/recharge\?returnTo=\/live$/);
  });
});
