// Secrets have no default outside demo mode: the webhook signing secret comes
// from PAYMENT_WEBHOOK_SECRET, and without it the app refuses to run when
// DEMO_MODE=off. In demo mode an unset secret is made at random per process
// (the simulated provider signs and checks in the same process), never a constant.
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { webhookSecret } from "../../../lib/payments/webhooks";
import { missingSecrets, requireSecret } from "../../../lib/secrets";

const saved = { ...process.env };

beforeEach(() => {
  delete process.env.PAYMENT_WEBHOOK_SECRET;
  delete process.env.DEMO_MODE;
});

afterEach(() => {
  process.env = { ...saved };
});

describe("the webhook signing secret", () => {
  test("is PAYMENT_WEBHOOK_SECRET when set", () => {
    process.env.PAYMENT_WEBHOOK_SECRET = "x".repeat(40);
    process.env.DEMO_MODE = "off";
    expect(webhookSecret()).toBe("x".repeat(40));
  });

  test("without it and with demo mode off, is refused with a message that says what to set", () => {
    process.env.DEMO_MODE = "off";
    expect(() => webhookSecret()).toThrow(/PAYMENT_WEBHOOK_SECRET is not set.*DEMO_MODE=off/);
  });

  test("without it in demo mode, is random per process, not a constant in the code", () => {
    const secret = webhookSecret();
    expect(secret).not.toBe("simulated-provider-webhook-secret");
    expect(secret.length).toBeGreaterThanOrEqual(32);
    expect(webhookSecret()).toBe(secret);
  });

  test("too short to be a secret is refused outside demo mode", () => {
    process.env.DEMO_MODE = "off";
    process.env.PAYMENT_WEBHOOK_SECRET = "short";
    expect(() => webhookSecret()).toThrow(/at least 32 characters/);
  });
});

describe("missingSecrets (checked when the server starts)", () => {
  test("lists every secret that is unset or too short when demo mode is off", () => {
    expect(missingSecrets({ DEMO_MODE: "off" })).toEqual([
      expect.stringMatching(/^AUTH_SECRET is not set/),
      expect.stringMatching(/^PAYMENT_WEBHOOK_SECRET is not set/),
    ]);
    expect(missingSecrets({ DEMO_MODE: "off", AUTH_SECRET: "a".repeat(32), PAYMENT_WEBHOOK_SECRET: "tiny" })).toEqual([
      expect.stringMatching(/^PAYMENT_WEBHOOK_SECRET is too short/),
    ]);
    expect(missingSecrets({ DEMO_MODE: "off", AUTH_SECRET: "a".repeat(32), PAYMENT_WEBHOOK_SECRET: "b".repeat(32) })).toEqual([]);
  });

  test("asks only for AUTH_SECRET in demo mode (the webhook secret can be made per process there)", () => {
    expect(missingSecrets({})).toEqual([expect.stringMatching(/^AUTH_SECRET is not set/)]);
    expect(missingSecrets({ AUTH_SECRET: "a".repeat(32) })).toEqual([]);
  });

  test("requireSecret names the variable", () => {
    expect(() => requireSecret("PAYMENT_WEBHOOK_SECRET", { DEMO_MODE: "off" })).toThrow(/PAYMENT_WEBHOOK_SECRET/);
  });
});
