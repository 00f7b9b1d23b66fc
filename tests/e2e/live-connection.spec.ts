// The stream page's live connection: it comes back by itself after the server
// drops it or refuses it, resuming after the last event it saw, and says so
// meanwhile; a stream that is gone stops it.
import { expect, test, type Page } from "@playwright/test";

const EVENTS = "**/api/streams/*/events?*";

async function openDemoStream(page: Page) {
  await page.goto("/live");
  await page.getByRole("link", { name: /Cleo Creator/ }).click();
  await expect(page.getByRole("heading", { name: "Cleo Creator" })).toBeVisible();
}

test("after a dropped connection and refusals the page shows Reconnecting…, then resumes after the last event id", async ({ page }) => {
  const requested: string[] = [];
  let answer = 0;
  await page.route(EVENTS, async (route) => {
    requested.push(route.request().url());
    answer++;
    if (answer === 1) {
      // One chat event, then the server closes the stream.
      const event = {
        id: "900000001",
        streamId: "s",
        kind: "chat",
        userId: null,
        userName: "Test Tess",
        giftId: null,
        coins: null,
        diamonds: null,
        body: "still here?",
        at: new Date().toISOString(),
      };
      await route.fulfill({
        status: 200,
        headers: { "Content-Type": "text/event-stream" },
        body: `id: ${event.id}\nevent: chat\ndata: ${JSON.stringify(event)}\n\n`,
      });
    } else if (answer <= 3) {
      await route.fulfill({ status: 503, body: "busy" });
    } else {
      await route.continue();
    }
  });
  await openDemoStream(page);
  await expect(page.getByRole("log", { name: "Chat" })).toContainText("still here?");
  await expect(page.getByRole("status").filter({ hasText: "Reconnecting…" })).toBeVisible();
  await expect(page.getByRole("status").filter({ hasText: "Reconnecting…" })).toBeHidden({ timeout: 20_000 });
  await expect(page.getByTestId("viewer-count")).not.toHaveText("👁 0");
  // The dropped stream, two refusals and the connection that went through, at least; every retry
  // resumed after the one event seen (the probe of a refusal asks the same URL).
  expect(requested.length).toBeGreaterThanOrEqual(4);
  const resumedAfter = requested.slice(1).map((url) => new URL(url).searchParams.get("after"));
  expect(resumedAfter).toEqual(resumedAfter.map(() => "900000001"));
});

test("a stream that is gone (404) stops reconnecting and says so", async ({ page }) => {
  await page.route(EVENTS, (route) => route.fulfill({ status: 404, contentType: "application/json", body: '{"error":"This stream does not exist."}' }));
  await openDemoStream(page);
  await expect(page.getByRole("status").filter({ hasText: "This stream is no longer available." })).toBeVisible();
});
