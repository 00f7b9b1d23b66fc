import { describe, expect, test } from "vitest";
import { MAX_EVENT_ID, parseEventId } from "../../../lib/live/input";
import { findUnsafeCharacter, isUuid, parseTimestampParam, unsafeCharacterMessage } from "../../../lib/validation/input";

describe("parseEventId", () => {
  test.each([
    [null, null],
    ["", null],
    ["0", 0n],
    ["42", 42n],
    ["0000000000000000042", 42n],
    ["9223372036854775807", MAX_EVENT_ID],
  ])("%j → %s", (input, expected) => {
    expect(parseEventId(input)).toEqual({ ok: true, value: expected });
  });

  test.each(["9223372036854775808", "9999999999999999999", "99999999999999999999", "-1", "+1", "1.5", "1e3", " 1", "0x10", "abc", "١٢"])(
    "%j is refused with a message",
    (input) => {
      const parsed = parseEventId(input, "after");
      expect(parsed.ok).toBe(false);
      if (!parsed.ok) expect(parsed.message).toMatch(/^after /);
    },
  );
});

describe("isUuid", () => {
  test.each([
    ["6f1c2b9e-2d1a-4c3b-9e8f-0a1b2c3d4e5f", true],
    ["6F1C2B9E-2D1A-4C3B-9E8F-0A1B2C3D4E5F", true],
    ["------------------------------------", false],
    ["6f1c2b9e2d1a4c3b9e8f0a1b2c3d4e5f", false],
    ["6f1c2b9e-2d1a-4c3b-9e8f-0a1b2c3d4e5g", false],
    ["-1", false],
    ["", false],
  ])("%j → %s", (input, expected) => {
    expect(isUuid(input)).toBe(expected);
  });
});

describe("findUnsafeCharacter", () => {
  test.each([
    ["hello world", null],
    ["emoji 🔥👋 and accents: café, 日本語", null],
    ["NUL\u0000byte", "U+0000"],
    ["tab\there", "U+0009"],
    ["line\nbreak", "U+000A"],
    ["escape\u001b[31m", "U+001B"],
    ["delete\u007f", "U+007F"],
    ["lone high \ud83d", "an unpaired surrogate"],
    ["lone high \ud83d then text", "an unpaired surrogate"],
    ["lone low \udc4b", "an unpaired surrogate"],
    ["reversed pair \udc4b\ud83d", "an unpaired surrogate"],
  ])("%j → %s", (input, expected) => {
    expect(findUnsafeCharacter(input)).toBe(expected);
  });

  test("the message names what was found", () => {
    expect(unsafeCharacterMessage("a\u0000b", "A message")).toBe(
      "A message cannot contain control characters such as line breaks, tabs or NUL (found U+0000).",
    );
    expect(unsafeCharacterMessage("fine", "A message")).toBeNull();
  });
});

describe("parseTimestampParam", () => {
  test.each([
    ["2026-01-01T00:00:00.000Z", new Date("2026-01-01T00:00:00.000Z")],
    ["1970-01-01T00:00:00.000Z", new Date(0)],
    ["-100000-01-01T00:00:00.000Z", null],
    ["+275760-09-13T00:00:00.000Z", null],
    ["1969-12-31T23:59:59.999Z", null],
    ["not a date", null],
    ["", null],
  ])("%j → %s", (input, expected) => {
    expect(parseTimestampParam(input)).toEqual(expected);
  });
  test("a list (a parameter given twice) is no date", () => expect(parseTimestampParam(["2026-01-01"])).toBeNull());
});
