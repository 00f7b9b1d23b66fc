// Settings that are whole numbers within bounds (a match's length, a lapse
// period, a countdown): one parser, so every such setting says the same thing
// about a bad value, and an unset or empty one is its default.

export interface WholeNumberSetting {
  /** The environment variable's name, for the message. */
  name: string;
  fallback: number;
  min: number;
  max: number;
  /** What the number counts, plural ("seconds", "days"). */
  unit: string;
}

/** The setting's value from its raw text; throws a RangeError naming it for anything but a whole number within bounds. */
export function wholeNumberSetting(raw: string | undefined, setting: WholeNumberSetting): number {
  if (raw === undefined || raw.trim() === '') return setting.fallback;
  const value = Number(raw.trim());
  if (!/^\d+$/.test(raw.trim()) || value < setting.min || value > setting.max) {
    throw new RangeError(`${setting.name} must be a whole number of ${setting.unit} from ${setting.min} to ${setting.max}; it is "${raw}".`);
  }
  return value;
}
