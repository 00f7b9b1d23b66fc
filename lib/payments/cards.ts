/**
 * Simulated card handling for the checkout: number normalisation, Luhn check, brand
 * detection, form validation with customer-facing messages, masking, and the table of
 * test cards that drive the payment simulator's outcomes.
 *
 * Pure: no I/O and no clock — "today" is always passed in.
 */

/** Card brands the checkout recognises. */
export const CARD_BRANDS = Object.freeze(["visa", "mastercard", "amex", "discover", "unknown"] as const);

/** A card brand ('unknown' when the number matches no known prefix). */
export type CardBrand = (typeof CARD_BRANDS)[number];

/** Display names of each brand, used by {@link maskCard}. */
export const CARD_BRAND_LABELS: Readonly<Record<CardBrand, string>> = Object.freeze({
  visa: "Visa",
  mastercard: "Mastercard",
  amex: "American Express",
  discover: "Discover",
  unknown: "Card",
});

/** Shortest accepted card number (digits). */
export const CARD_NUMBER_MIN_DIGITS = 12;

/** Longest accepted card number (digits). */
export const CARD_NUMBER_MAX_DIGITS = 19;

/** Shortest accepted cardholder name (characters, after trimming). */
export const CARD_NAME_MIN_LENGTH = 2;

/** Longest accepted cardholder name (characters, after trimming). */
export const CARD_NAME_MAX_LENGTH = 80;

/** Customer-facing messages of {@link validateCard}. */
export const CARD_ERROR_MESSAGES = Object.freeze({
  numberMissing: "Enter the card number.",
  numberInvalid: "This card number is not valid (check the digits).",
  expiryInvalid: "Enter the expiry as MM/YY.",
  expired: "This card has expired.",
  cvcInvalid: "The security code is 3 digits (4 for American Express).",
  nameMissing: "Enter the name on the card.",
  nameTooLong: `The name on the card can be at most ${CARD_NAME_MAX_LENGTH} characters.`,
} as const);

/**
 * Strips spaces and dashes from a typed card number.
 * Returns the digits (possibly the empty string), or `null` when any other character is present.
 */
export function normalizeCardNumber(input: string): string | null {
  const stripped = input.replace(/[\s-]/g, "");
  return /^\d*$/.test(stripped) ? stripped : null;
}

/** True when `digits` is a non-empty digit string whose Luhn (mod 10) checksum is valid. */
export function luhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  let double = false;
  for (let index = digits.length - 1; index >= 0; index -= 1) {
    let digit = digits.charCodeAt(index) - 48;
    if (double) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
    double = !double;
  }
  return sum % 10 === 0;
}

function prefixInRange(digits: string, length: number, min: number, max: number): boolean {
  if (digits.length < length) return false;
  const prefix = Number(digits.slice(0, length));
  return prefix >= min && prefix <= max;
}

/**
 * Detects the brand from the leading digits: Visa 4; Mastercard 51–55 and 2221–2720;
 * American Express 34, 37; Discover 6011, 65. Anything else is 'unknown'.
 */
export function detectBrand(digits: string): CardBrand {
  if (!/^\d+$/.test(digits)) return "unknown";
  if (digits.startsWith("4")) return "visa";
  if (prefixInRange(digits, 2, 51, 55) || prefixInRange(digits, 4, 2221, 2720)) return "mastercard";
  if (digits.startsWith("34") || digits.startsWith("37")) return "amex";
  if (digits.startsWith("6011") || digits.startsWith("65")) return "discover";
  return "unknown";
}

/** Number of security-code digits for a brand (4 for American Express, otherwise 3). */
export function cvcLength(brand: CardBrand): 3 | 4 {
  return brand === "amex" ? 4 : 3;
}

/** A parsed expiry date (month 1–12, four-digit year). */
export type CardExpiry = { readonly month: number; readonly year: number };

/**
 * Parses "MM/YY", "MM / YY" or "MM/YYYY" (a single-digit month such as "4/27" is also accepted).
 * Two-digit years are 20YY. Returns `null` when the text is not a valid expiry.
 */
export function parseExpiry(input: string): CardExpiry | null {
  const match = /^(\d{1,2})\s*\/\s*(\d{2}|\d{4})$/.exec(input.trim());
  if (!match) return null;
  const month = Number(match[1]);
  const yearText = match[2] ?? "";
  const year = yearText.length === 2 ? 2000 + Number(yearText) : Number(yearText);
  if (month < 1 || month > 12) return null;
  return { month, year };
}

/** The form fields of a card. */
export type CardInput = {
  readonly number: string;
  readonly expiry: string;
  readonly cvc: string;
  readonly name: string;
};

/** Today's calendar month (the card is valid through the end of its expiry month). */
export type CalendarMonth = { readonly year: number; readonly month: number };

/** A validated card. `digits` is the normalised number (never store or log it). */
export type ValidatedCard = {
  readonly brand: CardBrand;
  readonly last4: string;
  readonly expMonth: number;
  readonly expYear: number;
  readonly digits: string;
};

/** A card form field. */
export type CardField = "number" | "expiry" | "cvc" | "name";

/** Result of {@link validateCard}: the card, or one message per invalid field. */
export type CardValidationResult =
  { readonly ok: true; readonly card: ValidatedCard } | { readonly ok: false; readonly errors: Partial<Record<CardField, string>> };

function assertCalendarMonth(today: CalendarMonth): void {
  const valid = Number.isInteger(today.year) && Number.isInteger(today.month) && today.month >= 1 && today.month <= 12;
  if (!valid) throw new RangeError(`today must be a calendar month (month 1–12), got ${today.year}-${today.month}`);
}

