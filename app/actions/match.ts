"use server";

import { z } from "zod";
import { withUser, type ActionState } from "@/lib/auth/action";
import { answerMatch, inviteToMatch, listMatchOpponents, setMatchOptIn, withdrawInvitation } from "@/lib/live/match";
import type { MatchView } from "@/lib/live/match-view";
import { LiveError } from "@/lib/live/streams";
import { ZUuid } from "@/lib/validation/input";

/** An answer to a LIVE Match action: the match as it now stands when one changed. */
export type MatchActionState = ActionState & { match?: MatchView };

export interface MatchOpponent {
  creatorId: string;
  name: string;
  streamId: string;
  title: string;
  busy: boolean;
}

const RELOAD = "Reload the page and try again.";
const ZChoice = z.boolean({ error: RELOAD });

/** Runs a match step; a LiveError (not live, busy, lapsed…) is the person's answer, anything else is a fault. */
async function attempt(run: () => Promise<MatchActionState>): Promise<MatchActionState> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof LiveError) return { ok: false, message: error.message };
    throw error;
  }
}

/** Invites another live creator to a LIVE Match. */
export const inviteToMatchAction = withUser(
  async (user, opponentId: unknown): Promise<MatchActionState> => {
    const parsed = ZUuid.safeParse(opponentId);
    if (!parsed.success) return { ok: false, message: "That creator is not live right now. Refresh the list." };
    const opponent = parsed.data;
    return attempt(async () => {
      const match = await inviteToMatch(user, { opponentId: opponent });
      const other = match.a.creatorId === user.id ? match.b : match.a;
      return { ok: true, match, message: match.status === "ACTIVE" ? `${other.creatorName} had invited you too: the match starts now.` : `Invitation sent to ${other.creatorName}.` };
    });
  },
  ["CREATOR"],
);

/** Invites a live creator picked at random among those who accept random matches. */
export const inviteRandomToMatchAction = withUser(
  async (user): Promise<MatchActionState> =>
    attempt(async () => {
      const match = await inviteToMatch(user, { random: true });
      const other = match.a.creatorId === user.id ? match.b : match.a;
      return { ok: true, match, message: `Invitation sent to ${other.creatorName}.` };
    }),
  ["CREATOR"],
);

/** The invited creator accepts (the match starts now) or declines. */
export const answerMatchAction = withUser(
  async (user, matchId: unknown, accept: unknown): Promise<MatchActionState> => {
    const id = ZUuid.safeParse(matchId);
    if (!id.success) return { ok: false, message: "This invitation does not exist." };
    const choice = ZChoice.safeParse(accept);
    if (!choice.success) return { ok: false, message: RELOAD };
    return attempt(async () => {
      const match = await answerMatch(user, id.data, choice.data);
      return { ok: true, match, message: choice.data ? "The LIVE Match has started!" : "Invitation declined." };
    });
  },
  ["CREATOR"],
);

/** The inviting creator withdraws an invitation not yet answered. */
export const withdrawMatchInvitationAction = withUser(
  async (user, matchId: unknown): Promise<MatchActionState> => {
    const id = ZUuid.safeParse(matchId);
    if (!id.success) return { ok: false, message: "This invitation does not exist." };
    return attempt(async () => ({ ok: true, match: await withdrawInvitation(user, id.data), message: "Invitation withdrawn." }));
  },
  ["CREATOR"],
);

/** The creator's choice to accept invitations from random opponents. */
export const setMatchOptInAction = withUser(
  async (user, optIn: unknown): Promise<MatchActionState> => {
    const choice = ZChoice.safeParse(optIn);
    if (!choice.success) return { ok: false, message: RELOAD };
    return attempt(async () => {
      await setMatchOptIn(user, choice.data);
      return { ok: true, message: choice.data ? "Random opponents can now invite you." : "Random opponents will no longer be matched with you." };
    });
  },
  ["CREATOR"],
);

/** The live creators this creator could invite now. */
export const listMatchOpponentsAction = withUser(
  async (user): Promise<ActionState & { opponents?: MatchOpponent[] }> => {
    const rows = await listMatchOpponents(user.id);
    return { ok: true, opponents: rows.map((r) => ({ creatorId: r.creatorId, name: r.name, streamId: r.streamId, title: r.title, busy: r.busy })) };
  },
  ["CREATOR"],
);
