"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { action, type ActionState } from "@/lib/action";
import { dismissFlag, ZFlagNote } from "@/lib/fraud/flags";
import { freezeAccount, unfreezeAccount, ZFreezeReason } from "@/lib/fraud/freezes";
import { formText, idOf, ZTextArg, ZUuid } from "@/lib/validation/input";

const accountAndReason = (userId: unknown, _prev: ActionState, form: unknown) => ({
  userId,
  reason: formText(form, "reason"),
  flagId: formText(form, "flagId"),
});
const ZAccount = idOf("This account does not exist.");
const ZReasonForm = z.object({ reason: ZFreezeReason });

/** An operator freezes an account (from its page, or from a flag: `flagId` in the form marks it actioned). */
export const freezeAccountAction = action({
  roles: ["OPERATOR"],
  input: accountAndReason,
  args: { userId: ZAccount, flagId: ZUuid.nullable().catch(null) },
  form: ZReasonForm,
  // The reason is refilled when it was refused, not when the account was (already frozen, gone).
  refill: ["reason"],
  refillOn: "invalid",
  run: (user, { userId, reason, flagId }) => freezeAccount(user, userId, reason, { flagId }),
  done: (_, { userId }) => {
    revalidatePath(`/operator/accounts/${userId}`);
    revalidatePath("/operator/flags");
    return { message: "Account frozen." };
  },
});

/** An operator lifts an account's freeze. */
export const unfreezeAccountAction = action({
  roles: ["OPERATOR"],
  input: accountAndReason,
  args: { userId: ZAccount },
  form: ZReasonForm,
  refill: ["reason"],
  refillOn: "invalid",
  run: (user, { userId, reason }) => unfreezeAccount(user, userId, reason),
  done: (_, { userId }) => {
    revalidatePath(`/operator/accounts/${userId}`);
    return { message: "Account unfrozen." };
  },
});

/** An operator dismisses an open flag with a note. */
export const dismissFlagAction = action({
  roles: ["OPERATOR"],
  input: (flagId: unknown, _prev: ActionState, form: unknown) => ({ flagId, note: formText(form, "note") }),
  // The flag's id is checked by dismissFlag, after the note.
  args: { flagId: ZTextArg },
  form: z.object({ note: ZFlagNote }),
  run: (user, { flagId, note }) => dismissFlag(user, flagId, note),
  done: () => {
    revalidatePath("/operator/flags");
    return { message: "Flag dismissed." };
  },
});
