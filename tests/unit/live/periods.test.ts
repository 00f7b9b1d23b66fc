import { describe, expect, test } from "vitest";
import { startOfWeekUtc } from "../../../lib/live/periods";

describe("startOfWeekUtc: weekly rankings reset on Monday 00:00 UTC", () => {
  test.each([
    ["2026-11-23T00:00:00.000Z", "2026-11-23T00:00:00.000Z"], // Monday midnight starts a week
    ["2026-11-22T23:59:59.999Z", "2026-11-16T00:00:00.000Z"], // Sunday night is still the last week
    ["2026-11-25T13:30:00.000Z", "2026-11-23T00:00:00.000Z"], // Wednesday
    ["2027-01-01T08:00:00.000Z", "2026-12-28T00:00:00.000Z"], // across a year boundary
    ["2028-03-01T00:00:00.000Z", "2028-02-28T00:00:00.000Z"], // across a leap day
  ])("%s → %s", (now, start) => {
    expect(startOfWeekUtc(new Date(now)).toISOString()).toBe(start);
  });
});
