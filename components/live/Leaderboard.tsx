import { formatCoins } from "@/lib/economy";

export interface LeaderRow {
  key: string;
  name: string;
  coins: bigint;
}

/** A ranked list of gifters (top 3 highlighted), or an empty state. */
export function Leaderboard({ rows, empty, testId }: { rows: LeaderRow[]; empty: string; testId?: string }) {
  if (rows.length === 0) return <p className="mt-2 text-sm text-muted">{empty}</p>;
  return (
    <ol className="mt-2 flex flex-col gap-1" data-testid={testId}>
      {rows.map((row, index) => (
        <li key={row.key} className={`flex justify-between gap-2 rounded-lg px-2 py-1 text-sm ${index < 3 ? "bg-amber-50 font-semibold" : ""}`}>
          <span className="min-w-0 truncate">
            <span aria-hidden="true">{index < 3 ? ["🥇", "🥈", "🥉"][index] : `${index + 1}.`}</span>
            <span className="sr-only">{`Rank ${index + 1}:`}</span> {row.name}
          </span>
          <span className="tabular-nums whitespace-nowrap">
            <span aria-hidden="true">🪙</span> {formatCoins(row.coins)}
            <span className="sr-only"> coins</span>
          </span>
        </li>
      ))}
    </ol>
  );
}

/** Sorts a key → entry map into the top `limit` rows by coins. */
export function rankRows(entries: ReadonlyMap<string, { name: string; coins: bigint }>, limit = 10): LeaderRow[] {
  return [...entries.entries()]
    .sort((a, b) => (b[1].coins > a[1].coins ? 1 : b[1].coins < a[1].coins ? -1 : 0))
    .slice(0, limit)
    .map(([key, entry]) => ({ key, name: entry.name, coins: entry.coins }));
}
