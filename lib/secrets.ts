// The app's secrets, and the rule that none of them has a default outside demo
// mode. `npm start` (scripts/start.ts) makes each one once per install under
// .data/ and passes it in; anywhere else they are set in the environment.
//
// - AUTH_SECRET signs the session cookies (Auth.js);
// - PAYMENT_WEBHOOK_SECRET signs the simulated provider's webhook events.
// Both are read, like every setting, through lib/env.ts.
//
// With DEMO_MODE=off the server refuses to start while one is unset or shorter
// than MIN_SECRET_LENGTH. In demo mode an unset webhook secret is made at random
// for the process: the simulated provider signs and checks its events in the
// same process, so nothing outside needs to know it.
import { randomBytes } from "node:crypto";
import { setting, type SettingSource } from "./env";

export const SECRETS = {
  AUTH_SECRET: "signs the session cookies",
  PAYMENT_WEBHOOK_SECRET: "signs the payment provider's webhook events",
} as const;

export type SecretName = keyof typeof SECRETS;

/** Shortest secret accepted outside demo mode (32 characters: 192 bits of base64url). */
export const MIN_SECRET_LENGTH = 32;

function demoMode(env: SettingSource): boolean {
  return setting("DEMO_MODE", env) === "on";
}

function problem(name: SecretName, env: SettingSource): string | null {
  const value = setting(name, env);
  const how = "`npm start` makes one per install under .data/; otherwise set it to a random string (e.g. `openssl rand -base64 32`)";
  if (!value) {
    if (name === "PAYMENT_WEBHOOK_SECRET" && demoMode(env)) return null;
    return `${name} is not set (it ${SECRETS[name]}), and there is no default${demoMode(env) ? "" : " with DEMO_MODE=off"}: ${how}.`;
  }
  if (!demoMode(env) && value.length < MIN_SECRET_LENGTH) {
    return `${name} is too short (${value.length} characters; at least ${MIN_SECRET_LENGTH} characters with DEMO_MODE=off): ${how}.`;
  }
  return null;
}

/** What is wrong with the secrets in `env`, one sentence each (empty when the server may start). */
export function missingSecrets(env: SettingSource = process.env): string[] {
  return (Object.keys(SECRETS) as SecretName[]).map((name) => problem(name, env)).filter((text): text is string => text !== null);
}

const perProcess = globalThis as unknown as { demoSecrets?: Map<SecretName, string> };

/**
 * The secret `name` from `env`. Throws with a message that says what to set
 * when it is missing (or too short) outside demo mode; in demo mode an unset
 * webhook secret is a random one made once for this process.
 */
export function requireSecret(name: SecretName, env: SettingSource = process.env): string {
  const wrong = problem(name, env);
  if (wrong) throw new Error(wrong);
  const value = setting(name, env);
  if (value) return value;
  const made = (perProcess.demoSecrets ??= new Map());
  let secret = made.get(name);
  if (!secret) {
    secret = randomBytes(32).toString("base64url");
    made.set(name, secret);
  }
  return secret;
}

/** At server start: with a secret missing outside demo mode, says so in one line and exits. */
export function exitUnlessSecrets(env: SettingSource = process.env): void {
  const wrong = missingSecrets(env);
  if (wrong.length === 0) return;
  console.error(`Coin Economy cannot start: ${wrong.join(" ")}`);
  process.exit(1);
}
