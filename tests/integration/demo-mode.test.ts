// With DEMO_MODE=off the demo accounts, whose passwords are public, let nobody
// in: not by signing in, not with a session cookie made while demo mode was on.
// The first real operator comes from `npm run operator:create` (createOperator).
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createOperator } from "../../lib/auth/operators";
import { DEMO_ACCOUNTS } from "../../lib/db/demo";
import { getPrisma } from "../../lib/db/prisma";
import { ensureProductionBuild, prepareDatabase, signIn, startNextServer, type NextServer } from "../support/next-server";
import { reconcileAfterEach } from "./helpers";

let demoOn: NextServer;
let demoOff: NextServer;

// The demo data (its recharges and gifts) is written in beforeAll.
reconcileAfterEach();

beforeAll(async () => {
  // The database once ran the demo: its accounts exist.
  await Promise.all([ensureProductionBuild(), prepareDatabase(process.env.DATABASE_URL!)]);
  [demoOn, demoOff] = await Promise.all([
    startNextServer({ databaseUrl: process.env.DATABASE_URL!, prepare: false, demoMode: "on", env: { DB_POOL_SIZE: "2" } }),
    startNextServer({ databaseUrl: process.env.DATABASE_URL!, prepare: false, demoMode: "off", env: { DB_POOL_SIZE: "2" } }),
  ]);
}, 400_000);

afterAll(async () => {
  await Promise.all([demoOn?.stop(), demoOff?.stop()]);
});

const operator = DEMO_ACCOUNTS.find((a) => a.role === "OPERATOR")!;

describe("DEMO_MODE=off", { timeout: 60_000 }, () => {
  test.each(DEMO_ACCOUNTS.map((a) => [a.email, a.password] as const))("%s cannot sign in, though its account exists", async (email, password) => {
    await expect(signIn(demoOff.url, email, password)).rejects.toThrow(/refused/);
  });

  test("a demo operator's session from demo mode is not accepted once it is off; the sign-in page lists no demo accounts", async () => {
    const { cookie } = await signIn(demoOn.url, operator.email, operator.password);
    expect((await fetch(`${demoOn.url}/api/operator/ledger-stats`, { headers: { Cookie: cookie } })).status).toBe(200);
    const refused = await fetch(`${demoOff.url}/api/operator/ledger-stats`, { headers: { Cookie: cookie } });
    expect(refused.status).toBe(401);
    const session = (await (await fetch(`${demoOff.url}/api/auth/session`, { headers: { Cookie: cookie } })).json()) as { user?: unknown } | null;
    expect(session?.user ?? null).toMatchObject({ email: operator.email, role: "OPERATOR" }); // Auth.js still decodes the cookie…
    const page = await (await fetch(`${demoOff.url}/operator`, { headers: { Cookie: cookie }, redirect: "manual" })).text();
    expect(page).not.toContain("Trial balance"); // …but the app does not take it for a user
    const signInPage = await (await fetch(`${demoOff.url}/sign-in`)).text();
    expect(signInPage).not.toContain(operator.password);
  });

  test("operator:create makes a real operator who can sign in and open the console; bad input makes nothing", async () => {
    const made = await createOperator({ email: "ops@example.test", displayName: "Real Operator", birthDate: "1985-03-04", password: "a-strong-passphrase-9" });
    expect(made.ok).toBe(true);
    const { cookie } = await signIn(demoOff.url, "ops@example.test", "a-strong-passphrase-9");
    expect((await fetch(`${demoOff.url}/api/operator/ledger-stats`, { headers: { Cookie: cookie } })).status).toBe(200);
    expect(await createOperator({ email: "ops@example.test", displayName: "Again", birthDate: "1985-03-04", password: "a-strong-passphrase-9" })).toMatchObject(
      { ok: false, message: /already exists/ },
    );
    expect(await createOperator({ email: "not-an-email", displayName: "X", birthDate: "1985-13-40", password: "short" })).toMatchObject({ ok: false });
    expect(await getPrisma().user.count({ where: { email: { in: ["not-an-email", "ops@example.test"] } } })).toBe(1);
  });
});
