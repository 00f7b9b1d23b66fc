// Property-based fuzzing of every server action (every export of every
// "use server" module), called as Next calls them after decoding a POST: with
// whatever arguments a client put in it — FormData with hostile, missing,
// repeated or file fields, or no FormData at all; ids of any type; NUL bytes,
// control characters, unpaired surrogates, numbers past every range. An action
// answers with a result that carries a message, or redirects after a success;
// it never throws anything else (a 500), and a refusal writes nothing. The
// session is chosen by the test (lib/auth/session mocked, as in
// earnings.test.ts); Auth.js's sign-in is replaced by the credential check it
// runs (its HTTP side is fuzzed in fuzz-routes.test.ts).
import path from "node:path";
import fc from "fast-check";
import { beforeAll, describe, expect, test, vi } from "vitest";
import type { UserProfile } from "../../lib/auth/users";
import { goLive } from "../../lib/live/streams";
import { createRecharge } from "../../lib/payments/intents";
import { ROOT, serverActions } from "../support/app-surface";
import { fuzzParameters, hostileArg, hostileFormArg } from "../support/hostile";
import { newUser, reconcileAfterEach } from "./helpers";
import { session } from "./action-mocks";
import { snapshot } from "./db-snapshot";

vi.mock("../../lib/auth/session", async (importOriginal) => (await import("./action-mocks")).authSession(importOriginal));
vi.mock("next/navigation", async () => (await import("./action-mocks")).navigation());
vi.mock("next/cache", async () => (await import("./action-mocks")).cache());
vi.mock("next-auth", async () => (await import("./action-mocks")).nextAuth());
vi.mock("../../lib/auth/config", async () => (await import("./action-mocks")).authConfig());

type Action = (...args: unknown[]) => Promise<unknown>;

let viewer: UserProfile;
let teen: UserProfile;
let creator: UserProfile;
let otherCreator: UserProfile;
let operator: UserProfile;
/** A creator who never goes LIVE: their random-match choice is fuzzed without matching anyone. */
let offlineCreator: UserProfile;
let streamId: string;
let intentId: string;

beforeAll(async () => {
  [viewer, teen, creator, otherCreator, operator, offlineCreator] = await Promise.all([
    newUser("VIEWER"),
    newUser("VIEWER", { birthDate: "2015-01-01" }),
    newUser("CREATOR"),
    newUser("CREATOR"),
    newUser("OPERATOR"),
    newUser("CREATOR"),
  ]);
  streamId = (await goLive(creator, { title: "Fuzzed actions", goalCoins: null })).id;
  intentId = (await createRecharge(viewer, { packageId: "coins-70", platform: "web", currency: "USD", clientKey: "fuzz-intent-1" })).id;
});

reconcileAfterEach();

const id = () =>
  fc.oneof(
    { weight: 1, arbitrary: fc.constantFrom(streamId, intentId, "00000000-0000-0000-0000-000000000000") },
    { weight: 1, arbitrary: fc.uuid() },
    { weight: 4, arbitrary: hostileArg },
  );
const text = (...valid: string[]) => fc.constantFrom(...valid);
const key = () => fc.oneof(fc.constant("fuzz-key-0001"), fc.stringMatching(/^[A-Za-z0-9_-]{8,64}$/));

interface Target {
  /** Who calls it (the role it is meant for, so the fuzz reaches its validation). */
  as: () => UserProfile | null;
  args: () => fc.Arbitrary<unknown[]>;
  runs: number;
  /** Every call is refused (the comment above it says why): the fuzz as a whole writes nothing. */
  refusedOnly?: true;
  /** No call is refused (it signs out, lists, or has nothing to refuse): there is no refusal to check. */
  neverRefused?: true;
}

const prev = fc.oneof(fc.constant({}), hostileArg);

