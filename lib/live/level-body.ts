// The body of a `level` live event (a gifter reached a new level), shared by
// the server that writes it and the pages that show it, and the JSON reading
// every notice body shares.

export interface LevelUpBody {
  level: number;
}

export function levelUpBody(level: number): string {
  return JSON.stringify({ level } satisfies LevelUpBody);
}

/** A live event's body read as JSON; null when there is none or it is not JSON (not a body this app wrote: the caller shows nothing). */
export function readEventBody(body: string | null): unknown {
  try {
    return JSON.parse(body ?? "null");
  } catch {
    // Said by the caller's null: nothing to show.
    return null;
  }
}

/** The level a level-up event's body names, or null when it is not one. */
export function parseLevelUpBody(body: string | null): LevelUpBody | null {
  const value = readEventBody(body);
  const level = (value as { level?: unknown } | null)?.level;
  return typeof level === "number" && Number.isInteger(level) && level > 0 ? { level } : null;
}
