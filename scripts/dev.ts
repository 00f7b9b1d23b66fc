// npm run dev: the same database bootstrap as npm start, then `next dev`.
import { spawn } from "node:child_process";
import { createPool } from "../lib/db/pool";
import { provideDatabase } from "../lib/db/provide";
import { isDemoMode } from "../lib/db/demo";
import { seedDemoData } from "../lib/db/seed";
import { setting, settingProblems } from "../lib/env";
import { installSecrets } from "./secrets";

async function main() {
  // A bad setting stops here, before the database (the server would refuse it too).
  const bad = settingProblems();
  if (bad.length) throw new Error(`Not starting: ${bad.join(" ")}`);
  const db = await provideDatabase({ cluster: "postgres", database: "coin_economy" });
  const pool = createPool(db.url, 2);
  // The demo accounts have public passwords (an operator among them): only in demo mode.
  if (isDemoMode()) await seedDemoData(pool);
  else console.log("Demo mode is off: no demo accounts.");
  await pool.end();
  const env = {
    ...process.env,
    DATABASE_URL: db.url,
    // The same per-install secrets as npm start (no constant in the code).
    ...installSecrets(),
    AUTH_TRUST_HOST: "true",
    SIM_AUDIENCE: setting("SIM_AUDIENCE") ?? (isDemoMode() ? "on" : "off"),
  };
  const server = spawn(process.execPath, ["node_modules/next/dist/bin/next", "dev", "-p", String(setting("PORT"))], { stdio: "inherit", env });
  const shutdown = () => server.kill("SIGTERM");
  process.on("SIGINT", shutdown);
  process.on("SIGTERM", shutdown);
  server.on("exit", async (code) => {
    await db.stop();
    process.exit(code ?? 0);
  });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
