// Display helpers for the creator pages (dates in UTC, durations). Money and
// diamonds are formatted by lib/economy.
import { DEFAULT_DIAMOND_CASH_RATE, DIAMOND_MINOR_PER_DIAMOND, formatPricePerCoin, rational } from "@/lib/economy";

/** The cash value of one diamond, e.g. "$0.005". */
export function diamondPrice(): string {
  return formatPricePerCoin(rational(DEFAULT_DIAMOND_CASH_RATE.num * DIAMOND_MINOR_PER_DIAMOND, DEFAULT_DIAMOND_CASH_RATE.den), "USD", "en-US", 1);
}

export function formatUtc(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

export function formatDuration(from: Date, to: Date): string {
  const minutes = Math.max(0, Math.floor((to.getTime() - from.getTime()) / 60_000));
  const hours = Math.floor(minutes / 60);
  return hours ? `${hours} h ${minutes % 60} min` : `${minutes} min`;
}
