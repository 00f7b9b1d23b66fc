// The body of a `level` live event (a gifter reached a new level), shared by
// the server that writes it and the pages that show it.

export interface LevelUpBody {
  level: number;
}

export function levelUpBody(level: number): string {
  return JSON.stringify({ level } satisfies LevelUpBody);
}

/** The level a level-up event's body names, or null when it is not one. */
export function parseLevelUpBody(body: string | null): LevelUpBody | null {
  let value: unknown;
  try {
    value = JSON.parse(body ?? "null");
  } catch {
    // Not JSON: not a body this app wrote; the caller shows nothing.
    return null;
  }
  const level = (value as { level?: unknown } | null)?.level;
  return typeof level === "number" && Number.isInteger(level) && level > 0 ? { level } : null;
}
