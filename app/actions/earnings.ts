"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { action, type ActionState } from "@/lib/action";
import { becomeCreator } from "@/lib/auth/creator";
import { ZWithdrawalForm, ZWithdrawalKey } from "@/lib/withdrawals/form";
import { formFields, formText, idOf, ZTextArg } from "@/lib/validation/input";
import { approveWithdrawal, cancelWithdrawal, rejectWithdrawal, requestWithdrawal } from "@/lib/withdrawals/withdrawals";

const WITHDRAWAL_FIELDS = ["amount", "diamonds", "method", "bankFormat", "iban", "accountNumber", "routingNumber", "paypalEmail"] as const;

const withdrawalId = (id: unknown) => ({ id });
const WITHDRAWAL_ID = { id: idOf("This withdrawal does not exist.") };

/** Requests a withdrawal and opens its receipt. */
export const requestWithdrawalAction = action({
  roles: ["CREATOR"],
  input: (_prev: ActionState, form: unknown) => ({ ...formFields(form, WITHDRAWAL_FIELDS), clientKey: formText(form, "clientKey") }),
  args: { clientKey: ZWithdrawalKey },
  form: ZWithdrawalForm,
  invalid: "Check the highlighted fields.",
  // Payout details are echoed back only to refill the form after an error; they are never stored unmasked.
  refill: WITHDRAWAL_FIELDS,
  key: true,
  run: (user, request) => requestWithdrawal(user, request),
  done: ({ withdrawal }) => {
    revalidatePath("/creator", "layout");
    redirect(`/creator/withdrawals/${withdrawal.id}`);
  },
});

/** The creator cancels one of their pending withdrawals. */
export const cancelWithdrawalAction = action({
  roles: ["CREATOR"],
  input: withdrawalId,
  args: WITHDRAWAL_ID,
  run: (user, { id }) => cancelWithdrawal(user, id),
  done: () => {
    revalidatePath("/creator", "layout");
    return { message: "Withdrawal cancelled: the diamonds are back in your balance." };
  },
});

/** An operator approves (pays now) a pending withdrawal. */
export const approveWithdrawalAction = action({
  roles: ["OPERATOR"],
  input: withdrawalId,
  args: WITHDRAWAL_ID,
  run: (user, { id }) => approveWithdrawal(user, id),
  // No revalidation here: the row stays in place with this message (and drops off the pending list on the next visit).
  done: () => ({ message: "Approved and paid." }),
});

/** An operator rejects a pending withdrawal (the diamonds go back to the creator). */
export const rejectWithdrawalAction = action({
  roles: ["OPERATOR"],
  input: (id: unknown, _prev: ActionState, form: unknown) => ({ id, reason: formText(form, "reason") }),
  // Both are checked by rejectWithdrawal, the reason first (optional; its length and characters).
  args: { id: ZTextArg, reason: z.string() },
  run: (user, { id, reason }) => rejectWithdrawal(user, id, reason),
  done: () => ({ message: "Rejected: the diamonds went back to the creator." }),
});

/** An adult viewer turns on creator tools. */
export const becomeCreatorAction = action({
  roles: ["VIEWER", "CREATOR"],
  run: (user) => becomeCreator(user),
  done: () => {
    revalidatePath("/", "layout");
    redirect("/creator");
  },
});
