"use server";

import { z } from "zod";
import { withUser, type ActionState } from "@/lib/auth/action";
import { getWalletBalances } from "@/lib/ledger/wallets";
import { LiveError } from "@/lib/live/streams";
import { dropTreasure, joinTreasure } from "@/lib/live/treasure";
import type { TreasureView } from "@/lib/live/treasure-view";
import { ZClientKey, ZUuid } from "@/lib/validation/input";

/** An answer to a treasure box action: the box as it now stands, the code of a refusal, and the person's coins after a drop. */
export type TreasureActionState = ActionState<"coins" | "slots" | "seconds"> & { code?: string; box?: TreasureView; balance?: string };

const RELOAD = "Reload the page and try again.";

/** A small whole number, typed (a number) or from a form field (digits). */
const wholeNumber = (message: string) =>
  z.union([z.number().int().min(0).max(100_000), z.string().trim().regex(/^\d{1,6}$/).transform(Number)], { error: message });

const ZTreasureDrop = z.object({
  coins: z
    .string({ error: "Enter the coins to put in the box." })
    .trim()
    .transform((text) => text.replaceAll(",", ""))
    .pipe(z.string().regex(/^\d{1,9}$/, "Enter the coins as a whole number.")),
  slots: wholeNumber("Enter the number of winners as a whole number."),
  seconds: wholeNumber("Choose a countdown."),
  clientKey: ZClientKey,
});

/** Runs a treasure step; a LiveError (age, freeze, coins, limits, timing…) is the person's answer, anything else is a fault. */
async function attempt(run: () => Promise<TreasureActionState>): Promise<TreasureActionState> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof LiveError) return { ok: false, code: error.code, message: error.message };
    throw error;
  }
}

/** Drops a treasure box in a LIVE: { coins, slots, seconds, clientKey } (a retry with the same key drops nothing more). */
export const dropTreasureAction = withUser(async (user, streamId: unknown, input: unknown): Promise<TreasureActionState> => {
  const stream = ZUuid.safeParse(streamId);
  if (!stream.success) return { ok: false, code: "NOT_FOUND", message: "This stream does not exist." };
  const parsed = ZTreasureDrop.safeParse(input);
  if (!parsed.success) {
    const errors = z.flattenError(parsed.error).fieldErrors;
    if (errors.clientKey) return { ok: false, code: "INVALID", message: RELOAD };
    return { ok: false, code: "INVALID", message: "Check the highlighted fields.", errors: { coins: errors.coins, slots: errors.slots, seconds: errors.seconds } };
  }
  const { coins, slots, seconds, clientKey } = parsed.data;
  return attempt(async () => {
    const { box, replayed } = await dropTreasure(user, { streamId: stream.data, coins: BigInt(coins), slots, seconds, clientKey });
    const balance = (await getWalletBalances(user.id)).coins;
    return { ok: true, box, balance: String(balance), message: replayed ? "Your treasure box is already in the LIVE." : "Your treasure box is in the LIVE!" };
  });
});

/** Joins a treasure box while its countdown runs (joining twice is joining once). */
export const joinTreasureAction = withUser(async (user, boxId: unknown): Promise<TreasureActionState> => {
  const id = ZUuid.safeParse(boxId);
  if (!id.success) return { ok: false, code: "NOT_FOUND", message: "This treasure box does not exist." };
  return attempt(async () => {
    const { box } = await joinTreasure(user, id.data);
    return { ok: true, box, message: "You're in! Good luck when the box opens." };
  });
});
