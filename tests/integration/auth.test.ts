import pg from "pg";
import { describe, expect, test, vi } from "vitest";
import { poolSettings } from "../../lib/db/pool";
import { getPrisma } from "../../lib/db/prisma";
import { createUser, verifyCredentials } from "../../lib/auth/users";
import { delayAfterFailures, FIRST_DELAY_SECONDS, FREE_FAILURES, WINDOW_MINUTES } from "../../lib/auth/throttle";
import { RATE_LIMITS } from "../../lib/limits";

const base = { displayName: "Test Person", password: "correct-horse-42", birthDate: "1990-01-01" };

describe("accounts", () => {
  test("sign-up stores an argon2id hash, opens a coin wallet, and knows the age", async () => {
    const adult = await createUser({ ...base, email: "adult@example.test" }, new Date("2026-11-21T12:00:00Z"));
    const teen = await createUser({ ...base, email: "teen@example.test", birthDate: "2010-01-01" }, new Date("2026-11-21T12:00:00Z"));
    expect(adult.ok && adult.user.isAdult).toBe(true);
    expect(teen.ok && teen.user.isAdult).toBe(false);
    const stored = await getPrisma().user.findUniqueOrThrow({ where: { email: "adult@example.test" }, omit: { passwordHash: false } });
    expect(stored.passwordHash).toMatch(/^\$argon2id\$/);
    expect(stored.passwordHash).not.toContain(base.password);
    const wallets = await getPrisma().ledgerAccount.findMany({ where: { userId: stored.id } });
    expect(wallets.map((w) => [w.kind, w.balance])).toEqual([["VIEWER_COINS", 0n]]);
  });

  test("password hashes never leave the data layer by default", async () => {
    await createUser({ ...base, email: "omit@example.test" });
    const user = await getPrisma().user.findUniqueOrThrow({ where: { email: "omit@example.test" } });
    expect(user).not.toHaveProperty("passwordHash");
  });

  test("a duplicate email is a field error and creates nothing", async () => {
    await createUser({ ...base, email: "dup@example.test" });
    const again = await createUser({ ...base, email: "dup@example.test", displayName: "Other" });
    expect(again).toEqual({ ok: false, field: "email", message: "An account with this email already exists. Sign in instead." });
    expect(await getPrisma().user.count({ where: { email: "dup@example.test" } })).toBe(1);
  });

  test("concurrent sign-ups with one email create exactly one account", async () => {
    const results = await Promise.all(Array.from({ length: 5 }, () => createUser({ ...base, email: "race@example.test" })));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(await getPrisma().user.count({ where: { email: "race@example.test" } })).toBe(1);
  });
});

