// The server action wrapper (lib/action.ts): session and role, the schemas, the
// one lib call with its AppError mapped to a refusal, and everything else
// (faults, Next's redirect) passed on unchanged.
import { redirect } from "next/navigation";
import { isRedirectError } from "next/dist/client/components/redirect-error";
import { beforeEach, describe, expect, expectTypeOf, test, vi } from "vitest";
import { z } from "zod";
import type { UserProfile } from "../../lib/auth/users";

const session = vi.hoisted(() => ({ user: null as UserProfile | null, reads: 0 }));
vi.mock("../../lib/auth/session", () => ({
  getCurrentUser: async () => {
    session.reads++;
    return session.user;
  },
}));

const { action } = await import("../../lib/action");
const { AppError } = await import("../../lib/errors");
const { idOf, formText } = await import("../../lib/validation/input");

const viewer: UserProfile = {
  id: "00000000-0000-4000-8000-000000000001",
  email: "v@example.test",
  displayName: "Viewer",
  role: "VIEWER",
  birthDate: "1990-01-01",
  isAdult: true,
};
const operator: UserProfile = { ...viewer, id: "00000000-0000-4000-8000-000000000002", role: "OPERATOR" };
const STREAM = "00000000-0000-4000-8000-0000000000aa";

const form = (fields: Record<string, string>) => {
  const data = new FormData();
  for (const [k, v] of Object.entries(fields)) data.set(k, v);
  return data;
};

class RoomError extends AppError<"ENDED" | "TOO_LONG"> {
  static override readonly brand = "RoomError";
}

/** A chat-like action: a stream id, a message field, a lib call that may refuse. */
function chat(
  run = vi.fn(async (_user: UserProfile, input: { streamId: string; message: string }) => input.message.length),
  extra: { invalid?: string; refillOn?: "invalid" } = {},
) {
  return {
    run,
    post: action({
      roles: ["VIEWER"],
      input: (streamId: unknown, _prev: unknown, data: unknown) => ({ streamId, message: formText(data, "message"), mood: formText(data, "mood") }),
      args: { streamId: idOf("This stream does not exist.") },
      form: z.object({
        message: z.string().trim().min(1, "Write a message first.").max(5, "At most 5 characters."),
        mood: z.enum(["happy", "sad"], { error: "Choose a mood." }),
      }),
      refill: ["message", "mood"],
      key: true,
      run,
      done: (length, { message }) => ({ message: `Sent ${message} (${length}).` }),
      ...extra,
    }),
  };
}

beforeEach(() => {
  session.user = viewer;
  session.reads = 0;
});

describe("the session and the role", () => {
  test("signed out: refused with UNAUTHENTICATED, before anything is read or run", async () => {
    session.user = null;
    const { post, run } = chat();
    expect(await post(STREAM, {}, form({ message: "hi", mood: "happy" }))).toEqual({
      ok: false,
      code: "UNAUTHENTICATED",
      message: "Your session has ended. Sign in again.",
    });
    expect(run).not.toHaveBeenCalled();
  });

  test("the wrong role: refused with FORBIDDEN (no key: the form stays as it is)", async () => {
    session.user = operator;
    const { post, run } = chat();
    expect(await post(STREAM, {}, form({ message: "hi", mood: "happy" }))).toEqual({
      ok: false,
      code: "FORBIDDEN",
      message: "You do not have access to this action.",
    });
    expect(run).not.toHaveBeenCalled();
  });

  test('roles "anyone": no session is read, and the lib call gets no user', async () => {
    session.user = null;
    const run = vi.fn(async (user: null) => user);
    const signIn = action({ roles: "anyone", run, done: () => ({ message: "Welcome." }) });
    expect(await signIn()).toEqual({ ok: true, message: "Welcome." });
    expect(run).toHaveBeenCalledWith(null, {});
    expect(session.reads).toBe(0);
  });

  test("the user's type follows the roles: none for anyone, a profile otherwise (checked by tsc)", () => {
    action({ roles: "anyone", run: async (user) => expectTypeOf(user).toEqualTypeOf<null>() });
    action({ roles: ["CREATOR"], run: async (user) => expectTypeOf(user).toEqualTypeOf<UserProfile>() });
    action({ run: async (user) => expectTypeOf(user).toEqualTypeOf<UserProfile>() });
  });
});

