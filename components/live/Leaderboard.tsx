import { formatCoins } from "@/lib/economy";
import type { FanBadge } from "@/lib/live/room-state";
import { BadgedName } from "./Badges";

export interface LeaderRow {
  key: string;
  name: string;
  coins: bigint;
  level?: number | null;
  fan?: FanBadge | null;
}

/** A ranked list of gifters (top 3 highlighted), or an empty state. */
export function Leaderboard({ rows, empty, testId }: { rows: LeaderRow[]; empty: string; testId?: string }) {
  if (rows.length === 0) return <p className="mt-2 text-sm text-muted">{empty}</p>;
  return (
    <ol className="mt-2 flex flex-col gap-1" data-testid={testId}>
      {rows.map((row, index) => (
        <li key={row.key} className={`flex justify-between gap-2 rounded-lg px-2 py-1 text-sm ${index < 3 ? "bg-amber-50 font-semibold" : ""}`}>
          <span className="flex min-w-0 items-center gap-1">
            <span aria-hidden="true">{index < 3 ? ["🥇", "🥈", "🥉"][index] : `${index + 1}.`}</span>
            <span className="sr-only">{`Rank ${index + 1}:`}</span>
            <BadgedName name={row.name} level={row.level} fan={row.fan} className="" />
          </span>
          <span className="whitespace-nowrap tabular-nums">
            <span aria-hidden="true">🪙</span> {formatCoins(row.coins)}
            <span className="sr-only"> coins</span>
          </span>
        </li>
      ))}
    </ol>
  );
}

/** Sorts a key → entry map into the top `limit` rows by coins. */
export function rankRows(entries: ReadonlyMap<string, { name: string; coins: bigint; level?: number | null; fan?: FanBadge | null }>, limit = 10): LeaderRow[] {
  return [...entries.entries()]
    .sort((a, b) => (b[1].coins > a[1].coins ? 1 : b[1].coins < a[1].coins ? -1 : 0))
    .slice(0, limit)
    .map(([key, entry]) => ({ key, name: entry.name, coins: entry.coins, level: entry.level ?? null, fan: entry.fan ?? null }));
}
