import "server-only";
import { z } from "zod";
import { convertCoinsToDiamonds, findGift } from "../economy";
import { getLedger, LedgerError, createGiftPoster } from "../ledger";
import type { BatchHook, Ledger } from "../ledger/ledger";
import type { UserProfile } from "../auth/users";
import { getRateLimiter, RATE_LIMITS } from "../limits";
import { appendLiveEvents, type NewLiveEvent } from "./events";
import { isClientKey, isUuid, ZClientKey } from "../validation/input";
import { getStreamStatus } from "./stream-status";
import { LiveError } from "./streams";
import { coinDebtMessage, getCoinDebtCached } from "../refunds/accounts";
import { frozenRefusal } from "../fraud/freezes";
import { scoreMatchGifts } from "./match";

/** Sends per viewer per second before further sends are refused (on all app instances together). */
export const GIFT_RATE_PER_SECOND = RATE_LIMITS.gifts.limit;

function checkRate(viewerId: string, now: number): void {
  if (!getRateLimiter("gifts").check(viewerId, now)) {
    throw new LiveError("RATE_LIMITED", "You are sending gifts too fast. Wait a moment and try again.");
  }
}

/** Writes each tagged gift's live event in the gift's own transaction. */
async function writeLiveEvents(client: Parameters<BatchHook>[0], written: Parameters<BatchHook>[1]): Promise<void> {
  const events: NewLiveEvent[] = [];
  for (const { transferId, input } of written) {
    const live = input.tag as NewLiveEvent | undefined;
    if (live?.streamId) events.push({ ...live, transferId });
  }
  await appendLiveEvents(client, events);
}

/**
 * The process-wide ledger with the live-events hook. Next.js loads this module
 * in more than one bundle (instrumentation, route handlers, server actions),
 * each with its own module state but all sharing the one ledger: the hook is
 * registered by name, so every copy sets the same single hook.
 */
export function getLiveLedger(): Ledger {
  const ledger = getLedger();
  // In this order: a gift's match score is read from its live event.
  ledger.setBatchHook("live-events", writeLiveEvents);
  ledger.setBatchHook("live-match", scoreMatchGifts);
  return ledger;
}

/** One tap as the browser sends it: the gift and a key made per tap (a retry reuses it). */
export const ZGiftTap = z.object({
  giftId: z.string({ error: "Choose a gift." }).max(64, "That gift does not exist."),
  clientKey: ZClientKey,
});

/** Most taps one request may carry (a streak's taps made while the previous request was in flight). */
export const MAX_TAPS_PER_REQUEST = 50;

/** Several taps in one request, each with its own key (a retry reuses them all). */
export const ZGiftTaps = z.object({
  taps: z
    .array(ZGiftTap, { error: "Send the taps as a list." })
    .min(1, "Send at least one tap.")
    .max(MAX_TAPS_PER_REQUEST, `At most ${MAX_TAPS_PER_REQUEST} taps go in one request.`)
    .refine((taps) => new Set(taps.map((t) => t.clientKey)).size === taps.length, "Each tap needs a key of its own."),
});

export type TapOutcome = { clientKey: string } & ({ ok: true; sent: GiftSent } | { ok: false; error: unknown });

/**
 * Sends a streak's taps at once: each is a gift of its own (its own key, its
 * own checks, charged once however often it is retried), and all are posted in
 * the same tick, so they go out in one ledger batch. One tap's refusal does not
 * stop the others.
 */
export async function sendGifts(
  viewer: UserProfile,
  streamId: string,
  taps: Array<{ giftId: string; clientKey: string }>,
  now = Date.now(),
): Promise<TapOutcome[]> {
  const settled = await Promise.allSettled(taps.map((tap) => sendGift(viewer, { streamId, ...tap }, now)));
  return settled.map((result, i) =>
    result.status === "fulfilled"
      ? { clientKey: taps[i]!.clientKey, ok: true, sent: result.value }
      : { clientKey: taps[i]!.clientKey, ok: false, error: result.reason },
  );
}

