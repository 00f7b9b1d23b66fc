import { expect, test } from "@playwright/test";
import { expectAccessible, OPERATOR, signIn, uniqueEmail, VIEWER } from "./fixtures";

test("a new visitor signs up and is signed in", async ({ page }) => {
  const email = uniqueEmail("signup");
  await page.goto("/sign-up");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Display name").fill("Nina New");
  await page.getByLabel("Password", { exact: true }).fill("correct-horse-42");
  await page.getByLabel("Date of birth").fill("1999-02-03");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/wallet$/);
  await expect(page.getByTestId("wallet-balance")).toHaveText("0");
  await expect(page.getByTestId("nav-balance")).toHaveText("0");
  await expect(page.getByText("No coin movements yet")).toBeVisible();
  await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
});

test("a demo viewer signs in, sees their coins, and signs out", async ({ page }) => {
  await signIn(page, VIEWER);
  await expect(page).toHaveURL(/\/wallet$/);
  await expect(page.getByTestId("wallet-balance")).toHaveText("5,000");
  await expect(page.getByText("Demo starting coins")).toBeVisible();
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole("link", { name: "Sign in", exact: true })).toBeVisible();
  await page.goto("/wallet");
  await expect(page).toHaveURL(/\/sign-in\?callbackUrl=%2Fwallet/);
});

test("sign-up validation errors are shown next to each field and create nothing", async ({ page }) => {
  await page.goto("/sign-up");
  await page.getByLabel("Email").fill("not-an-email");
  await page.getByLabel("Display name").fill("X");
  await page.getByLabel("Password", { exact: true }).fill("short");
  const future = new Date(Date.now() + 86_400_000 * 3).toISOString().slice(0, 10);
  await page.getByLabel("Date of birth").fill(future);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByText("Enter a valid email address")).toBeVisible();
  await expect(page.getByText("A display name has at least 2 characters.")).toBeVisible();
  await expect(page.getByText("Use at least 10 characters.")).toBeVisible();
  await expect(page.getByText("Your date of birth cannot be in the future.")).toBeVisible();
  await expect(page.getByLabel("Email")).toHaveAttribute("aria-invalid", "true");
  await expect(page).toHaveURL(/\/sign-up/);

  // A taken email is refused with a clear message.
  await page.getByLabel("Email").fill(VIEWER.email);
  await page.getByLabel("Display name").fill("Someone Else");
  await page.getByLabel("Password", { exact: true }).fill("another-pass-99");
  await page.getByLabel("Date of birth").fill("1990-01-01");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByText("An account with this email already exists.").first()).toBeVisible();
  // Oversized input is cut by the form and refused by the server.
  await expect(page.getByLabel("Display name")).toHaveAttribute("maxlength", "40");
});

test("a protected page sends the visitor to sign in and back", async ({ page }) => {
  await page.goto("/wallet");
  await expect(page).toHaveURL(/\/sign-in\?callbackUrl=%2Fwallet/);
  await page.getByLabel("Email").fill(VIEWER.email);
  await page.getByLabel("Password", { exact: true }).fill(VIEWER.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/wallet$/);
});

test("wrong passwords do not reveal whether the email exists, and repeated failures are slowed down", async ({ page }) => {
  // An account of this test's own, so the lockout does not touch other tests.
  const email = uniqueEmail("lockout");
  await page.goto("/sign-up");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Display name").fill("Lou Lockout");
  await page.getByLabel("Password", { exact: true }).fill("right-password-7");
  await page.getByLabel("Date of birth").fill("1990-05-05");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/wallet$/);
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/$/);

  await signIn(page, { email: uniqueEmail("nobody"), password: "whatever-123" });
  await expect(page.getByText("That email and password do not match an account.")).toBeVisible();
  await signIn(page, { email, password: "wrong-password-1" });
  await expect(page.getByText("That email and password do not match an account.")).toBeVisible();
  for (let i = 0; i < 4; i++) {
    await page.getByLabel("Password", { exact: true }).fill(`wrong-${i}-password`);
    await page.getByRole("button", { name: "Sign in" }).click();
    // The answer re-mounts the fields: the password is cleared, the email kept.
    await expect(page.getByLabel("Password", { exact: true })).toHaveValue("");
    await expect(page.getByRole("status")).toContainText("do not match");
  }
  await page.getByLabel("Password", { exact: true }).fill("still-wrong-1");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByText(/Too many failed attempts/)).toBeVisible();
  await expect(page.getByLabel("Email")).toHaveValue(email);
  // Even the right password is refused until the window passes.
  await page.getByLabel("Password", { exact: true }).fill("right-password-7");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByText(/Too many failed attempts/)).toBeVisible();
  await expect(page).toHaveURL(/\/sign-in/);
});

test("roles: a viewer cannot open the economy console; an operator sees a reconciled trial balance", async ({ browser }) => {
  const viewer = await browser.newContext();
  const viewerPage = await viewer.newPage();
  await signIn(viewerPage, VIEWER, "/sign-in?callbackUrl=%2Foperator");
  await expect(viewerPage).toHaveURL(/\/forbidden$/);
  await expect(viewerPage.getByRole("heading", { name: "This page is not for your account" })).toBeVisible();
  await viewer.close();

  const operator = await browser.newContext();
  const page = await operator.newPage();
  await signIn(page, OPERATOR, "/sign-in?callbackUrl=%2Foperator");
  await expect(page).toHaveURL(/\/operator$/);
  await page.getByRole("button", { name: "Run reconciliation again" }).click();
  await expect(page.getByRole("heading", { name: /Reconciliation: balanced, zero drift/ })).toBeVisible();
  await expect(page.getByText(/^Reconciled: [\d,]+ transfers, zero drift\.$/)).toBeVisible();
  await expect(page.getByText(/Last run .* by Omar Operator/)).toBeVisible();
  await expect(page.getByRole("cell", { name: "viewer coins" })).toBeVisible();
  await operator.close();
});

test("pages meet WCAG AA (axe: no serious or critical violations)", async ({ page }) => {
  for (const path of ["/", "/sign-in", "/sign-up"]) {
    await page.goto(path);
    await expectAccessible(page);
  }
  await page.goto("/sign-up");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByText("Check the highlighted fields.")).toBeVisible();
  await expectAccessible(page);
  await signIn(page, VIEWER);
  await expect(page).toHaveURL(/\/wallet$/);
  await expectAccessible(page);
});

test("security headers are sent", async ({ request }) => {
  const response = await request.get("/");
  const headers = response.headers();
  expect(headers["content-security-policy"]).toContain("frame-ancestors 'none'");
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
  expect(headers["x-powered-by"]).toBeUndefined();
});