describe("sign-in", () => {
  test("right password signs in; a wrong one and an unknown email fail the same way", async () => {
    await createUser({ ...base, email: "signin@example.test" });
    expect((await verifyCredentials({ email: "signin@example.test", password: base.password })).ok).toBe(true);
    expect(await verifyCredentials({ email: "signin@example.test", password: "wrong-pass-1" })).toEqual({ ok: false, reason: "invalid" });
    expect(await verifyCredentials({ email: "ghost@example.test", password: "wrong-pass-1" })).toEqual({ ok: false, reason: "invalid" });
  });

  test(`after ${FREE_FAILURES} failures each attempt waits longer, even with the right password; unknown emails the same`, async () => {
    await createUser({ ...base, email: "locked@example.test" });
    const t0 = new Date("2026-11-21T10:00:00Z");
    for (let i = 0; i < FREE_FAILURES; i++)
      expect(await verifyCredentials({ email: "locked@example.test", password: `wrong-${i}-pw` }, t0)).toEqual({ ok: false, reason: "invalid" });
    const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);
    expect(await verifyCredentials({ email: "locked@example.test", password: base.password }, at(1))).toEqual({
      ok: false,
      reason: "rate_limited",
      retryAfterSeconds: FIRST_DELAY_SECONDS - 1,
    });
    // Once the delay has passed, one more wrong password doubles it.
    expect(await verifyCredentials({ email: "locked@example.test", password: "wrong-again" }, at(FIRST_DELAY_SECONDS))).toEqual({
      ok: false,
      reason: "invalid",
    });
    const doubled = delayAfterFailures(FREE_FAILURES + 1);
    expect(doubled).toBe(2 * FIRST_DELAY_SECONDS);
    expect(await verifyCredentials({ email: "locked@example.test", password: base.password }, at(FIRST_DELAY_SECONDS + doubled - 1))).toMatchObject({
      reason: "rate_limited",
      retryAfterSeconds: 1,
    });
    // The right password after the wait signs in and forgets the failures.
    expect((await verifyCredentials({ email: "locked@example.test", password: base.password }, at(FIRST_DELAY_SECONDS + doubled))).ok).toBe(true);
    expect((await verifyCredentials({ email: "locked@example.test", password: "wrong-once" }, at(FIRST_DELAY_SECONDS + doubled + 1))).ok).toBe(false);
    expect((await verifyCredentials({ email: "locked@example.test", password: base.password }, at(FIRST_DELAY_SECONDS + doubled + 2))).ok).toBe(true);
    // Unknown emails are slowed the same way, so the delay reveals nothing.
    for (let i = 0; i < FREE_FAILURES; i++) await verifyCredentials({ email: "nobody@example.test", password: `wrong-${i}-pw` }, t0);
    expect(await verifyCredentials({ email: "nobody@example.test", password: base.password }, at(1))).toMatchObject({ reason: "rate_limited" });
  });

  test("parallel wrong attempts cannot all slip under the limit: at most the free ones are checked", async () => {
    await createUser({ ...base, email: "parallel@example.test" });
    const now = new Date("2026-11-21T11:00:00Z");
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => verifyCredentials({ email: "parallel@example.test", password: `guess-${i}-pw` }, now)),
    );
    expect(results.filter((r) => !r.ok && r.reason === "invalid")).toHaveLength(FREE_FAILURES);
    expect(results.filter((r) => !r.ok && r.reason === "rate_limited")).toHaveLength(20 - FREE_FAILURES);
  });

  test("people signing in to one account at once all get in (a shared demo account, several tabs)", async () => {
    await createUser({ ...base, email: "shared@example.test" });
    const now = new Date("2026-11-21T11:30:00Z");
    const results = await Promise.all(Array.from({ length: 12 }, () => verifyCredentials({ email: "shared@example.test", password: base.password }, now)));
    expect(results.map((r) => r.ok)).toEqual(Array.from({ length: 12 }, () => true));
  });

  test("failures from one address are limited whatever the emails (password spraying), and a right password gives its attempt back", async () => {
    const limit = RATE_LIMITS.signInAddress.limit;
    await createUser({ ...base, email: "sprayed@example.test" });
    const now = new Date("2026-11-21T12:00:00Z");
    const address = "203.0.113.7";
    // Right passwords from the address do not count.
    for (let i = 0; i < 3; i++) expect((await verifyCredentials({ email: "sprayed@example.test", password: base.password }, now, address)).ok).toBe(true);
    const results = await Promise.all(
      Array.from({ length: limit + 5 }, (_, i) => verifyCredentials({ email: `target-${i}@example.test`, password: "Summer2026!" }, now, address)),
    );
    expect(results.filter((r) => !r.ok && r.reason === "invalid")).toHaveLength(limit);
    expect(results.filter((r) => !r.ok && r.reason === "rate_limited")).toHaveLength(5);
    // Even the right password is refused from that address now; another address is not affected.
    expect(await verifyCredentials({ email: "sprayed@example.test", password: base.password }, now, address)).toMatchObject({ reason: "rate_limited" });
    expect((await verifyCredentials({ email: "sprayed@example.test", password: base.password }, now, "198.51.100.1")).ok).toBe(true);
  });

  test("a sign-in held up by a lock on its throttle row answers busy within the lock timeout, logs it once, and the next attempt gets in", async () => {
    await createUser({ ...base, email: "held@example.test" });
    await verifyCredentials({ email: "held@example.test", password: "wrong-once-pw" }); // the throttle row exists
    const locker = new pg.Client({ connectionString: process.env.DATABASE_URL! });
    await locker.connect();
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    try {
      await locker.query("BEGIN");
      await locker.query("SELECT 1 FROM auth_throttle WHERE key = $1 FOR UPDATE", ["email:held@example.test"]);
      const started = Date.now();
      expect(await verifyCredentials({ email: "held@example.test", password: base.password })).toEqual({ ok: false, reason: "busy" });
      expect(Date.now() - started).toBeLessThan(poolSettings().lockTimeoutMs + 2_000);
      expect(warn.mock.calls.map((c) => String(c[0]))).toEqual([expect.stringMatching(/^sign-in: the database is busy: .*lock timeout.*\(55P03\)/)]);
    } finally {
      warn.mockRestore();
      await locker.query("ROLLBACK");
      await locker.end();
    }
    expect((await verifyCredentials({ email: "held@example.test", password: base.password })).ok).toBe(true);
  });

  test("failures older than the window are forgotten", async () => {
    await createUser({ ...base, email: "window@example.test" });
    const t0 = new Date("2026-11-21T13:00:00Z");
    for (let i = 0; i < FREE_FAILURES - 1; i++) await verifyCredentials({ email: "window@example.test", password: `wrong-${i}-pw` }, t0);
    const later = new Date(t0.getTime() + (WINDOW_MINUTES + 1) * 60_000);
    // Four old failures and four new ones: still no delay, as the old ones are forgotten.
    for (let i = 0; i < FREE_FAILURES - 1; i++)
      expect(await verifyCredentials({ email: "window@example.test", password: `again-${i}-pw` }, later)).toEqual({ ok: false, reason: "invalid" });
    expect((await verifyCredentials({ email: "window@example.test", password: base.password }, later)).ok).toBe(true);
  });
});
