// The one way a server action is written. Server actions are public POST
// endpoints called with whatever a client sends, so each one, in this order:
//   1. checks the session and the role (signed out, or the wrong role: refused);
//   2. reads its call (bound ids, the form) into one object with `input` and
//      checks it with Zod: `args` first (ids, choices, keys: the page made them,
//      so a bad one is refused with its own message and nothing else), then
//      `form` (what the person typed: a message per field);
//   3. makes one lib call, `run`: an AppError it throws is the person's answer,
//      mapped here and nowhere else;
//   4. on success, `done` (outside the mapping, so redirect() and
//      revalidatePath() behave as Next means them) gives the answer.
// Anything else thrown — a fault, a LedgerError no lib module translated (a
// bug), Next's redirect signal from `run` (Auth.js signs in that way) — goes
// on unchanged: Next logs a fault once, with the digest the error page shows as
// its reference, and the page or component shows its generic failure.
import "server-only";
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { AppError } from "./errors";
import { getCurrentUser } from "./auth/session";
import type { Role, UserProfile } from "./auth/users";

/** What a server action answers. Every field is optional: a form's state starts as `{}`. */
export type ActionState<F extends string = string> = {
  ok?: boolean;
  /** Why it was refused: the AppError's code; INVALID (or NOT_FOUND for an id) when the schema refused; UNAUTHENTICATED; FORBIDDEN. */
  code?: string;
  message?: string;
  errors?: Partial<Record<F, string[]>>;
  /** What the person typed, echoed back to refill the form after a refusal. */
  values?: Record<string, string>;
  /** New on every answer of a form that asks for it: the form keys its fields on it, so they re-mount with `values`. */
  key?: string;
};

/** A refusal: always a code and a message for the person. */
export type Refusal = { ok: false; code: string; message: string; errors?: Record<string, string[]>; values?: Record<string, string>; key?: string };

type Shape = Record<string, z.ZodType>;
type None = Record<never, never>;
type Input<A extends Shape, F extends z.ZodType> = z.output<z.ZodObject<A>> & z.output<F>;

interface Spec<Raw extends unknown[], A extends Shape, F extends z.ZodType<object>, Out, D extends object, U> {
  /** The call as Next makes it (bound arguments, then the form state and the form) as one object for the schemas. */
  input?(...raw: Raw): Record<string, unknown>;
  /** Ids, choices and keys the page made: the first one refused is the answer, with its own message (and code, see idOf). */
  args?: A;
  /** The form as the person filled it: each field refused gets its messages. */
  form?: F;
  /** The message of a form refusal ("Check the highlighted fields."); by default the first refused field's own message. */
  invalid?: string;
  /** Fields (names in `input`) echoed back with a refusal, as typed, so the form refills. */
  refill?: readonly string[];
  /** "invalid": refill only after the form was refused (a lib refusal is about the request, and clears the form). */
  refillOn?: "invalid";
  /** A new `key` on every answer but a session or role refusal. */
  key?: boolean;
  /** The one lib call. */
  run(user: U, input: Input<A, F>): Promise<Out>;
  /** After `run` succeeded: revalidate, redirect, or say what was done (the answer is ok unless it is a Refusal). */
  done?(out: Out, input: Input<A, F>, user: U): D | Refusal | Promise<D | Refusal>;
}

/** An action's answer: what `done` gives, or a refusal. */
export type Answer<D extends object = object> = ActionState & Partial<D>;

/** (A `done` that always redirects gives `never`: its action answers only refusals.) */
type Action<Raw extends unknown[], D extends object> = (...raw: Raw) => Promise<Answer<[D] extends [never] ? object : D>>;

/** Refill values are cut to this length (the longest field the forms have). */
const REFILL_MAX = 500;
const NOTHING = z.object({});

/** Who may call an action: signed-in people of these roles (any role when left out), or "anyone". */
type Roles = readonly Role[] | "anyone";
/** What `run` and `done` get as the user: none for "anyone". */
type UserOf<R extends Roles> = R extends "anyone" ? null : UserProfile;

/**
 * A server action for a signed-in person (of one of `roles`, when given), or for
 * anyone with `roles: "anyone"` (sign-in and sign-up; `run` gets no user).
 */
