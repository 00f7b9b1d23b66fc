// The Content-Security-Policy in a real browser: only the app's own scripts
// (carrying this response's nonce) run, no main page reports a violation, and
// HSTS is sent when the site is served over HTTPS.
import { expect, test, type Page } from "@playwright/test";
import { CREATOR, OPERATOR, signIn, VIEWER } from "./fixtures";

/** Collects CSP violations (reported by the page and on the console) from the first script on. */
async function watchViolations(page: Page): Promise<string[]> {
  const violations: string[] = [];
  await page.exposeFunction("__reportViolation", (text: string) => violations.push(text));
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) => {
      (window as unknown as { __reportViolation: (t: string) => void }).__reportViolation(
        `${event.violatedDirective} blocked ${event.blockedURI || "inline"} on ${location.pathname}`,
      );
    });
  });
  page.on("console", (message) => {
    if (message.type() === "error" && /Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  return violations;
}

/** React has hydrated the document: the app's scripts ran. */
async function expectHydrated(page: Page) {
  await expect.poll(() => page.evaluate(() => Object.keys(document).some((key) => key.startsWith("__reactContainer$")))).toBe(true);
}

test.describe("Content-Security-Policy", () => {
  test("scripts need this response's nonce: no 'unsafe-inline', every script carries it, a new one each response", async ({ page }) => {
    const response = await page.goto("/");
    const csp = response!.headers()["content-security-policy"]!;
    const scriptSrc = csp
      .split(";")
      .map((d) => d.trim())
      .find((d) => d.startsWith("script-src"))!;
    expect(scriptSrc).not.toContain("'unsafe-inline'");
    const nonce = /'nonce-([A-Za-z0-9+/=_-]+)'/.exec(scriptSrc)?.[1];
    expect(nonce, scriptSrc).toBeTruthy();
    // Every script of the page carries it (the browser hides the attribute's value from the DOM).
    const scripts = await page.locator("script").evaluateAll((els) => els.map((el) => (el as HTMLScriptElement).nonce));
    expect(scripts.length).toBeGreaterThan(0);
    expect(scripts.every((value) => value === nonce)).toBe(true);
    // Another response gets another nonce.
    const again = (await page.request.get("/")).headers()["content-security-policy"]!;
    expect(again).not.toContain(nonce);
    await expectHydrated(page);
  });

  test("a script injected into a page's HTML (as an XSS would) does not run, and the browser reports it", async ({ page }) => {
    const violations = await watchViolations(page);
    // The server's real answer, with the attacker's markup added and the server's headers kept.
    await page.route("**/sign-in", async (route) => {
      const response = await route.fetch();
      const html = (await response.text()).replace(
        "</body>",
        '<script>window.__injected = true</script><img src="x" onerror="window.__injected = true"></body>',
      );
      await route.fulfill({ response, body: html });
    });
    await page.goto("/sign-in");
    await expectHydrated(page);
    expect(await page.evaluate(() => (window as unknown as { __injected?: boolean }).__injected === true)).toBe(false);
    await expect.poll(() => violations.length).toBeGreaterThanOrEqual(2);
    expect(violations.join("\n")).toMatch(/script-src/);
  });

  test("the main pages run their scripts with no CSP violation", async ({ browser }) => {
    test.setTimeout(120_000);
    const pages: Array<{ account: { email: string; password: string } | null; paths: string[] }> = [
      { account: null, paths: ["/", "/sign-in", "/sign-up", "/live"] },
      { account: VIEWER, paths: ["/live", "/recharge", "/wallet"] },
      { account: CREATOR, paths: ["/creator", "/creator/earnings", "/creator/withdrawals"] },
      { account: OPERATOR, paths: ["/operator", "/operator/transfers", "/operator/withdrawals"] },
    ];
    for (const { account, paths } of pages) {
      const context = await browser.newContext();
      const page = await context.newPage();
      const violations = await watchViolations(page);
      if (account) {
        await signIn(page, account);
        await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
      }
      for (const path of paths) {
        await page.goto(path);
        await expectHydrated(page);
        if (path === "/live") {
          // The stream page: open the demo LIVE, whose stage and chat are scripts.
          await page.getByRole("link", { name: /Cleo Creator/ }).click();
          await expect(page.getByRole("region", { name: "Live stream" })).toBeVisible();
          await expectHydrated(page);
        }
      }
      expect(violations).toEqual([]);
      await context.close();
    }
  });

  test("JSON routes (the gift route among them) skip the page proxy: a fixed policy, no nonce", async ({ request }) => {
    for (const path of ["/api/ping", "/api/streams/00000000-0000-4000-8000-000000000000/gifts"]) {
      const response = path.endsWith("gifts") ? await request.post(path, { data: {} }) : await request.get(path);
      const headers = response.headers();
      expect(headers["content-security-policy"], path).toBe("default-src 'none'; frame-ancestors 'none'");
      expect(headers["x-content-type-options"], path).toBe("nosniff");
    }
  });

  test("HSTS is sent only when the site is served over HTTPS", async ({ request }) => {
    expect((await request.get("/")).headers()["strict-transport-security"]).toBeUndefined();
    const secure = await request.get("/", { headers: { "x-forwarded-proto": "https" } });
    expect(secure.headers()["strict-transport-security"]).toMatch(/max-age=\d{7,}/);
    // The other headers stay.
    const headers = secure.headers();
    expect(headers["x-frame-options"]).toBe("DENY");
    expect(headers["x-content-type-options"]).toBe("nosniff");
    expect(headers["permissions-policy"]).toContain("camera=()");
  });
});
