// What the server actions answer through the action wrapper (lib/action.ts),
// as the forms read it: each refusal has a code and a message; a form's
// refusal names its fields and refills what was typed; a lib refusal (an
// AppError) is mapped the same way whichever module threw it; a success
// redirects or says what was done, with a new key where the form asks for one.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import type { UserProfile } from "../../lib/auth/users";
import { getLedger } from "../../lib/ledger";
import { goLive } from "../../lib/live/streams";
import { freezeAccount } from "../../lib/fraud/freezes";
import { grant, newUser, reconcileAfterEach } from "./helpers";
import { session } from "./action-mocks";

vi.mock("../../lib/auth/session", async (importOriginal) => (await import("./action-mocks")).authSession(importOriginal));
vi.mock("next/navigation", async () => (await import("./action-mocks")).navigation());
vi.mock("next/cache", async () => (await import("./action-mocks")).cache());
vi.mock("next-auth", async () => (await import("./action-mocks")).nextAuth());
vi.mock("../../lib/auth/config", async () => (await import("./action-mocks")).authConfig());

const { signInAction } = await import("../../app/actions/auth");
const { requestWithdrawalAction } = await import("../../app/actions/earnings");
const { nameFanClubAction } = await import("../../app/actions/fans");
const { freezeAccountAction } = await import("../../app/actions/fraud");
const { goLiveAction } = await import("../../app/actions/live");
const { saveBudget } = await import("../../app/actions/recharge");
const { dropTreasureAction } = await import("../../app/actions/treasure");

const form = (fields: Record<string, string>) => {
  const data = new FormData();
  for (const [k, v] of Object.entries(fields)) data.set(k, v);
  return data;
};
const KEY = expect.stringMatching(/^[0-9a-f-]{36}$/);

let viewer: UserProfile;
let creator: UserProfile;
let operator: UserProfile;
let streamId: string;

beforeAll(async () => {
  [viewer, creator, operator] = await Promise.all([newUser("VIEWER"), newUser("CREATOR"), newUser("OPERATOR")]);
  streamId = (await goLive(creator, { title: "Action answers", goalCoins: null })).id;
});

reconcileAfterEach();

afterAll(() => {
  session.user = null;
});

describe("session and role refusals carry their code", () => {
  test("signed out, a treasure box drop is refused with UNAUTHENTICATED (the code its answer type promises)", async () => {
    session.user = null;
    expect(await dropTreasureAction(streamId, { coins: "100", slots: "2", seconds: "60", clientKey: randomUUID() })).toEqual({
      ok: false,
      code: "UNAUTHENTICATED",
      message: "Your session has ended. Sign in again.",
    });
  });

  test("the wrong role is refused with FORBIDDEN, and nothing of the form is echoed", async () => {
    session.user = viewer;
    expect(await goLiveAction({}, form({ title: "Not a creator", goalCoins: "" }))).toEqual({
      ok: false,
      code: "FORBIDDEN",
      message: "You do not have access to this action.",
    });
  });
});

describe("form refusals", () => {
  test("a field refused by the schema: its messages, the form's message, the values refilled", async () => {
    session.user = creator;
    expect(await goLiveAction({}, form({ title: "ab", goalCoins: "5" }))).toEqual({
      ok: false,
      code: "INVALID",
      message: "Check the highlighted fields.",
      errors: { title: ["A title has at least 3 characters."], goalCoins: ["Set a goal between 10 and 100,000,000 coins, or leave it empty."] },
      values: { title: "ab" },
    });
    expect(await saveBudget({}, form({ budget: "-1" }))).toMatchObject({
      ok: false,
      code: "INVALID",
      errors: { budget: [expect.stringMatching(/between 1 and/)] },
      values: { budget: "-1" },
      key: KEY,
    });
  });

  test("a treasure box: a bad stream id is NOT_FOUND, a bad key asks for a reload, bad fields are highlighted", async () => {
    session.user = viewer;
    const drop = { coins: "100", slots: "2", seconds: "60", clientKey: randomUUID() };
    expect(await dropTreasureAction("not-a-stream", drop)).toEqual({ ok: false, code: "NOT_FOUND", message: "This stream does not exist." });
    expect(await dropTreasureAction(streamId, { ...drop, clientKey: "x" })).toEqual({ ok: false, code: "INVALID", message: "Reload the page and try again." });
    expect(await dropTreasureAction(streamId, { ...drop, coins: "lots", slots: "many" })).toEqual({
      ok: false,
      code: "INVALID",
      message: "Check the highlighted fields.",
      errors: { coins: ["Enter the coins as a whole number."], slots: ["Enter the number of winners as a whole number."] },
    });
  });
});

