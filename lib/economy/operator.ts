/**
 * What the operator console assumes about money the ledger does not hold: the
 * app stores' commission per purchase channel, and reference exchange rates that
 * put every currency's revenue in US dollars for one margin figure. Display
 * figures only: nothing here is posted to the ledger.
 */
import { rational, roundHalfUp, type Currency, type Rational } from "./money";
import type { Platform } from "./packages";

/**
 * Share of a purchase's price the store keeps, per channel: the App Store 30 %,
 * Google Play 15 % (its rate for most subscriptions and small developers), the
 * web none (card processing is not modelled).
 */
export const STORE_COMMISSION: Readonly<Record<Platform, Rational>> = Object.freeze({
  ios: rational(30n, 100n),
  android: rational(15n, 100n),
  web: rational(0n),
});

/** Names of the channels for people. */
export const CHANNEL_LABELS: Readonly<Record<Platform, string>> = Object.freeze({
  web: "Web",
  ios: "iOS (App Store)",
  android: "Android (Google Play)",
});

/** The store's commission on one purchase, in the purchase's minor units, rounded half up. */
export function storeCommission(platform: Platform, amountMinor: bigint): bigint {
  const rate = STORE_COMMISSION[platform];
  return roundHalfUp(rational(amountMinor * rate.num, rate.den));
}

/**
 * US cents per minor unit of each currency, at fixed reference rates
 * (1 EUR = 1.08 USD, 1 GBP = 1.27 USD, 1 JPY = 0.0067 USD, 1 IDR = 0.000063 USD).
 */
export const REFERENCE_USD_CENTS_PER_MINOR: Readonly<Record<Currency, Rational>> = Object.freeze({
  USD: rational(1n),
  EUR: rational(108n, 100n),
  GBP: rational(127n, 100n),
  JPY: rational(67n, 100n),
  IDR: rational(63n, 10_000n),
});

/** An amount in US cents at the reference rate, rounded half up. */
export function toReferenceUsdCents(amountMinor: bigint, currency: Currency): bigint {
  const rate = REFERENCE_USD_CENTS_PER_MINOR[currency];
  return roundHalfUp(rational(amountMinor * rate.num, rate.den));
}

export interface MarginInput {
  /** What buyers paid, in US cents at the reference rates. */
  revenueCents: bigint;
  /** The stores' commission on it, in US cents at the reference rates. */
  commissionCents: bigint;
  /** Cash paid out to creators for their diamonds (net of the withdrawal fees, which the platform keeps). */
  creatorPayoutCents: bigint;
}

export interface Margin {
  /** revenue − commission − creator payouts. */
  marginCents: bigint;
  /** The margin as a share of revenue, in basis points (1/100 %), rounded half up; null without revenue. */
  marginBasisPoints: bigint | null;
}

/** What the platform kept of what buyers paid. */
export function computeMargin({ revenueCents, commissionCents, creatorPayoutCents }: MarginInput): Margin {
  const marginCents = revenueCents - commissionCents - creatorPayoutCents;
  return {
    marginCents,
    marginBasisPoints: revenueCents === 0n ? null : roundHalfUp(rational(marginCents * 10_000n, revenueCents)),
  };
}

/** "42.5 %" from basis points. */
export function formatBasisPoints(bp: bigint): string {
  const sign = bp < 0n ? "-" : "";
  const abs = bp < 0n ? -bp : bp;
  const whole = abs / 100n;
  const frac = abs % 100n;
  return `${sign}${whole}${frac === 0n ? "" : `.${String(frac).padStart(2, "0").replace(/0$/, "")}`} %`;
}