export function action<
  Raw extends unknown[] = [],
  A extends Shape = None,
  F extends z.ZodType<object> = z.ZodObject<None>,
  Out = void,
  D extends object = None,
  const R extends Roles = readonly Role[],
>(spec: Spec<Raw, A, F, Out, D, UserOf<R>> & { roles?: R }): Action<Raw, D>;
export function action<Raw extends unknown[], A extends Shape, F extends z.ZodType<object>, Out, D extends object>(
  spec: Spec<Raw, A, F, Out, D, UserProfile | null> & { roles?: readonly Role[] | "anyone" },
): Action<Raw, D> {
  const args = z.object(spec.args ?? {});
  const form: z.ZodType<object> = spec.form ?? NOTHING;
  const answer = async (...raw: Raw): Promise<ActionState> => {
    let user: UserProfile | null = null;
    if (spec.roles !== "anyone") {
      user = await getCurrentUser();
      if (!user) return { ok: false, code: "UNAUTHENTICATED", message: "Your session has ended. Sign in again." } satisfies Refusal;
      if (spec.roles && !spec.roles.includes(user.role))
        return { ok: false, code: "FORBIDDEN", message: "You do not have access to this action." } satisfies Refusal;
    }
    const sent = spec.input?.(...raw) ?? {};
    const key = () => (spec.key ? { key: randomUUID() } : {});
    const values = () => (spec.refill ? { values: refillValues(sent, spec.refill) } : {});

    const checkedArgs = args.safeParse(sent);
    if (!checkedArgs.success) return { ...argumentRefusal(checkedArgs.error), ...key() } satisfies Refusal;
    const checkedForm = form.safeParse(sent);
    if (!checkedForm.success) {
      const message = spec.invalid ?? checkedForm.error.issues[0]!.message;
      return { ok: false, code: "INVALID", message, errors: fieldMessages(checkedForm.error), ...values(), ...key() } satisfies Refusal;
    }
    const input = { ...checkedArgs.data, ...checkedForm.data } as Input<A, F>;

    let out: Out;
    try {
      out = await spec.run(user, input);
    } catch (error) {
      const refusal = refusalOf(error);
      if (!refusal) throw error;
      return { ...refusal, ...(spec.refillOn === "invalid" ? {} : values()), ...key() } satisfies Refusal;
    }
    const success = spec.done ? await spec.done(out, input, user) : {};
    return { ok: true, ...success, ...key() };
  };
  // Its answers are refusals and what `done` gave: a type TypeScript cannot relate to the generic D on its own.
  return answer as Action<Raw, D>;
}

/** The answer to an error `run` threw, when it is a refusal (an AppError); null for anything else. */
function refusalOf(error: unknown): Refusal | null {
  // LedgerError is not an AppError: each lib module that posts turns the ledger
  // refusals it expects (insufficient funds, a reused key) into its own error,
  // so one that reaches an action is a bug and goes on as a fault.
  if (!(error instanceof AppError)) return null;
  const fields = Object.entries(error.fieldErrors);
  return {
    ok: false,
    code: error.code,
    message: error.message,
    ...(fields.length ? { errors: Object.fromEntries(fields.map(([name, message]) => [name, [message]])) } : {}),
  };
}

/** The messages of each refused field (by the first step of each issue's path). */
function fieldMessages(error: z.ZodError): Record<string, string[]> {
  const errors: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const field = issue.path[0];
    if (typeof field === "string") (errors[field] ??= []).push(issue.message);
  }
  return errors;
}

function argumentRefusal(error: z.ZodError): Refusal {
  const issue = error.issues[0]!;
  const code = issue.code === "custom" && typeof issue.params?.code === "string" ? issue.params.code : "INVALID";
  return { ok: false, code, message: issue.message };
}

function refillValues(sent: Record<string, unknown>, names: readonly string[]): Record<string, string> {
  const values: Record<string, string> = {};
  for (const name of names) {
    const value = sent[name];
    if (typeof value === "string") values[name] = value.slice(0, REFILL_MAX);
  }
  return values;
}
