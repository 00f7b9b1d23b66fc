"use server";

import { z } from "zod";
import { action, type ActionState } from "@/lib/action";
import { answerMatch, inviteToMatch, listMatchOpponents, setMatchOptIn, withdrawInvitation } from "@/lib/live/match";
import type { MatchView } from "@/lib/live/match-view";
import { idOf } from "@/lib/validation/input";

/** An answer to a LIVE Match action: the match as it now stands when one changed. */
export type MatchActionState = ActionState & { match?: MatchView };

export interface MatchOpponent {
  creatorId: string;
  name: string;
  streamId: string;
  title: string;
  busy: boolean;
}

const ZChoice = z.boolean({ error: "Reload the page and try again." });
const ZInvitation = idOf("This invitation does not exist.");

/** The other creator of a match this creator is in. */
const otherSide = (match: MatchView, creatorId: string) => (match.a.creatorId === creatorId ? match.b : match.a);

/** Invites another live creator to a LIVE Match. */
export const inviteToMatchAction = action({
  roles: ["CREATOR"],
  input: (opponentId: unknown) => ({ opponentId }),
  args: { opponentId: idOf("That creator is not live right now. Refresh the list.") },
  run: (user, { opponentId }) => inviteToMatch(user, { opponentId }),
  done: (match, _input, user) => {
    const other = otherSide(match, user.id);
    return {
      match,
      message: match.status === "ACTIVE" ? `${other.creatorName} had invited you too: the match starts now.` : `Invitation sent to ${other.creatorName}.`,
    };
  },
});

/** Invites a live creator picked at random among those who accept random matches. */
export const inviteRandomToMatchAction = action({
  roles: ["CREATOR"],
  run: (user) => inviteToMatch(user, { random: true }),
  done: (match, _input, user) => ({ match, message: `Invitation sent to ${otherSide(match, user.id).creatorName}.` }),
});

/** The invited creator accepts (the match starts now) or declines. */
export const answerMatchAction = action({
  roles: ["CREATOR"],
  input: (matchId: unknown, accept: unknown) => ({ matchId, accept }),
  args: { matchId: ZInvitation, accept: ZChoice },
  run: (user, { matchId, accept }) => answerMatch(user, matchId, accept),
  done: (match, { accept }) => ({ match, message: accept ? "The LIVE Match has started!" : "Invitation declined." }),
});

/** The inviting creator withdraws an invitation not yet answered. */
export const withdrawMatchInvitationAction = action({
  roles: ["CREATOR"],
  input: (matchId: unknown) => ({ matchId }),
  args: { matchId: ZInvitation },
  run: (user, { matchId }) => withdrawInvitation(user, matchId),
  done: (match) => ({ match, message: "Invitation withdrawn." }),
});

/** The creator's choice to accept invitations from random opponents. */
export const setMatchOptInAction = action({
  roles: ["CREATOR"],
  input: (optIn: unknown) => ({ optIn }),
  args: { optIn: ZChoice },
  run: (user, { optIn }) => setMatchOptIn(user, optIn),
  done: (_, { optIn }) => ({ message: optIn ? "Random opponents can now invite you." : "Random opponents will no longer be matched with you." }),
});

/** The live creators this creator could invite now. */
export const listMatchOpponentsAction = action({
  roles: ["CREATOR"],
  run: (user) => listMatchOpponents(user.id),
  done: (rows) => ({
    opponents: rows.map((r): MatchOpponent => ({ creatorId: r.creatorId, name: r.name, streamId: r.streamId, title: r.title, busy: r.busy })),
  }),
});