export interface GiftSent {
  transferId: string;
  balance: bigint;
  replayed: boolean;
}

/** Who may gift in a LIVE, as a page shows it before any tap: null, or why not (the same words sendGift refuses with). */
export function giftRefusal(viewer: Pick<UserProfile, "id" | "isAdult"> | null, creatorId: string): string | null {
  if (!viewer) return "Sign in to send gifts and chat.";
  if (!viewer.isAdult) return UNDER_AGE_GIFTS;
  if (viewer.id === creatorId) return OWN_STREAM_GIFTS;
  return null;
}

const UNDER_AGE_GIFTS = "Sending gifts is for people 18 and over.";
const OWN_STREAM_GIFTS = "This is your own LIVE: your viewers send the gifts.";

/**
 * Sends one gift: one ledger transfer (coins from the viewer, diamonds to the
 * creator), announced to everyone watching once it commits. `clientKey` is made
 * by the browser per tap, so a retried request never charges twice.
 */
export async function sendGift(viewer: UserProfile, input: { streamId: string; giftId: string; clientKey: string }, now = Date.now()): Promise<GiftSent> {
  if (!viewer.isAdult) throw new LiveError("UNDER_AGE", UNDER_AGE_GIFTS);
  const gift = findGift(input.giftId);
  if (!gift) throw new LiveError("INVALID", "That gift does not exist.");
  if (!isClientKey(input.clientKey)) throw new LiveError("INVALID", "Reload the page and try again.");
  if (!isUuid(input.streamId)) throw new LiveError("NOT_FOUND", "This stream does not exist.");
  const ledger = getLiveLedger();
  const stream = await getStreamStatus(input.streamId, now);
  if (!stream) throw new LiveError("NOT_FOUND", "This stream does not exist.");
  if (stream.status !== "LIVE") throw new LiveError("ENDED", "This LIVE has ended; gifts can no longer be sent.");
  if (stream.creatorId === viewer.id) throw new LiveError("OWN_STREAM", OWN_STREAM_GIFTS);
  checkRate(viewer.id, now);
  const frozen = await frozenRefusal(viewer.id, now);
  if (frozen) throw new LiveError("FROZEN", frozen);
  const owed = await getCoinDebtCached(ledger.pool, viewer.id, now);
  if (owed > 0n) throw new LiveError("COIN_DEBT", coinDebtMessage(owed));

  const wallet = await ledger.userAccount(viewer.id, "VIEWER_COINS");
  const creatorDiamonds = await ledger.userAccount(stream.creatorId, "CREATOR_DIAMONDS");
  const postGift = await createGiftPoster(ledger);
  try {
    const result = await postGift({
      viewerCoins: wallet.id,
      creatorDiamonds: creatorDiamonds.id,
      coins: gift.coins,
      idempotencyKey: `gift:${viewer.id}:${input.clientKey}`,
      metadata: { label: `Gift: ${gift.name}`, giftId: gift.id, streamId: input.streamId, creatorId: stream.creatorId },
      tag: {
        streamId: input.streamId,
        kind: "gift",
        userId: viewer.id,
        giftId: gift.id,
        coins: gift.coins,
        diamonds: convertCoinsToDiamonds(gift.coins).diamondsMinor,
      } satisfies NewLiveEvent,
    });
    // A replayed tap's balance is read now: the wallet may have moved since.
    const balance = result.balances?.get(wallet.id) ?? (await ledger.getBalance(wallet.id));
    return { transferId: String(result.id), balance, replayed: result.replayed };
  } catch (error) {
    if (error instanceof LedgerError && error.code === "INSUFFICIENT_FUNDS") {
      throw new LiveError("INSUFFICIENT_COINS", `You need ${gift.coins.toLocaleString("en-US")} coins to send a ${gift.name}. Recharge to continue.`);
    }
    if (error instanceof LedgerError && error.code === "IDEMPOTENCY_CONFLICT") {
      throw new LiveError("KEY_REUSED", "This tap was already used for another gift. Reload the page and try again.");
    }
    throw error;
  }
}
