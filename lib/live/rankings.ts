// Weekly and all-time rankings of a creator's supporters, and the viewer's
// choice to appear in rankings by name or as ANONYMOUS_NAME.
import "server-only";
import { getLedger } from "../ledger";
import { startOfWeekUtc } from "./periods";
import { topGifters, type RankedGifter } from "./streams";
import { getPrisma } from "../db/prisma";

export interface CreatorRankings {
  /** Monday 00:00 UTC of the current week. */
  weekStart: Date;
  /** Since weekStart: the calendar week (earnings' "last 7 days" is a rolling window instead). */
  thisWeek: RankedGifter[];
  allTime: RankedGifter[];
}

/** A creator's top gifters by coins this week and all time (opt-outs anonymous). */
export async function getCreatorRankings(
  creatorId: string,
  { now = new Date(), saltStreamId, limit = 10 }: { now?: Date; saltStreamId?: string; limit?: number } = {},
): Promise<CreatorRankings> {
  const weekStart = startOfWeekUtc(now);
  const [thisWeek, allTime] = await Promise.all([
    topGifters({ creatorId, since: weekStart }, { limit, saltStreamId }),
    topGifters({ creatorId, since: null }, { limit, saltStreamId }),
  ]);
  return { weekStart, thisWeek, allTime };
}

/** Whether the viewer is hidden from leaderboards (shown as ANONYMOUS_NAME). */
export async function getHideFromRankings(userId: string): Promise<boolean> {
  const user = await getPrisma().user.findUnique({ where: { id: userId }, select: { hideFromRankings: true } });
  return user?.hideFromRankings ?? false;
}

/**
 * Opts the viewer out of (or back into) rankings by name. It applies at once
 * and to the past too: every leaderboard, replay and live event reads the
 * setting when it is shown, not when the gift was sent.
 */
export async function setHideFromRankings(userId: string, hidden: boolean): Promise<void> {
  await getLedger().pool.query("UPDATE users SET hide_from_rankings = $2 WHERE id = $1", [userId, hidden]);
}
