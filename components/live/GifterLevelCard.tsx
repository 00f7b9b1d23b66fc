import Link from "next/link";
import { formatCoins, MAX_GIFTER_LEVEL } from "@/lib/economy";
import type { GifterStanding } from "@/lib/live/levels";
import { GifterBadge } from "./Badges";
import { Card } from "@/components/ui/Card";

/** How long the wallet celebrates a level-up. */
const LEVEL_UP_SHOWN_MS = 7 * 24 * 3600 * 1000;

/** The wallet's gifter level: the badge, the way to the next level and the last level-up. */
export function GifterLevelCard({ standing, now = new Date() }: { standing: GifterStanding; now?: Date }) {
  const { level, coins, next, percent, lastLevelUp } = standing;
  const recent = lastLevelUp && now.getTime() - lastLevelUp.at.getTime() < LEVEL_UP_SHOWN_MS ? lastLevelUp : null;
  return (
    <Card
      flow
      id="gifter-level"
      title="Gifter level"
      testId="gifter-level"
      aside={level > 0 ? <GifterBadge level={level} className="text-sm leading-5" /> : null}
    >
      {recent ? (
        <p className="mt-3 rounded-lg bg-amber-50 px-3 py-2 text-sm font-semibold text-amber-950" role="status" data-testid="wallet-level-up">
          <span aria-hidden="true">🎉 </span>Level up! You reached level {recent.level} in{" "}
          <Link href={`/live/${recent.streamId}`} className="underline">
            {recent.creatorName}’s LIVE
          </Link>{" "}
          on {recent.at.toISOString().slice(0, 10)}.
        </p>
      ) : null}
      {level === 0 ? (
        <p className="mt-3 text-sm text-muted">
          Send your first gift in a LIVE to reach level 1. Your level shows beside your name in chat, on leaderboards and in LIVE Matches.
        </p>
      ) : (
        <p className="mt-2 text-sm">
          Level <span className="font-bold">{level}</span> of {MAX_GIFTER_LEVEL} · {formatCoins(coins)} coins sent in gifts
        </p>
      )}
      {next ? (
        <>
          <div
            className="mt-3 h-2.5 rounded-full bg-gray-200"
            role="progressbar"
            aria-label={`Progress to level ${next.level}`}
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={percent}
          >
            <div className="h-2.5 rounded-full bg-brand-dark" style={{ width: `${percent}%` }} />
          </div>
          <p className="mt-1 text-sm text-muted" data-testid="level-to-go">
            {formatCoins(next.coinsToGo)} more {next.coinsToGo === 1n ? "coin" : "coins"} in gifts to reach level {next.level}.
          </p>
        </>
      ) : (
        <p className="mt-2 text-sm font-semibold">The top level. Nothing left to reach.</p>
      )}
    </Card>
  );
}
