"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { withUser, type ActionState } from "@/lib/auth/action";
import { setHideFromRankings } from "@/lib/live/rankings";
import { endStream, goLive, LiveError, postChat, ZGoLive } from "@/lib/live/streams";
import { formText, textArg } from "@/lib/validation/input";

export const sendChatAction = withUser(async (user, streamId: unknown, _prev: ActionState, form: unknown): Promise<ActionState> => {
  try {
    await postChat(user, textArg(streamId), formText(form, "message"));
    return { ok: true, key: crypto.randomUUID() };
  } catch (error) {
    if (error instanceof LiveError) return { ok: false, message: error.message, key: crypto.randomUUID() };
    throw error;
  }
});

export const goLiveAction = withUser(
  async (user, _prev: ActionState, form: unknown): Promise<ActionState> => {
    const parsed = ZGoLive.safeParse({ title: formText(form, "title"), goalCoins: formText(form, "goalCoins") });
    if (!parsed.success) {
      return { ok: false, message: "Check the highlighted fields.", errors: z.flattenError(parsed.error).fieldErrors, values: { title: formText(form, "title") } };
    }
    const stream = await goLive(user, parsed.data);
    redirect(`/live/${stream.id}`);
  },
  ["CREATOR"],
);

export const endStreamAction = withUser(
  async (user, streamId: unknown): Promise<ActionState> => {
    try {
      await endStream(user, textArg(streamId));
    } catch (error) {
      if (error instanceof LiveError) return { ok: false, message: error.message };
      throw error;
    }
    redirect("/creator");
  },
  ["CREATOR", "OPERATOR"],
);

/** For a plain <form action>: ends the stream (errors surface on the creator page). */
export async function endStreamFormAction(streamId: unknown): Promise<void> {
  await endStreamAction(streamId);
}

const ZRankingPrivacy = z.object({ hidden: z.enum(["on"]).optional() });

/** The viewer's choice: appear on leaderboards by name, or as "Anonymous supporter". */
export const saveRankingPrivacyAction = withUser(async (user, _prev: ActionState, form: unknown): Promise<ActionState> => {
  const parsed = ZRankingPrivacy.safeParse({ hidden: formText(form, "hidden") || undefined });
  if (!parsed.success) return { ok: false, message: "Reload the page and try again.", key: crypto.randomUUID() };
  const hidden = parsed.data.hidden === "on";
  await setHideFromRankings(user.id, hidden);
  revalidatePath("/wallet");
  revalidatePath("/live", "layout");
  return {
    ok: true,
    message: hidden ? "Done: leaderboards now show you as “Anonymous supporter”." : "Done: leaderboards now show your display name.",
    values: { hidden: hidden ? "on" : "" },
    key: crypto.randomUUID(),
  };
});
