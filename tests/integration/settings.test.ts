// The production server checks every setting when it starts (instrumentation.ts,
// lib/env.ts): a bad value stops it with one line naming the variable, instead
// of the default being used in its place.
import { beforeAll, describe, expect, test } from "vitest";
import { ensureProductionBuild, prepareDatabase, startNextServer } from "../support/next-server";
import { reconcileAfterEach } from "./helpers";

// Preparing the database seeds the demo (its coins move through the ledger).
reconcileAfterEach();

beforeAll(async () => {
  await Promise.all([ensureProductionBuild(), prepareDatabase(process.env.DATABASE_URL!)]);
}, 400_000);

describe("a bad setting", () => {
  test("stops the server with one line that names it, says what it must be and shows the value", async () => {
    const error = await startNextServer({
      databaseUrl: process.env.DATABASE_URL!,
      prepare: false,
      env: { LIVE_COALESCE_MS: "fast", DB_POOL_SIZE: "2" },
      timeoutMs: 60_000,
    }).then(
      async (server) => {
        await server.stop();
        return null;
      },
      (e: Error) => e,
    );
    expect(error, "the server started with LIVE_COALESCE_MS=fast").not.toBeNull();
    expect(error!.message).toContain("exited");
    expect(error!.message).toContain('Not starting: LIVE_COALESCE_MS must be a whole number of milliseconds from 0 to 1000; it is "fast".');
  });
});