/** Each server action, by module and export, with who calls it and what it is called with. */
const TARGETS: Record<string, Record<string, Target>> = {
  "app/actions/auth.ts": {
    signInAction: {
      as: () => null,
      args: () =>
        fc.tuple(
          prev,
          hostileFormArg({
            email: text(viewer.email, "a@b.co"),
            password: text("correct-horse-42", "wrong-password-1"),
            callbackUrl: text("/wallet", "//evil.example"),
          }),
        ),
      runs: 60,
    },
    signUpAction: {
      as: () => null,
      args: () =>
        fc.tuple(
          prev,
          hostileFormArg({
            email: fc.uuid().map((u) => `${u}@example.test`),
            displayName: text("Fuzzy Name", "Zoë"),
            password: text("correct-horse-42"),
            birthDate: text("1990-01-01", "2015-01-01", "2999-01-01", "1990-02-30"),
            callbackUrl: text("/wallet"),
          }),
        ),
      runs: 60,
    },
    signOutAction: { as: () => viewer, args: () => fc.array(hostileArg, { maxLength: 2 }), runs: 5, neverRefused: true },
  },
  "app/actions/live.ts": {
    sendChatAction: { as: () => viewer, args: () => fc.tuple(id(), prev, hostileFormArg({ message: text("hello", "x".repeat(201)) })), runs: 80 },
    goLiveAction: {
      as: () => otherCreator,
      args: () => fc.tuple(prev, hostileFormArg({ title: text("My stream", "ab"), goalCoins: text("", "100", "99999999999999999999") })),
      runs: 60,
    },
    endStreamAction: { as: () => otherCreator, args: () => fc.tuple(id()), runs: 40 },
    endStreamFormAction: { as: () => otherCreator, args: () => fc.tuple(id()), runs: 20, neverRefused: true },
    saveRankingPrivacyAction: { as: () => viewer, args: () => fc.tuple(prev, hostileFormArg({ hidden: text("on", "off") })), runs: 30 },
  },
  "app/actions/match.ts": {
    // The creator is LIVE: ids of no live creator, invitation or match are refused before anything is written.
    inviteToMatchAction: { as: () => creator, args: () => fc.tuple(id()), runs: 40, refusedOnly: true },
    // Nobody accepts random matches here: refused, nothing written.
    inviteRandomToMatchAction: { as: () => creator, args: () => fc.array(hostileArg, { maxLength: 2 }), runs: 10, refusedOnly: true },
    answerMatchAction: { as: () => creator, args: () => fc.tuple(id(), fc.oneof(fc.boolean(), hostileArg)), runs: 40 },
    withdrawMatchInvitationAction: { as: () => creator, args: () => fc.tuple(id()), runs: 30 },
    setMatchOptInAction: { as: () => offlineCreator, args: () => fc.tuple(fc.oneof(fc.boolean(), hostileArg)), runs: 30 },
    listMatchOpponentsAction: { as: () => creator, args: () => fc.array(hostileArg, { maxLength: 2 }), runs: 10, neverRefused: true },
  },
  "app/actions/fans.ts": {
    // Names of every shape: a valid one renames the club (done), anything else is refused with nothing written.
    nameFanClubAction: {
      as: () => creator,
      args: () => fc.tuple(prev, hostileFormArg({ name: text("Crew", "Zoë7", "x", "Cleo Fans", "abcdefghij", "<b>") })),
      runs: 60,
    },
  },
  "app/actions/treasure.ts": {
    // The viewer has no coins: even a well-formed drop is refused (not enough coins), so nothing is written.
    dropTreasureAction: {
      as: () => viewer,
      args: () =>
        fc.tuple(
          id(),
          fc.oneof(
            hostileArg,
            fc.record({
              coins: fc.oneof(text("100", "1,000", "99", "100001", "-5", "1e3", "99999999999999999999"), hostileArg),
              slots: fc.oneof(text("1", "3", "0", "101", "2.5"), fc.integer(), hostileArg),
              seconds: fc.oneof(text("60", "300", "59", "301"), fc.integer(), hostileArg),
              clientKey: fc.oneof(key(), hostileArg),
            }),
          ),
        ),
      runs: 80,
      refusedOnly: true,
    },
    // Ids of no treasure box: refused, nothing written.
    joinTreasureAction: { as: () => viewer, args: () => fc.tuple(id()), runs: 40, refusedOnly: true },
  },
  "app/actions/recharge.ts": {
    startRecharge: {
      as: () => viewer,
      args: () =>
        fc.tuple(
          prev,
          hostileFormArg({
            packageId: text("coins-70", "coins-0"),
            customCoins: text("", "1000", "-5", "1e9"),
            platform: text("web", "ios"),
            currency: text("USD", "EUR", "XXX"),
            clientKey: key(),
            returnTo: text("/live", "//evil.example"),
          }),
        ),
      runs: 60,
    },
    payIntent: {
      as: () => viewer,
      args: () =>
        fc.tuple(
          id(),
          prev,
          hostileFormArg({
            method: text("card", "paypal", "wallet"),
            number: text("4000 0000 0000 0002", "4242"),
            expiry: text("12/40", "13/99"),
            cvc: text("123"),
            name: text("A B"),
            returnTo: text("/live"),
          }),
        ),
      runs: 60,
    },
    answerChallenge: { as: () => viewer, args: () => fc.tuple(id(), hostileArg, hostileArg), runs: 40 },
    cancelCheckout: { as: () => teen, args: () => fc.tuple(id()), runs: 30 },
    saveBudget: {
      as: () => viewer,
      args: () => fc.tuple(prev, hostileFormArg({ budget: text("", "5000", "5,000", "-1", "1e3", "99999999999999999999") })),
      runs: 50,
    },
  },
  "app/actions/earnings.ts": {
    requestWithdrawalAction: {
      as: () => otherCreator, // no diamonds: even a well-formed request is refused, so nothing is written
      args: () =>
        fc.tuple(
          prev,
          hostileFormArg({
            amount: text("all", "some"),
            diamonds: text("100", "0.0001", "1,000.5", "999999999999999"),
            method: text("bank", "paypal", "crypto"),
            bankFormat: text("iban", "us"),
            iban: text("DE89370400440532013000", "DE00"),
            accountNumber: text("000123456789"),
            routingNumber: text("021000021"),
            paypalEmail: text("cleo@example.com"),
            clientKey: key(),
          }),
        ),
      runs: 60,
      refusedOnly: true,
    },
    cancelWithdrawalAction: { as: () => creator, args: () => fc.tuple(id()), runs: 30 },
    approveWithdrawalAction: { as: () => operator, args: () => fc.tuple(id()), runs: 30 },
    rejectWithdrawalAction: { as: () => operator, args: () => fc.tuple(id(), prev, hostileFormArg({ reason: text("no", "x".repeat(300)) })), runs: 30 },
    becomeCreatorAction: { as: () => teen, args: () => fc.array(hostileArg, { maxLength: 2 }), runs: 10 },
  },
  "app/actions/operator.ts": {
    runReconciliationAction: { as: () => operator, args: () => fc.array(hostileArg, { maxLength: 2 }), runs: 5, neverRefused: true },
  },
  "app/actions/refunds.ts": {
    refundPurchaseAction: {
      as: () => operator, // ids that are not a paid purchase: refused, nothing written
      args: () =>
        fc.tuple(
          id(),
          prev,
          hostileFormArg({ reason: text("unauthorised charge", "under-age purchase", "other", "gimme"), details: text("short", "x".repeat(600)) }),
        ),
      runs: 40,
      refusedOnly: true,
    },
  },
  "app/actions/fraud.ts": {
    // Hostile ids never name an account, so even a well-formed reason freezes nothing.
    freezeAccountAction: {
      as: () => operator,
      args: () => fc.tuple(id(), prev, hostileFormArg({ reason: text("short", "A reason long enough", "x".repeat(400)), flagId: text("") })),
      runs: 40,
      refusedOnly: true,
    },
    unfreezeAccountAction: {
      as: () => operator,
      args: () => fc.tuple(id(), prev, hostileFormArg({ reason: text("short", "A reason long enough") })),
      runs: 30,
    },
    dismissFlagAction: { as: () => operator, args: () => fc.tuple(id(), prev, hostileFormArg({ note: text("", "ok", "Known family cards") })), runs: 30 },
  },
};

