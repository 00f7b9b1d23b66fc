import { describe, expect, test } from "vitest";
import { ageOn, isAdultOn } from "../../../lib/auth/age";

const d = (iso: string) => new Date(`${iso}T00:00:00Z`);

describe("age", () => {
  test.each([
    ["2008-11-21", "2026-11-21", 18, true],
    ["2008-11-22", "2026-11-21", 17, false],
    ["2008-02-29", "2026-02-28", 17, false],
    ["2008-02-29", "2026-03-01", 18, true],
    ["1990-01-01", "2026-11-21", 36, true],
    ["2026-11-21", "2026-11-21", 0, false],
  ])("born %s, on %s: %i years, adult %s", (born, today, age, adult) => {
    expect(ageOn(d(born), d(today))).toBe(age);
    expect(isAdultOn(d(born), d(today))).toBe(adult);
  });
});
