// npm start: database (embedded when DATABASE_URL is unset) → migrations → demo
// data (demo mode only) → production build if there is none → the production server on PORT (3000):
// scripts/server.mjs, Next's request handler with the gift and live-events
// routes on node:http (decision 015).
//   --fresh   drop and recreate the database first (browser tests use this)
// In demo mode (DEMO_MODE unset or on) a simulated audience gifts and chats in
// the demo LIVE; SIM_AUDIENCE=off turns it off.
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import pg from "pg";
import { createPool } from "../lib/db/pool";
import { provideDatabase } from "../lib/db/provide";
import { isDemoMode } from "../lib/db/demo";
import { seedDemoData } from "../lib/db/seed";
import { setting, settingProblems } from "../lib/env";
import { missingSecrets } from "../lib/secrets";
import { installSecrets } from "./secrets";

const fresh = process.argv.includes("--fresh");

async function dropAndCreate(url: string, adminUrl: string) {
  const name = new URL(url).pathname.slice(1);
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${name.replaceAll('"', '""')}" WITH (FORCE)`);
  await admin.query(`CREATE DATABASE "${name.replaceAll('"', '""')}"`);
  await admin.end();
}

async function main() {
  // A bad setting stops here, before the database and the build (the server would refuse it too).
  const bad = settingProblems();
  if (bad.length) throw new Error(`Not starting: ${bad.join(" ")}`);
  const port = String(setting("PORT"));
  // Each secret is the environment's or one made for this install (.data/).
  const secrets = installSecrets();
  const wrong = missingSecrets({ ...process.env, ...secrets });
  if (wrong.length) throw new Error(`Coin Economy cannot start: ${wrong.join(" ")}`);
  const db = await provideDatabase({
    cluster: setting("EMBEDDED_CLUSTER"),
    database: setting("EMBEDDED_DATABASE"),
    migrate: !fresh,
  });
  if (fresh) {
    await dropAndCreate(db.url, db.adminUrl);
    const { migrate } = await import("../lib/db/migrate");
    await migrate(db.url);
  }
  if (isDemoMode()) {
    const pool = createPool(db.url, 2);
    await seedDemoData(pool);
    await pool.end();
  } else {
    // Demo accounts are neither made nor usable (lib/db/demo.ts isUsableAccount).
    console.log(
      'Demo mode is off: no demo accounts. Create the first operator with `npm run operator:create -- --email you@example.com --name "Your Name" --birth-date YYYY-MM-DD`.',
    );
  }

  if (!existsSync(".next/BUILD_ID")) {
    console.log("No production build yet: running `next build` (about a minute)…");
    const build = spawnSync(process.execPath, ["node_modules/next/dist/bin/next", "build"], { stdio: "inherit" });
    if (build.status !== 0) process.exit(build.status ?? 1);
  }

  // The simulated audience (lib/live/bots.ts) livens up the demo LIVE unless SIM_AUDIENCE=off.
  const simAudience = setting("SIM_AUDIENCE") ?? (isDemoMode() ? "on" : "off");
  const env = { ...process.env, DATABASE_URL: db.url, ...secrets, AUTH_TRUST_HOST: "true", NODE_ENV: "production" as const, SIM_AUDIENCE: simAudience };
  const server = spawn(process.execPath, ["scripts/server.mjs", "-p", port, "-H", setting("HOSTNAME")], { stdio: "inherit", env });
  console.log(`Coin Economy: http://localhost:${port}${db.embedded ? " (embedded PostgreSQL)" : ""}`);
  const shutdown = () => server.kill("SIGTERM");
  process.on("SIGINT", shutdown);
  process.on("SIGTERM", shutdown);
  server.on("exit", async (code) => {
    await db.stop();
    process.exit(code ?? 0);
  });
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
