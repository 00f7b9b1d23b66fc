"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { withUser, type ActionState } from "@/lib/auth/action";
import { dismissFlag, FlagError } from "@/lib/fraud/flags";
import { freezeAccount, FreezeError, MAX_FREEZE_REASON, MIN_FREEZE_REASON, unfreezeAccount } from "@/lib/fraud/freezes";
import { formText, textArg, ZUuid } from "@/lib/validation/input";

const ZReason = z
  .string()
  .trim()
  .min(MIN_FREEZE_REASON, `Give a reason of at least ${MIN_FREEZE_REASON} characters.`)
  .max(MAX_FREEZE_REASON, `Keep the reason to ${MAX_FREEZE_REASON} characters or fewer.`);
const ZId = ZUuid;

function refused(error: unknown): ActionState {
  if (error instanceof FreezeError || error instanceof FlagError) return { ok: false, message: error.message };
  throw error;
}

function parse(userId: unknown, form: unknown): { ok: true; id: string; reason: string } | { ok: false; state: ActionState } {
  const id = ZId.safeParse(textArg(userId));
  if (!id.success) return { ok: false, state: { ok: false, message: "This account does not exist." } };
  const reason = ZReason.safeParse(formText(form, "reason"));
  if (!reason.success) {
    const message = reason.error.issues[0]!.message;
    return { ok: false, state: { ok: false, message, errors: { reason: [message] }, values: { reason: formText(form, "reason") } } };
  }
  return { ok: true, id: id.data, reason: reason.data };
}

/** An operator freezes an account (from its page, or from a flag: `flagId` in the form marks it actioned). */
export const freezeAccountAction = withUser(
  async (user, userId: unknown, _prev: ActionState, form: unknown): Promise<ActionState> => {
    const input = parse(userId, form);
    if (!input.ok) return input.state;
    const flag = ZUuid.safeParse(formText(form, "flagId"));
    try {
      await freezeAccount(user, input.id, input.reason, { flagId: flag.success ? flag.data : null });
    } catch (error) {
      return refused(error);
    }
    revalidatePath(`/operator/accounts/${input.id}`);
    revalidatePath("/operator/flags");
    return { ok: true, message: "Account frozen." };
  },
  ["OPERATOR"],
);

/** An operator lifts an account's freeze. */
export const unfreezeAccountAction = withUser(
  async (user, userId: unknown, _prev: ActionState, form: unknown): Promise<ActionState> => {
    const input = parse(userId, form);
    if (!input.ok) return input.state;
    try {
      await unfreezeAccount(user, input.id, input.reason);
    } catch (error) {
      return refused(error);
    }
    revalidatePath(`/operator/accounts/${input.id}`);
    return { ok: true, message: "Account unfrozen." };
  },
  ["OPERATOR"],
);

const ZNote = z.string().trim().min(3, "Write a note of at least 3 characters saying why.").max(300, "Keep the note to 300 characters or fewer.");

/** An operator dismisses an open flag with a note. */
export const dismissFlagAction = withUser(
  async (user, flagId: unknown, _prev: ActionState, form: unknown): Promise<ActionState> => {
    const note = ZNote.safeParse(formText(form, "note"));
    if (!note.success) return { ok: false, message: note.error.issues[0]!.message, errors: { note: [note.error.issues[0]!.message] } };
    try {
      await dismissFlag(user, textArg(flagId), note.data);
    } catch (error) {
      return refused(error);
    }
    revalidatePath("/operator/flags");
    return { ok: true, message: "Flag dismissed." };
  },
  ["OPERATOR"],
);