/** A redirect after success, or a result with a message; anything else thrown is a 500. */
function outcome(result: unknown, thrown: unknown): "redirect" | "refused" | "done" {
  if (thrown !== undefined) {
    if (thrown instanceof Error && thrown.message.startsWith("REDIRECT:")) return "redirect";
    throw thrown;
  }
  if (result === undefined) return "done"; // endStreamFormAction and signOut return nothing
  expect(result).toEqual(expect.objectContaining({ ok: expect.any(Boolean) }));
  const state = result as { ok: boolean; message?: unknown };
  if (state.ok) return "done";
  expect(typeof state.message, JSON.stringify(result)).toBe("string");
  expect((state.message as string).length).toBeGreaterThan(5);
  return "refused";
}

describe("every server action is fuzzed", () => {
  test('each export of each "use server" module has a fuzz target', async () => {
    expect(Object.fromEntries(Object.entries(TARGETS).map(([file, targets]) => [file, Object.keys(targets).sort()]))).toEqual(await serverActions());
  });

  for (const [file, targets] of Object.entries(TARGETS)) {
    for (const [name, target] of Object.entries(targets)) {
      test(`${name} (${file})`, async () => {
        const action = (await import(path.join(ROOT, file)))[name] as Action;
        const outcomes = { redirect: 0, refused: 0, done: 0 };
        const start = await snapshot();
        await fc.assert(
          fc.asyncProperty(target.args(), async (args) => {
            session.user = target.as();
            const before = await snapshot();
            let result: unknown;
            let thrown: unknown;
            try {
              result = await action(...args);
            } catch (error) {
              thrown = error;
            }
            const how = outcome(result, thrown);
            outcomes[how]++;
            if (how === "refused") expect(await snapshot(), `refused, yet something was written: ${JSON.stringify(result)}`).toEqual(before);
          }),
          fuzzParameters(target.runs),
        );
        // Some calls were refused, so the check that a refusal writes nothing ran (unless nothing can be refused).
        expect(outcomes.refused > 0, JSON.stringify(outcomes)).toBe(!target.neverRefused);
        if (target.refusedOnly) {
          expect({ redirect: outcomes.redirect, done: outcomes.done }, "calls that went through").toEqual({ redirect: 0, done: 0 });
          expect(await snapshot()).toEqual(start);
        }
      }, 120_000);
    }
  }
});
