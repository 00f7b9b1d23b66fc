import type { Currency, Platform } from "../economy";

export type PaymentStatus = "REQUIRES_CONFIRMATION" | "REQUIRES_ACTION" | "PROCESSING" | "SUCCEEDED" | "FAILED" | "CANCELED";

export type PaymentMethodInput = { type: "card"; number: string; expiry: string; cvc: string; name: string } | { type: "paypal" } | { type: "wallet" };

export interface BonusLine {
  id: string;
  title: string;
  coins: string;
}

/** What pages and actions see of an intent (no card number exists to leak). */
export interface PaymentIntentView {
  id: string;
  userId: string;
  status: PaymentStatus;
  packageId: string | null;
  coins: bigint;
  bonusCoins: bigint;
  bonusLines: BonusLine[];
  amount: bigint;
  currency: Currency;
  platform: Platform;
  method: "CARD" | "PAYPAL" | "WALLET" | null;
  cardBrand: string | null;
  cardLast4: string | null;
  failureCode: string | null;
  failureMessage: string | null;
  processingUntil: Date | null;
  creditedTransferId: bigint | null;
  createdAt: Date;
  updatedAt: Date;
}
