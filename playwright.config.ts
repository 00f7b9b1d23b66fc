import { existsSync } from "node:fs";
import { defineConfig, devices } from "@playwright/test";
import { withDatabase } from "./lib/db/migrate";

const PORT = Number(process.env.E2E_PORT ?? 3100);

function chromiumPath(): string {
  const candidates = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];
  const found = candidates.find((path) => path && existsSync(path));
  if (!found) {
    throw new Error(
      "No Chromium found for the browser tests. Install one (Debian/Ubuntu: `apt-get install -y chromium`) " +
        "or point CHROMIUM_PATH at a Chrome/Chromium binary.",
    );
  }
  return found;
}

// The browser tests get a database of their own, recreated on every run.
const databaseEnv: Record<string, string> = process.env.DATABASE_URL
  ? { DATABASE_URL: withDatabase(process.env.DATABASE_URL, "coin_economy_e2e") }
  : { EMBEDDED_CLUSTER: "e2e-postgres", EMBEDDED_DATABASE: "coin_economy_e2e" };

export default defineConfig({
  testDir: "tests/e2e",
  fullyParallel: true,
  workers: process.env.CI ? 2 : undefined,
  retries: 0,
  forbidOnly: Boolean(process.env.CI),
  reporter: [["list"]],
  timeout: 60_000,
  expect: { timeout: 10_000 },
  use: {
    baseURL: `http://localhost:${PORT}`,
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: chromiumPath(),
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
    },
  },
  projects: [
    // Tests tagged @single-creator assert the demo creator's exact earnings, so they
    // run in the phone project only (the projects run in parallel against one database).
    { name: "phone", use: { ...devices["Pixel 7"] } },
    { name: "desktop", use: { ...devices["Desktop Chrome"] }, grepInvert: /@single-creator/ },
  ],
  webServer: {
    command: "npx tsx scripts/start.ts --fresh",
    url: `http://localhost:${PORT}/`,
    timeout: 240_000,
    reuseExistingServer: false,
    // No simulated audience: the tests assert exact totals on the demo LIVE.
    // Every browser of every worker connects from localhost: one address, so the
    // per-address cap on live connections (8 in production) is lifted.
    env: { ...databaseEnv, PORT: String(PORT), DEMO_MODE: "on", SIM_AUDIENCE: "off", LIVE_SSE_CONNECTIONS_PER_CLIENT: "200" },
    stdout: "pipe",
  },
});
