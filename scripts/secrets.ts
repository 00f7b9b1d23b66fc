// Secrets made once per install, as npm start and npm run dev use them: an
// environment variable wins; otherwise a random value kept in .data/<file>
// (readable by this user only), made on the first start.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { setting } from "../lib/env";
import type { SecretName } from "../lib/secrets";

const FILES: Record<SecretName, string> = {
  AUTH_SECRET: ".data/auth-secret",
  PAYMENT_WEBHOOK_SECRET: ".data/webhook-secret",
};

export function installSecret(name: SecretName): string {
  const set = setting(name);
  if (set) return set;
  const file = FILES[name];
  mkdirSync(".data", { recursive: true });
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString("base64url"), { mode: 0o600 });
  return readFileSync(file, "utf8").trim();
}

/** Both secrets, for the server's environment. */
export function installSecrets(): Record<SecretName, string> {
  return { AUTH_SECRET: installSecret("AUTH_SECRET"), PAYMENT_WEBHOOK_SECRET: installSecret("PAYMENT_WEBHOOK_SECRET") };
}
