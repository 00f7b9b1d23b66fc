"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { action, type ActionState } from "@/lib/action";
import { safeReturnPath } from "@/lib/http/return-path";
import { cancelPayment, completeAction, confirmPayment } from "@/lib/payments/provider";
import { createRecharge } from "@/lib/payments/intents";
import { setMonthlyBudget, ZMonthlyBudget } from "@/lib/payments/limits";
import type { PaymentMethodInput } from "@/lib/payments/types";
import { formFields, formText, ZTextArg } from "@/lib/validation/input";

/** Text as the form or the page sent it ("" when missing): the payment provider checks it (its rules, its messages). */
const text = z.string().default("");
const intentAndReturn = { intentId: ZTextArg, returnTo: ZTextArg };

/** Where a buyer lands after paying: back where they came from, or the receipt. */
function afterPayment(intentId: string, returnTo: string): string {
  const back = safeReturnPath(returnTo, "");
  return back ? `${back}${back.includes("?") ? "&" : "?"}paid=${intentId}` : `/wallet/receipts/${intentId}`;
}

/** What the payment step does after the provider answered: a paid intent goes on, anything else stays on the checkout. */
function afterAnswer({ status }: { status: string }, { intentId, returnTo }: { intentId: string; returnTo: string }) {
  revalidatePath("/", "layout");
  if (status === "SUCCEEDED") redirect(afterPayment(intentId, returnTo));
  return {};
}

/** The payment form: PayPal or a wallet, else the card as typed. */
const ZPaymentForm = z
  .object({ method: text, number: text, expiry: text, cvc: text, name: text })
  .transform(({ method, ...card }): { payment: PaymentMethodInput } => ({
    payment: method === "paypal" || method === "wallet" ? { type: method } : { type: "card", ...card },
  }));

/** Opens a payment intent for a package or a custom amount, priced on the server. */
export const startRecharge = action({
  input: (_prev: ActionState, form: unknown) => formFields(form, ["packageId", "customCoins", "platform", "currency", "clientKey", "returnTo"]),
  args: { packageId: text, customCoins: text, platform: text, currency: text, clientKey: text, returnTo: text },
  refill: ["customCoins"],
  key: true,
  run: (user, { packageId, customCoins, platform, currency, clientKey }) =>
    createRecharge(user, { packageId: packageId || null, customCoins: customCoins || null, platform, currency, clientKey }),
  done: (intent, { returnTo }) => redirect(`/recharge/checkout/${intent.id}${returnTo ? `?returnTo=${encodeURIComponent(returnTo)}` : ""}`),
});

/** Pays an open intent with a card, PayPal or a wallet. */
export const payIntent = action({
  input: (intentId: unknown, _prev: ActionState, form: unknown) => ({
    intentId,
    ...formFields(form, ["method", "number", "expiry", "cvc", "name", "returnTo"]),
  }),
  args: intentAndReturn,
  form: ZPaymentForm,
  refill: ["name", "expiry"],
  key: true,
  run: (user, { intentId, payment }) => confirmPayment(user.id, intentId, payment),
  done: afterAnswer,
});

/** Answers the 3-D Secure challenge or the PayPal/wallet approval. */
export const answerChallenge = action({
  // Only a real `true` approves (a client could send any value).
  input: (intentId: unknown, approve: unknown, returnTo: unknown) => ({ intentId, approve: approve === true, returnTo }),
  args: { ...intentAndReturn, approve: z.boolean() },
  key: true,
  run: (user, { intentId, approve }) => completeAction(user.id, intentId, approve),
  done: afterAnswer,
});

export const cancelCheckout = action({
  input: (intentId: unknown) => ({ intentId }),
  args: { intentId: ZTextArg },
  key: true,
  run: (user, { intentId }) => cancelPayment(user.id, intentId),
  done: () => {
    revalidatePath("/", "layout");
    return {};
  },
});

export const saveBudget = action({
  input: (_prev: ActionState, form: unknown) => ({ budget: formText(form, "budget") }),
  form: z.object({ budget: ZMonthlyBudget }),
  refill: ["budget"],
  key: true,
  run: (user, { budget }) => setMonthlyBudget(user.id, budget),
  done: (_, { budget }) => {
    revalidatePath("/wallet");
    revalidatePath("/recharge");
    return { message: budget === null ? "Monthly budget removed." : "Monthly budget saved." };
  },
});
