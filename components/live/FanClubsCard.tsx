import Link from "next/link";
import { formatCoins } from "@/lib/economy";
import type { MyFanClub } from "@/lib/live/fans";
import { fanClubStatusText } from "@/lib/live/fan-status";
import { FanBadge } from "./Badges";
import { Card } from "@/components/ui/Card";

/** The wallet's fan clubs: each club's badge, level and points, and whether the membership is about to lapse or has lapsed. */
export function FanClubsCard({ clubs }: { clubs: MyFanClub[] }) {
  return (
    <Card flow id="fan-clubs" title="Fan clubs" testId="fan-clubs">
      {clubs.length === 0 ? (
        <p className="mt-2 text-sm text-muted">
          Send a creator a Heart Me during their LIVE to join their fan club: your club badge then shows beside your name in their LIVEs.
        </p>
      ) : (
        <ul className="mt-2 divide-y divide-gray-100">
          {clubs.map((club) => (
            <li key={club.creatorId} className="py-2 text-sm" data-testid="fan-club-row">
              <div className="flex flex-wrap items-center gap-2">
                <FanBadge fan={{ club: club.club, level: club.level }} />
                <span className="font-semibold">{club.creatorName}</span>
                <span className="text-muted">
                  · level {club.level} · {formatCoins(club.points)} points
                  {club.next ? ` · ${formatCoins(club.next.pointsToGo)} to level ${club.next.level}` : ""}
                </span>
              </div>
              <p
                className={`mt-1 ${club.status.state === "active" ? "text-muted" : "font-semibold text-amber-900"}`}
                data-testid={`fan-club-${club.status.state}`}
              >
                {fanClubStatusText(club)}
                {club.status.state !== "active" && club.liveStreamId ? (
                  <>
                    {" "}
                    <Link href={`/live/${club.liveStreamId}`} className="underline">
                      {club.creatorName} is LIVE now
                    </Link>
                    .
                  </>
                ) : null}
              </p>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}
