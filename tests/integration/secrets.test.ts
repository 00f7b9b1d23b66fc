// The production server (next start) refuses to start without its secrets when
// demo mode is off, and says which one is missing; with them it starts.
import { beforeAll, describe, expect, test } from "vitest";
import { ensureProductionBuild, prepareDatabase, startNextServer } from "../support/next-server";
import { reconcileAfterEach } from "./helpers";

// The demo data (its recharges and gifts) is written in beforeAll.
reconcileAfterEach();

beforeAll(async () => {
  await Promise.all([ensureProductionBuild(), prepareDatabase(process.env.DATABASE_URL!)]);
}, 400_000);

const start = (env: Record<string, string | undefined>) =>
  startNextServer({ databaseUrl: process.env.DATABASE_URL!, prepare: false, demoMode: "off", env, timeoutMs: 60_000 });

describe("with DEMO_MODE=off", () => {
  test("no webhook signing secret: the server exits with a message naming PAYMENT_WEBHOOK_SECRET", async () => {
    const error = await start({ PAYMENT_WEBHOOK_SECRET: undefined }).then(
      async (server) => {
        await server.stop();
        return null;
      },
      (e: Error) => e,
    );
    expect(error, "the server started without a webhook secret").not.toBeNull();
    expect(error!.message).toContain("exited");
    expect(error!.message).toMatch(/Coin Economy cannot start: PAYMENT_WEBHOOK_SECRET is not set/);
  });

  test("no session secret: the server exits with a message naming AUTH_SECRET", async () => {
    const error = await start({ AUTH_SECRET: undefined }).then(
      async (server) => {
        await server.stop();
        return null;
      },
      (e: Error) => e,
    );
    expect(error, "the server started without AUTH_SECRET").not.toBeNull();
    expect(error!.message).toMatch(/Coin Economy cannot start: AUTH_SECRET is not set/);
  });

  test("with both secrets it starts and serves", async () => {
    const server = await start({});
    try {
      expect((await fetch(`${server.url}/api/ping`)).ok).toBe(true);
    } finally {
      await server.stop();
    }
  });
});
