import { gifterBand } from "@/lib/economy/levels";
// The component below takes the name FanBadge; the data is the live events' fan club badge.
import type { FanBadge as FanBadgeInfo } from "@/lib/live/room-state";

// One colour per band of ten levels, as the apps do; each pairs white or
// near-black text with a background dark or light enough for 4.5:1.
const BANDS: Record<number, string> = {
  1: "bg-sky-700 text-white",
  2: "bg-emerald-700 text-white",
  3: "bg-violet-700 text-white",
  4: "bg-rose-700 text-white",
  5: "bg-amber-300 text-gray-950",
};

/** The gifter level badge ("Lv 12"); nothing before the first gift. */
export function GifterBadge({ level, className = "" }: { level: number | null | undefined; className?: string }) {
  if (!level || level < 1) return null;
  return (
    <span
      className={`inline-flex shrink-0 items-center rounded-full px-1.5 text-[0.7rem] leading-4 font-extrabold tabular-nums ${BANDS[gifterBand(level)]} ${className}`}
      data-testid="gifter-badge"
      title={`Gifter level ${level}`}
    >
      <span aria-hidden="true">Lv {level}</span>
      <span className="sr-only">Gifter level {level}</span>
    </span>
  );
}

/** A fan club badge: the club's short name and the member's fan level. */
export function FanBadge({ fan, className = "" }: { fan: FanBadgeInfo | null | undefined; className?: string }) {
  if (!fan) return null;
  return (
    <span
      className={`inline-flex shrink-0 items-center gap-0.5 rounded-full bg-pink-700 px-1.5 text-[0.7rem] leading-4 font-extrabold text-white ${className}`}
      data-testid="fan-badge"
      title={`${fan.club} fan club, level ${fan.level}`}
    >
      <span aria-hidden="true">
        ♥ {fan.club} {fan.level}
      </span>
      <span className="sr-only">
        {fan.club} fan club, level {fan.level}
      </span>
    </span>
  );
}

/** A name with the badges that go beside it. */
export function BadgedName({
  name,
  level,
  fan,
  className = "font-bold",
}: {
  name: string;
  level?: number | null;
  fan?: FanBadgeInfo | null;
  className?: string;
}) {
  return (
    <span className="inline-flex min-w-0 items-center gap-1 align-middle">
      <GifterBadge level={level} />
      <FanBadge fan={fan} />
      <span className={`min-w-0 truncate ${className}`}>{name}</span>
    </span>
  );
}
