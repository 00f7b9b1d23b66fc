"use server";

import { randomUUID } from "node:crypto";
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { withUser, type ActionState } from "@/lib/auth/action";
import { becomeCreator } from "@/lib/auth/creator";
import { parseWithdrawalForm, type WithdrawalFormField } from "@/lib/withdrawals/form";
import { formText, textArg } from "@/lib/validation/input";
import { approveWithdrawal, cancelWithdrawal, rejectWithdrawal, requestWithdrawal, WithdrawalError } from "@/lib/withdrawals/withdrawals";

const AMOUNT_CODES = new Set(["INVALID_AMOUNT", "INSUFFICIENT_DIAMONDS", "NOTHING_TO_WITHDRAW", "BELOW_MINIMUM", "DAILY_LIMIT_EXCEEDED", "FEE_EXCEEDS_AMOUNT"]);

function formValues(form: unknown): Record<string, string> {
  const values: Record<string, string> = {};
  // Payout details are echoed back only to refill the form after an error; they are never stored unmasked.
  for (const name of ["amount", "diamonds", "method", "bankFormat", "iban", "accountNumber", "routingNumber", "paypalEmail"]) {
    const value = formText(form, name);
    if (value) values[name] = value.slice(0, 254);
  }
  return values;
}

/** Requests a withdrawal and opens its receipt. */
export const requestWithdrawalAction = withUser(
  async (user, _prev: ActionState<WithdrawalFormField>, form: unknown): Promise<ActionState<WithdrawalFormField>> => {
    const values = formValues(form);
    const parsed = parseWithdrawalForm(form);
    if (!parsed.ok) {
      const message = parsed.errors.form?.[0] ?? "Check the highlighted fields.";
      return { ok: false, message, errors: parsed.errors, values, key: randomUUID() };
    }
    let id: string;
    try {
      id = (await requestWithdrawal(user, parsed.value)).withdrawal.id;
    } catch (error) {
      if (error instanceof WithdrawalError) {
        const errors = AMOUNT_CODES.has(error.code) ? { diamonds: [error.message] } : undefined;
        return { ok: false, message: error.message, errors, values, key: randomUUID() };
      }
      throw error;
    }
    revalidatePath("/creator", "layout");
    redirect(`/creator/withdrawals/${id}`);
  },
  ["CREATOR"],
);

/** The creator cancels one of their pending withdrawals. */
export const cancelWithdrawalAction = withUser(
  async (user, id: unknown): Promise<ActionState> => {
    try {
      await cancelWithdrawal(user, textArg(id));
    } catch (error) {
      if (error instanceof WithdrawalError) return { ok: false, message: error.message };
      throw error;
    }
    revalidatePath("/creator", "layout");
    return { ok: true, message: "Withdrawal cancelled: the diamonds are back in your balance." };
  },
  ["CREATOR"],
);

/** An operator approves (pays now) a pending withdrawal. */
export const approveWithdrawalAction = withUser(
  async (user, id: unknown): Promise<ActionState> => {
    try {
      await approveWithdrawal(user, textArg(id));
    } catch (error) {
      if (error instanceof WithdrawalError) return { ok: false, message: error.message };
      throw error;
    }
    // No revalidation here: the row stays in place with this message (and drops off the pending list on the next visit).
    return { ok: true, message: "Approved and paid." };
  },
  ["OPERATOR"],
);

/** An operator rejects a pending withdrawal (the diamonds go back to the creator). */
export const rejectWithdrawalAction = withUser(
  async (user, id: unknown, _prev: ActionState, form: unknown): Promise<ActionState> => {
    try {
      await rejectWithdrawal(user, textArg(id), formText(form, "reason"));
    } catch (error) {
      if (error instanceof WithdrawalError && error.code === "INVALID_REQUEST") return { ok: false, message: error.message, errors: { reason: [error.message] } };
      if (error instanceof WithdrawalError) return { ok: false, message: error.message };
      throw error;
    }
    return { ok: true, message: "Rejected: the diamonds went back to the creator." };
  },
  ["OPERATOR"],
);

/** An adult viewer turns on creator tools. */
export const becomeCreatorAction = withUser(
  async (user): Promise<ActionState> => {
    const result = await becomeCreator(user);
    if (!result.ok) return { ok: false, message: result.message };
    revalidatePath("/", "layout");
    redirect("/creator");
  },
  ["VIEWER", "CREATOR"],
);
