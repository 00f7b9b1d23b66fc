"use server";

import { randomUUID } from "node:crypto";
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { withUser, type ActionState } from "@/lib/auth/action";
import { safeReturnPath } from "@/lib/http/return-path";
import { validateMonthlyBudget } from "@/lib/economy";
import { cancelPayment, completeAction, confirmPayment } from "@/lib/payments/provider";
import { createRecharge, PaymentError } from "@/lib/payments/intents";
import { setMonthlyBudget } from "@/lib/payments/limits";

const text = (form: FormData, name: string) => {
  const value = form.get(name);
  return typeof value === "string" ? value : "";
};

function failure(error: unknown): ActionState {
  if (error instanceof PaymentError) {
    return { ok: false, message: error.message, errors: Object.fromEntries(Object.entries(error.fieldErrors).map(([k, v]) => [k, [v]])), key: randomUUID() };
  }
  throw error;
}

/** Where a buyer lands after paying: back where they came from, or the receipt. */
function afterPayment(intentId: string, returnTo: string): string {
  const back = safeReturnPath(returnTo, "");
  return back ? `${back}${back.includes("?") ? "&" : "?"}paid=${intentId}` : `/wallet/receipts/${intentId}`;
}

/** Opens a payment intent for a package or a custom amount, priced on the server. */
export const startRecharge = withUser(async (user, _prev: ActionState, form: FormData): Promise<ActionState> => {
  let intentId: string;
  try {
    const intent = await createRecharge(user, {
      packageId: text(form, "packageId") || null,
      customCoins: text(form, "customCoins") || null,
      platform: text(form, "platform"),
      currency: text(form, "currency"),
      clientKey: text(form, "clientKey"),
    });
    intentId = intent.id;
  } catch (error) {
    return { ...failure(error), values: { customCoins: text(form, "customCoins") } };
  }
  redirect(`/recharge/checkout/${intentId}${text(form, "returnTo") ? `?returnTo=${encodeURIComponent(text(form, "returnTo"))}` : ""}`);
});

/** Pays an open intent with a card, PayPal or a wallet. */
export const payIntent = withUser(async (user, intentId: string, _prev: ActionState, form: FormData): Promise<ActionState> => {
  const type = text(form, "method");
  const method =
    type === "paypal" || type === "wallet"
      ? ({ type } as const)
      : ({ type: "card", number: text(form, "number"), expiry: text(form, "expiry"), cvc: text(form, "cvc"), name: text(form, "name") } as const);
  let status: string;
  try {
    status = (await confirmPayment(user.id, intentId, method)).status;
  } catch (error) {
    return { ...failure(error), values: { name: text(form, "name"), expiry: text(form, "expiry") } };
  }
  revalidatePath("/", "layout");
  if (status === "SUCCEEDED") redirect(afterPayment(intentId, text(form, "returnTo")));
  return { ok: true, key: randomUUID() };
});

/** Answers the 3-D Secure challenge or the PayPal/wallet approval. */
export const answerChallenge = withUser(async (user, intentId: string, approve: boolean, returnTo: string): Promise<ActionState> => {
  let status: string;
  try {
    status = (await completeAction(user.id, intentId, approve)).status;
  } catch (error) {
    return failure(error);
  }
  revalidatePath("/", "layout");
  if (status === "SUCCEEDED") redirect(afterPayment(intentId, returnTo));
  return { ok: true, key: randomUUID() };
});

export const cancelCheckout = withUser(async (user, intentId: string): Promise<ActionState> => {
  try {
    await cancelPayment(user.id, intentId);
  } catch (error) {
    return failure(error);
  }
  revalidatePath("/", "layout");
  return { ok: true, key: randomUUID() };
});

export const saveBudget = withUser(async (user, _prev: ActionState, form: FormData): Promise<ActionState> => {
  const parsed = validateMonthlyBudget(text(form, "budget"));
  if (!parsed.ok) return { ok: false, message: parsed.message, errors: { budget: [parsed.message] }, values: { budget: text(form, "budget") }, key: randomUUID() };
  await setMonthlyBudget(user.id, parsed.value);
  revalidatePath("/wallet");
  revalidatePath("/recharge");
  return { ok: true, message: parsed.value === null ? "Monthly budget removed." : "Monthly budget saved.", key: randomUUID() };
});
