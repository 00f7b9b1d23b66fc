"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { action, type ActionState } from "@/lib/action";
import { setHideFromRankings } from "@/lib/live/rankings";
import { endStream, goLive, postChat, ZGoLive } from "@/lib/live/streams";
import { formText, idOf, ZTextArg } from "@/lib/validation/input";

export const sendChatAction = action({
  input: (streamId: unknown, _prev: ActionState, form: unknown) => ({ streamId, message: formText(form, "message") }),
  // Both are checked by postChat, the message first (its rules, its messages).
  args: { streamId: ZTextArg, message: z.string() },
  key: true,
  run: (user, { streamId, message }) => postChat(user, streamId, message),
});

export const goLiveAction = action({
  roles: ["CREATOR"],
  input: (_prev: ActionState, form: unknown) => ({ title: formText(form, "title"), goalCoins: formText(form, "goalCoins") }),
  form: ZGoLive,
  invalid: "Check the highlighted fields.",
  refill: ["title"],
  run: (user, stream) => goLive(user, stream),
  done: (stream) => redirect(`/live/${stream.id}`),
});

export const endStreamAction = action({
  roles: ["CREATOR", "OPERATOR"],
  input: (streamId: unknown) => ({ streamId }),
  args: { streamId: idOf("This stream does not exist.") },
  run: (user, { streamId }) => endStream(user, streamId),
  done: () => redirect("/creator"),
});

/** For a plain <form action>: ends the stream (errors surface on the creator page). */
export async function endStreamFormAction(streamId: unknown): Promise<void> {
  await endStreamAction(streamId);
}

/** The viewer's choice: appear on leaderboards by name, or as "Anonymous supporter". */
export const saveRankingPrivacyAction = action({
  input: (_prev: ActionState, form: unknown) => ({ hidden: formText(form, "hidden") || undefined }),
  args: { hidden: z.enum(["on"], { error: "Reload the page and try again." }).optional() },
  key: true,
  run: (user, { hidden }) => setHideFromRankings(user.id, hidden === "on"),
  done: (_, { hidden }) => {
    revalidatePath("/wallet");
    revalidatePath("/live", "layout");
    return {
      message: hidden ? "Done: leaderboards now show you as “Anonymous supporter”." : "Done: leaderboards now show your display name.",
      values: { hidden: hidden ? "on" : "" },
    };
  },
});