describe("lib refusals (AppError) through the one mapping", () => {
  test("a LiveError: its code and message (the treasure box keeps no key for a refusal for good)", async () => {
    session.user = viewer; // no coins
    expect(await dropTreasureAction(streamId, { coins: "100", slots: "2", seconds: "60", clientKey: randomUUID() })).toMatchObject({
      ok: false,
      code: "INSUFFICIENT_COINS",
    });
  });

  test("a WithdrawalError about the amount: at the diamonds field, the form refilled, a new key", async () => {
    session.user = creator; // no diamonds
    const refused = await requestWithdrawalAction(
      {},
      form({ amount: "amount", diamonds: "2500", method: "paypal", paypalEmail: "cleo@example.com", clientKey: randomUUID() }),
    );
    expect(refused).toEqual({
      ok: false,
      code: "INSUFFICIENT_DIAMONDS",
      message: expect.stringMatching(/cannot withdraw more/),
      errors: { diamonds: [expect.stringMatching(/cannot withdraw more/)] },
      values: { amount: "amount", diamonds: "2500", method: "paypal", paypalEmail: "cleo@example.com" },
      key: KEY,
    });
  });

  test("a FanClubError is shown at the name; a success names the club and says so, with a new key", async () => {
    session.user = creator;
    expect(await nameFanClubAction({}, form({ name: "Crew Crew" }))).toEqual({
      ok: false,
      code: "INVALID",
      message: "A fan club name has only letters and digits (no spaces, symbols or emoji).",
      errors: { name: ["A fan club name has only letters and digits (no spaces, symbols or emoji)."] },
      values: { name: "Crew Crew" },
      key: KEY,
    });
    expect(await nameFanClubAction({}, form({ name: " Crew " }))).toEqual({
      ok: true,
      message: "Your fan club is now called Crew. Members see it in their badge.",
      values: { name: "Crew" },
      key: KEY,
    });
  });

  test("a freeze refused by the lib (already frozen) does not refill the reason; one refused by the schema does", async () => {
    const target = await newUser();
    await freezeAccount(operator, target.id, "Frozen first by the test");
    session.user = operator;
    expect(await freezeAccountAction(target.id, {}, form({ reason: "Card testing again" }))).toEqual({
      ok: false,
      code: "ALREADY_FROZEN",
      message: "This account is already frozen.",
    });
    expect(await freezeAccountAction(target.id, {}, form({ reason: "short" }))).toEqual({
      ok: false,
      code: "INVALID",
      message: "Give a reason of at least 10 characters.",
      errors: { reason: ["Give a reason of at least 10 characters."] },
      values: { reason: "short" },
    });
    expect(await freezeAccountAction("nobody", {}, form({ reason: "short" }))).toEqual({
      ok: false,
      code: "NOT_FOUND",
      message: "This account does not exist.",
    });
  });

  test("sign-in refused by Auth.js: why, in words, the email refilled, no field blamed", async () => {
    session.user = null;
    expect(await signInAction({}, form({ email: viewer.email, password: "wrong-password-1" }))).toEqual({
      ok: false,
      code: "INVALID_CREDENTIALS",
      message: "That email and password do not match an account.",
      values: { email: viewer.email },
      key: KEY,
    });
  });
});

describe("successes", () => {
  test("a redirect after success is Next's, unchanged; a drop answers the box and the coins left", async () => {
    session.user = null;
    await expect(signInAction({}, form({ email: viewer.email, password: "correct-horse-42", callbackUrl: "/live" }))).rejects.toThrow("REDIRECT:/live");
    const rich = await newUser();
    await grant(rich, 1_000n);
    session.user = rich;
    const dropped = await dropTreasureAction(streamId, { coins: "100", slots: "2", seconds: "60", clientKey: randomUUID() });
    expect(dropped).toMatchObject({ ok: true, balance: "900", message: "Your treasure box is in the LIVE!", box: { coins: "100" } });
    // Opened and paid back to the dropper (nobody joined), so no box stays open for the next test file.
    await getLedger().pool.query("UPDATE treasure_boxes SET opens_at = clock_timestamp() WHERE id = $1", [dropped.box!.id]);
    const { runTreasureTimers } = await import("../../lib/live/treasure");
    await runTreasureTimers();
  });
});
