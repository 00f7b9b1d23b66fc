// What a fan club membership's state says to the member, in the wallet's list
// of clubs and as a notice in the creator's LIVE: one place for the words of
// "about to lapse" and "lapsed". Pure.
import type { MyFanClub } from "./fans";

type Membership = Pick<MyFanClub, "club" | "creatorName" | "status">;

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const daysText = (days: number) => `${days} ${days === 1 ? "day" : "days"}`;

/** The wallet's line for a club: how long it lasts, a warning before it lapses, how to rejoin after. */
export function fanClubStatusText({ status, creatorName }: Membership): string {
  if (status.state === "lapsed") return `Lapsed on ${day(status.lapsedAt)} — send a Heart Me in ${creatorName}’s LIVE to rejoin.`;
  return status.state === "warning"
    ? `Lapses in ${daysText(status.daysLeft)} — watch, chat or send a gift in ${creatorName}’s LIVE to keep it.`
    : `Lapses in ${daysText(status.daysLeft)} without activity in ${creatorName}’s LIVEs.`;
}

/** The notice in the creator's LIVE before and after a membership lapses; null while it is safe. */
export function fanLapseNotice({ status, club }: Membership): string | null {
  if (status.state === "warning") return `Your ${club} fan club membership lapses in ${daysText(status.daysLeft)}: watch, chat or send a gift to keep it.`;
  if (status.state === "lapsed") return `Your ${club} fan club membership lapsed on ${day(status.lapsedAt)}: send a Heart Me to rejoin (your points are kept).`;
  return null;
}
