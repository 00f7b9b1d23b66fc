import { existsSync } from "node:fs";
import { defineConfig, devices } from "@playwright/test";
import { withDatabase } from "./lib/db/migrate";
import { DEMO_CLUSTER, DEMO_DATABASE } from "./tests/e2e/demo-db";

const PORT = Number(process.env.E2E_PORT ?? 3100);
/** The default configuration (`npm start`: demo mode and simulated audience on), for tests/e2e/demo.spec.ts. */
const DEMO_PORT = PORT + 1;

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

// Every browser of every worker connects from localhost: one client address, so
// the per-address cap on live connections (8 in production) is lifted.
const ONE_ADDRESS = { LIVE_SSE_CONNECTIONS_PER_CLIENT: "200" };

// Each server gets a database of its own, recreated on every run.
function databaseEnv(cluster: string, database: string): Record<string, string> {
  return process.env.DATABASE_URL
    ? { DATABASE_URL: withDatabase(process.env.DATABASE_URL, database) }
    : { EMBEDDED_CLUSTER: cluster, EMBEDDED_DATABASE: database };
}

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
    { name: "phone", use: { ...devices["Pixel 7"] }, testIgnore: /demo\.spec\.ts/ },
    { name: "desktop", use: { ...devices["Desktop Chrome"] }, grepInvert: /@single-creator/, testIgnore: /demo\.spec\.ts/ },
    // What people run: `npm start` with its defaults (demo mode, simulated audience on).
    { name: "demo-phone", use: { ...devices["Pixel 7"], baseURL: `http://localhost:${DEMO_PORT}` }, testMatch: /demo\.spec\.ts/ },
  ],
  webServer: [
    {
      command: "npx tsx scripts/start.ts --fresh",
      url: `http://localhost:${PORT}/`,
      timeout: 240_000,
      reuseExistingServer: false,
      // No simulated audience: these tests assert exact totals on the demo LIVE.
      // Short LIVE Matches, so tests/e2e/match.spec.ts sees one end; short treasure countdowns for tests/e2e/treasure.spec.ts.
      env: {
        ...databaseEnv("e2e-postgres", "coin_economy_e2e"),
        PORT: String(PORT),
        DEMO_MODE: "on",
        SIM_AUDIENCE: "off",
        LIVE_MATCH_SECONDS: "45",
        TREASURE_MIN_SECONDS: "15",
        ...ONE_ADDRESS,
      },
      stdout: "pipe",
    },
    {
      // Started the way `npm start` starts it: no DEMO_MODE or SIM_AUDIENCE set, so both are on.
      command: "env -u DEMO_MODE -u SIM_AUDIENCE npx tsx scripts/start.ts --fresh",
      url: `http://localhost:${DEMO_PORT}/`,
      timeout: 240_000,
      reuseExistingServer: false,
      env: { ...databaseEnv(DEMO_CLUSTER, DEMO_DATABASE), PORT: String(DEMO_PORT), ...ONE_ADDRESS },
      stdout: "pipe",
    },
  ],
});
