// Test users and coins through the app's own modules (createUser, getLedger),
// for tests that drive lib/ features the way the server actions do.
import { randomUUID } from "node:crypto";
import { expect } from "vitest";
import { createUser, type UserProfile } from "../../lib/auth/users";
import { getLedger } from "../../lib/ledger";
import { LiveError } from "../../lib/live/streams";

/** A signed-up user with a random email; adult unless a birth date says otherwise. */
export async function newUser(
  role: "VIEWER" | "CREATOR" | "OPERATOR" = "VIEWER",
  { birthDate = "1990-01-01", name = `U${randomUUID().slice(0, 5)}` }: { birthDate?: string; name?: string } = {},
): Promise<UserProfile> {
  const result = await createUser({ email: `${randomUUID()}@example.test`, displayName: name, password: "correct-horse-42", birthDate, role });
  if (!result.ok) throw new Error(result.message);
  return result.user;
}

/** Credits the user's coin wallet from coin issuance (a test adjustment, balanced like any transfer). */
export async function grant(user: UserProfile, coins: bigint): Promise<void> {
  const ledger = getLedger();
  const wallet = await ledger.userAccount(user.id, "VIEWER_COINS");
  const issuance = await ledger.platformAccount("coin_issuance");
  await ledger.post({
    idempotencyKey: `test:${randomUUID()}`,
    kind: "ADJUSTMENT",
    postings: [
      { accountId: issuance.id, amount: -coins },
      { accountId: wallet.id, amount: coins },
    ],
  });
}

/** The LiveError a call is refused with (fails the test when it is not refused that way). */
export async function liveRefusal(work: Promise<unknown>): Promise<LiveError> {
  const error = await work.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(LiveError);
  return error as LiveError;
}
