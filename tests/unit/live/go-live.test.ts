import { describe, expect, test } from "vitest";
import { z } from "zod";
import { ZGoLive } from "../../../lib/live/streams";

describe("ZGoLive", () => {
  test.each([
    ["Friday \u0000 stream", "U+0000"],
    ["Friday\nstream", "U+000A"],
    ["Friday \u007f stream", "U+007F"],
    ["Friday \ud83d stream", "an unpaired surrogate"],
  ])("a title with a control character (%j) is a field error, not a database error", (title, found) => {
    const parsed = ZGoLive.safeParse({ title, goalCoins: "" });
    expect(parsed.success).toBe(false);
    if (!parsed.success) expect(z.flattenError(parsed.error).fieldErrors.title).toEqual([expect.stringContaining(`(found ${found})`)]);
  });

  test("an ordinary title with emoji passes, trimmed", () => {
    expect(ZGoLive.parse({ title: "  Cozy night 🔥  ", goalCoins: "100" })).toEqual({ title: "Cozy night 🔥", goalCoins: 100n });
  });
});
