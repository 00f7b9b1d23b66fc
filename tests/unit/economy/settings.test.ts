import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { wholeNumberSetting } from "../../../lib/economy/settings";

const SETTING = { name: "SOME_SECONDS", fallback: 30, min: 5, max: 60, unit: "seconds" };

describe("whole-number settings", () => {
  test("unset or empty is the default; a whole number within bounds is itself, the bounds included", () => {
    expect(wholeNumberSetting(undefined, SETTING)).toBe(30);
    expect(wholeNumberSetting("", SETTING)).toBe(30);
    expect(wholeNumberSetting("  ", SETTING)).toBe(30);
    expect(wholeNumberSetting("5", SETTING)).toBe(5);
    expect(wholeNumberSetting(" 60 ", SETTING)).toBe(60);
  });

  test("anything else is refused with the setting's name, its bounds and the value given", () => {
    for (const bad of ["4", "61", "2.5", "1e1", "-10", "ten", "0x10", "+7"]) {
      expect(() => wholeNumberSetting(bad, SETTING)).toThrow(`SOME_SECONDS must be a whole number of seconds from 5 to 60; it is "${bad}".`);
    }
    fc.assert(
      fc.property(fc.integer({ min: -1_000, max: 1_000 }), (n) => {
        const ok = n >= 5 && n <= 60;
        if (ok) expect(wholeNumberSetting(String(n), SETTING)).toBe(n);
        else expect(() => wholeNumberSetting(String(n), SETTING)).toThrow(RangeError);
      }),
    );
  });
});
