import { setting } from "../env";

// Demo accounts seeded on first start. Their passwords are public on purpose:
// the sign-in page shows them while demo mode is on (DEMO_MODE unset or "on").
export const DEMO_ACCOUNTS = [
  { email: "viewer@demo.coin", password: "viewer-demo-2026", displayName: "Vera Viewer", role: "VIEWER", birthDate: "1995-04-12", coins: 5_000n },
  { email: "creator@demo.coin", password: "creator-demo-2026", displayName: "Cleo Creator", role: "CREATOR", birthDate: "1992-09-30", coins: 0n },
  { email: "rival@demo.coin", password: "rival-demo-2026", displayName: "Milo Maker", role: "CREATOR", birthDate: "1996-03-21", coins: 0n },
  { email: "operator@demo.coin", password: "operator-demo-2026", displayName: "Omar Operator", role: "OPERATOR", birthDate: "1988-01-05", coins: 0n },
  { email: "teen@demo.coin", password: "teen-demo-2026", displayName: "Toby Teen", role: "VIEWER", birthDate: "2012-06-01", coins: 0n },
] as const;

export function isDemoMode(): boolean {
  return setting("DEMO_MODE") === "on";
}

const DEMO_EMAILS: ReadonlySet<string> = new Set(DEMO_ACCOUNTS.map((demo) => demo.email));

/**
 * Whether an account may sign in and keep its session: always, except the demo
 * accounts while demo mode is off. Their passwords are public, so a database
 * that once ran the demo must not let anyone in with them afterwards.
 */
export function isUsableAccount(email: string): boolean {
  return isDemoMode() || !DEMO_EMAILS.has(email);
}