/**
 * Validates a card form. Every invalid field gets its own customer-facing message
 * (see {@link CARD_ERROR_MESSAGES}); the security-code length depends on the detected brand.
 * A card is expired when its expiry month is before `today`'s month (it is valid through
 * the end of its expiry month).
 */
export function validateCard(input: CardInput, today: CalendarMonth): CardValidationResult {
  assertCalendarMonth(today);
  const errors: Partial<Record<CardField, string>> = {};

  const digits = normalizeCardNumber(input.number);
  const brand = digits ? detectBrand(digits) : "unknown";
  if (digits === "") {
    errors.number = CARD_ERROR_MESSAGES.numberMissing;
  } else if (digits === null || digits.length < CARD_NUMBER_MIN_DIGITS || digits.length > CARD_NUMBER_MAX_DIGITS || !luhnValid(digits)) {
    errors.number = CARD_ERROR_MESSAGES.numberInvalid;
  }

  const expiry = parseExpiry(input.expiry);
  if (!expiry) {
    errors.expiry = CARD_ERROR_MESSAGES.expiryInvalid;
  } else if (expiry.year < today.year || (expiry.year === today.year && expiry.month < today.month)) {
    errors.expiry = CARD_ERROR_MESSAGES.expired;
  }

  const cvc = input.cvc.trim();
  if (!new RegExp(`^\\d{${cvcLength(brand)}}$`).test(cvc)) {
    errors.cvc = CARD_ERROR_MESSAGES.cvcInvalid;
  }

  const nameLength = [...input.name.trim()].length;
  if (nameLength < CARD_NAME_MIN_LENGTH) {
    errors.name = CARD_ERROR_MESSAGES.nameMissing;
  } else if (nameLength > CARD_NAME_MAX_LENGTH) {
    errors.name = CARD_ERROR_MESSAGES.nameTooLong;
  }

  if (Object.keys(errors).length > 0 || !digits || !expiry) return { ok: false, errors };
  return {
    ok: true,
    card: { brand, last4: digits.slice(-4), expMonth: expiry.month, expYear: expiry.year, digits },
  };
}

/** Masks a card for display, e.g. ('visa', '4242') → "Visa •••• 4242". */
export function maskCard(brand: CardBrand, last4: string): string {
  return `${CARD_BRAND_LABELS[brand]} •••• ${last4}`;
}

/** What the payment simulator does with a card. */
export type CardOutcome = "succeeds" | "declined" | "insufficient_funds" | "expired_card" | "requires_3ds" | "succeeds_after_delay" | "charged_back";

/** A documented test card (shown on the checkout page). `number` is grouped for display. */
export type TestCard = { readonly number: string; readonly outcome: CardOutcome; readonly description: string };

const TEST_CARD_LIST: readonly TestCard[] = [
  {
    number: "4242 4242 4242 4242",
    outcome: "succeeds",
    description: "The payment succeeds immediately.",
  },
  {
    number: "4000 0000 0000 0002",
    outcome: "declined",
    description: "The card is declined (generic decline).",
  },
  {
    number: "4000 0000 0000 9995",
    outcome: "insufficient_funds",
    description: "The card is declined for insufficient funds.",
  },
  {
    number: "4000 0000 0000 0069",
    outcome: "expired_card",
    description: "The issuer declines the card as expired, even though the entered expiry date is in the future.",
  },
  {
    number: "4000 0000 0000 3220",
    outcome: "requires_3ds",
    description: "The payment needs a 3-D Secure confirmation step before it completes.",
  },
  {
    number: "4000 0000 0000 0077",
    outcome: "succeeds_after_delay",
    description: "The payment stays processing for a few seconds, then succeeds.",
  },
  {
    number: "4000 0000 0000 0259",
    outcome: "charged_back",
    description: "The payment succeeds, then the cardholder disputes it: a chargeback arrives about 30 seconds later.",
  },
];

/**
 * Test cards that trigger each simulator outcome. Use any future expiry date, any name and
 * any security code of the right length. Every other valid card number is approved.
 */
export const TEST_CARDS: readonly TestCard[] = Object.freeze(TEST_CARD_LIST.map((card) => Object.freeze({ ...card })));

/**
 * The simulator outcome for a card number (spaces and dashes allowed).
 * Test cards give their documented outcome; any other valid number (12–19 digits, Luhn)
 * is approved ('succeeds'). Numbers that are not valid are 'declined' — the simulator
 * never approves an invalid number.
 */
export function cardOutcome(digits: string): CardOutcome {
  const normalized = normalizeCardNumber(digits);
  if (!normalized || normalized.length < CARD_NUMBER_MIN_DIGITS || normalized.length > CARD_NUMBER_MAX_DIGITS || !luhnValid(normalized)) {
    return "declined";
  }
  const testCard = TEST_CARDS.find((card) => normalizeCardNumber(card.number) === normalized);
  return testCard ? testCard.outcome : "succeeds";
}

/** Why a payment was refused. */
export type DeclineReason = "declined" | "insufficient_funds" | "expired_card" | "authentication_failed";

/** Customer-facing text for each decline reason. */
export const DECLINE_MESSAGES: Readonly<Record<DeclineReason, string>> = Object.freeze({
  declined: "Your card was declined. Try another card or payment method.",
  insufficient_funds: "Your card has insufficient funds.",
  expired_card: "Your card has expired.",
  authentication_failed: "3-D Secure authentication was not completed. You were not charged.",
});