describe("the schemas", () => {
  test("an argument the page made is refused first, with its own message and code, and nothing else", async () => {
    const { post, run } = chat();
    const refused = await post("not-an-id", {}, form({ message: "", mood: "angry" }));
    expect(refused).toEqual({ ok: false, code: "NOT_FOUND", message: "This stream does not exist.", key: expect.any(String) });
    expect(run).not.toHaveBeenCalled();
  });

  test("a form refusal: messages per field, the first one as the message (or the action's), what was typed refilled, a new key", async () => {
    const { post, run } = chat();
    const refused = await post(STREAM, {}, form({ message: "far too long", mood: "angry" }));
    expect(refused).toEqual({
      ok: false,
      code: "INVALID",
      message: "At most 5 characters.",
      errors: { message: ["At most 5 characters."], mood: ["Choose a mood."] },
      values: { message: "far too long", mood: "angry" },
      key: expect.any(String),
    });
    expect(run).not.toHaveBeenCalled();
    const again = await chat(undefined, { invalid: "Check the highlighted fields." }).post(STREAM, {}, form({ message: "", mood: "happy" }));
    expect(again).toMatchObject({ message: "Check the highlighted fields.", errors: { message: ["Write a message first."] } });
    expect(again.key).not.toBe(refused.key);
    // Refilled values are cut (a hostile client may send megabytes).
    expect((await post(STREAM, {}, form({ message: "x".repeat(10_000), mood: "happy" }))).values?.message).toHaveLength(500);
  });

  test("not FormData at all: every field is empty, and refused as such", async () => {
    const { post } = chat();
    expect(await post(STREAM, "junk", 42)).toMatchObject({
      ok: false,
      code: "INVALID",
      errors: { message: ["Write a message first."], mood: ["Choose a mood."] },
    });
  });

  test("the lib call gets what the schemas made of the call", async () => {
    const { post, run } = chat();
    expect(await post(STREAM, {}, form({ message: "  hi ", mood: "happy" }))).toEqual({ ok: true, message: "Sent hi (2).", key: expect.any(String) });
    expect(run).toHaveBeenCalledWith(viewer, { streamId: STREAM, message: "hi", mood: "happy" });
  });
});

describe("the lib call's errors", () => {
  test("an AppError is the answer: its code, its message, its field messages, the form refilled", async () => {
    const { post } = chat(
      vi.fn(async () => {
        throw new RoomError("TOO_LONG", "Keep it short.", { message: "Keep it short." });
      }),
    );
    expect(await post(STREAM, {}, form({ message: "hi", mood: "sad" }))).toEqual({
      ok: false,
      code: "TOO_LONG",
      message: "Keep it short.",
      errors: { message: ["Keep it short."] },
      values: { message: "hi", mood: "sad" },
      key: expect.any(String),
    });
  });

  test('with refillOn "invalid", a lib refusal (about the request, not the fields) does not refill the form', async () => {
    const { post } = chat(
      vi.fn(async () => {
        throw new RoomError("ENDED", "This LIVE has ended.");
      }),
      { refillOn: "invalid" },
    );
    expect(await post(STREAM, {}, form({ message: "hi", mood: "sad" }))).toEqual({
      ok: false,
      code: "ENDED",
      message: "This LIVE has ended.",
      key: expect.any(String),
    });
    expect(await post(STREAM, {}, form({ message: "", mood: "sad" }))).toMatchObject({ values: { message: "", mood: "sad" } });
  });

  test("an AppError made by another copy of the module (another bundle) is recognised", async () => {
    vi.resetModules();
    const other = await import("../../lib/errors");
    const { post } = chat(
      vi.fn(async () => {
        throw new other.AppError("BUSY", "Try again in a moment.");
      }),
    );
    expect(await post(STREAM, {}, form({ message: "hi", mood: "sad" }))).toMatchObject({ ok: false, code: "BUSY", message: "Try again in a moment." });
  });

  test("anything else is a fault: passed on unchanged and not logged here (Next logs it once, with the digest the error page shows)", async () => {
    const { LedgerError } = await import("../../lib/ledger/types");
    for (const fault of [new Error("connection reset", { cause: new Error("ECONNRESET") }), new LedgerError("INSUFFICIENT_FUNDS", "Not enough COIN.")]) {
      const { post } = chat(
        vi.fn(async () => {
          throw fault;
        }),
      );
      await expect(post(STREAM, {}, form({ message: "hi", mood: "sad" }))).rejects.toBe(fault);
    }
    // The console setup fails any test that logs an error: none was.
  });
});

describe("redirects and answers", () => {
  test("Next's redirect passes through, from the lib call (Auth.js) and from done", async () => {
    const fromRun = action({
      run: async () => redirect("/wallet"),
    });
    const fromDone = action({
      run: async () => "stream-1",
      done: (id) => redirect(`/live/${id}`),
    });
    for (const [call, to] of [
      [fromRun, "/wallet"],
      [fromDone, "/live/stream-1"],
    ] as const) {
      const thrown = await call().then(
        () => null,
        (error: unknown) => error,
      );
      expect(isRedirectError(thrown)).toBe(true);
      expect((thrown as { digest: string }).digest).toContain(to);
    }
  });

  test("done may answer a refusal (the run happened, its result is bad news)", async () => {
    const reconcile = action({
      roles: ["OPERATOR"],
      run: async () => ({ ok: false }),
      done: (run) => (run.ok ? { message: "Reconciled." } : { ok: false, code: "DRIFT", message: "Drift found." }),
    });
    session.user = operator;
    expect(await reconcile()).toEqual({ ok: false, code: "DRIFT", message: "Drift found." });
  });

  test("without done, a success is { ok: true } (and its key when the form asks for one)", async () => {
    expect(await action({ run: async () => 1 })()).toEqual({ ok: true });
    expect(await action({ key: true, run: async () => 1 })()).toEqual({ ok: true, key: expect.any(String) });
  });
});
