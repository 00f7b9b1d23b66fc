"use server";

import { z } from "zod";
import { action, type ActionState } from "@/lib/action";
import { getWalletBalances } from "@/lib/ledger/wallets";
import { dropTreasure, joinTreasure } from "@/lib/live/treasure";
import type { TreasureView } from "@/lib/live/treasure-view";
import { idOf, ZClientKey } from "@/lib/validation/input";

/** An answer to a treasure box action: the box as it now stands, the code of a refusal, and the person's coins after a drop. */
export type TreasureActionState = ActionState<"coins" | "slots" | "seconds"> & { box?: TreasureView; balance?: string };

/** A small whole number, typed (a number) or from a form field (digits). */
const wholeNumber = (message: string) =>
  z.union(
    [
      z.number().int().min(0).max(100_000),
      z
        .string()
        .trim()
        .regex(/^\d{1,6}$/)
        .transform(Number),
    ],
    { error: message },
  );

const ZTreasureDrop = z.object({
  coins: z
    .string({ error: "Enter the coins to put in the box." })
    .trim()
    .transform((text) => text.replaceAll(",", ""))
    .pipe(z.string().regex(/^\d{1,9}$/, "Enter the coins as a whole number.")),
  slots: wholeNumber("Enter the number of winners as a whole number."),
  seconds: wholeNumber("Choose a countdown."),
});

/** Drops a treasure box in a LIVE: { coins, slots, seconds, clientKey } (a retry with the same key drops nothing more). */
export const dropTreasureAction = action({
  input: (streamId: unknown, drop: unknown) => {
    const { coins, slots, seconds, clientKey } = typeof drop === "object" && drop !== null ? (drop as Record<string, unknown>) : {};
    return { streamId, coins, slots, seconds, clientKey };
  },
  args: { streamId: idOf("This stream does not exist."), clientKey: ZClientKey },
  form: ZTreasureDrop,
  invalid: "Check the highlighted fields.",
  run: (user, { streamId, coins, slots, seconds, clientKey }) => dropTreasure(user, { streamId, coins: BigInt(coins), slots, seconds, clientKey }),
  done: async ({ box, replayed }, _input, user) => ({
    box,
    balance: String((await getWalletBalances(user.id)).coins),
    message: replayed ? "Your treasure box is already in the LIVE." : "Your treasure box is in the LIVE!",
  }),
});

/** Joins a treasure box while its countdown runs (joining twice is joining once). */
export const joinTreasureAction = action({
  input: (boxId: unknown) => ({ boxId }),
  args: { boxId: idOf("This treasure box does not exist.") },
  run: (user, { boxId }) => joinTreasure(user, boxId),
  done: ({ box }) => ({ box, message: "You're in! Good luck when the box opens." }),
});
