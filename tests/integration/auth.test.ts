import { describe, expect, test } from "vitest";
import { getPrisma } from "../../lib/db/prisma";
import { createUser, verifyCredentials } from "../../lib/auth/users";
import { MAX_FAILURES, WINDOW_MINUTES } from "../../lib/auth/throttle";

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

  test(`after ${MAX_FAILURES} failures the email is refused, even with the right password, until the window passes`, async () => {
    await createUser({ ...base, email: "locked@example.test" });
    const t0 = new Date("2026-11-21T10:00:00Z");
    for (let i = 0; i < MAX_FAILURES; i++) await verifyCredentials({ email: "locked@example.test", password: `wrong-${i}-pw` }, t0);
    const locked = await verifyCredentials({ email: "locked@example.test", password: base.password }, new Date(t0.getTime() + 60_000));
    expect(locked.ok).toBe(false);
    expect(!locked.ok && locked.reason).toBe("rate_limited");
    // Unknown emails are throttled the same way, so the lockout reveals nothing.
    for (let i = 0; i < MAX_FAILURES; i++) await verifyCredentials({ email: "nobody@example.test", password: `wrong-${i}-pw` }, t0);
    const ghost = await verifyCredentials({ email: "nobody@example.test", password: base.password }, new Date(t0.getTime() + 60_000));
    expect(!ghost.ok && ghost.reason).toBe("rate_limited");
    const later = new Date(t0.getTime() + (WINDOW_MINUTES + 1) * 60_000);
    expect((await verifyCredentials({ email: "locked@example.test", password: base.password }, later)).ok).toBe(true);
  });
});
