// The gift catalog: prices in coins, animation tier and whether repeated taps
// form a streak. Data, not code paths: add a gift here and it appears everywhere.

export type GiftTier = "small" | "medium" | "fullscreen";

export interface Gift {
  readonly id: string;
  readonly name: string;
  readonly coins: bigint;
  readonly tier: GiftTier;
  /** Repeated taps within the streak window form one growing "×N" combo. */
  readonly streakable: boolean;
  /** Path of the art under public/. */
  readonly art: string;
}

const gift = (id: string, name: string, coins: bigint, tier: GiftTier, streakable: boolean): Gift =>
  Object.freeze({ id, name, coins, tier, streakable, art: `/gifts/${id}.svg` });

export const GIFTS: readonly Gift[] = Object.freeze([
  gift("rose", "Rose", 1n, "small", true),
  gift("tiktok", "TikTok", 1n, "small", true),
  gift("heart-me", "Heart Me", 1n, "small", true),
  gift("finger-heart", "Finger Heart", 5n, "small", true),
  gift("rosa", "Rosa", 10n, "small", true),
  gift("perfume", "Perfume", 20n, "small", true),
  gift("doughnut", "Doughnut", 30n, "small", true),
  gift("hat-and-mustache", "Hat and Mustache", 99n, "medium", false),
  gift("money-gun", "Money Gun", 500n, "medium", false),
  gift("gold-mine", "Gold Mine", 1_000n, "medium", false),
  gift("drama-queen", "Drama Queen", 5_000n, "fullscreen", false),
  gift("interstellar", "Interstellar", 10_000n, "fullscreen", false),
  gift("castle-fantasy", "Castle Fantasy", 20_000n, "fullscreen", false),
  gift("lion", "Lion", 29_999n, "fullscreen", false),
  gift("universe", "Universe", 34_999n, "fullscreen", false),
]);

/** Gifts at or above this price ask the viewer to confirm first. */
export const GIFT_CONFIRMATION_THRESHOLD = 1_000n;

export function findGift(id: string): Gift | undefined {
  return GIFTS.find((g) => g.id === id);
}

export function needsConfirmation(gift: Gift): boolean {
  return gift.coins >= GIFT_CONFIRMATION_THRESHOLD;
}
