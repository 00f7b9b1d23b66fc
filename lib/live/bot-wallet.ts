import "server-only";
// How a simulated viewer buys coins: like a person at checkout, a web package
// paid with the test card that succeeds, credited by the provider's webhook.
import { randomUUID } from "node:crypto";
import type { UserProfile } from "../auth/users";
import { confirmPayment } from "../payments/provider";
import { createRecharge } from "../payments/intents";

/** Buys `packageId` for a bot; throws the PaymentError of a refused recharge (a daily cap, a budget) or a payment that did not succeed. */
export async function buyBotCoins(bot: UserProfile, packageId: string): Promise<void> {
  const intent = await createRecharge(bot, { packageId, platform: "web", currency: "USD", clientKey: `sim-${randomUUID()}` });
  const paid = await confirmPayment(bot.id, intent.id, { type: "card", number: "4242 4242 4242 4242", expiry: "12/34", cvc: "123", name: bot.displayName });
  if (paid.status !== "SUCCEEDED") throw new Error(`Simulated payment ended ${paid.status}.`);
}
