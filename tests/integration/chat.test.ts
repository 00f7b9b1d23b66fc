import { describe, expect, test } from "vitest";
import { getLedger } from "../../lib/ledger";
import { listLiveEvents } from "../../lib/live/events";
import { CHAT_RATE_PER_SECOND, goLive, postChat } from "../../lib/live/streams";
import { newUser } from "./helpers";

const chatCount = async (streamId: string) => (await listLiveEvents(getLedger().pool, streamId, "0")).filter((e) => e.kind === "chat").length;

describe("chat", () => {
  test.each([
    ["a NUL byte", "hello\u0000world"],
    ["a line break", "hello\nworld"],
    ["an escape sequence", "\u001b[2Jgone"],
    ["DEL", "oops\u007f"],
    ["a lone surrogate", "broken \ud83d emoji"],
  ])("a message with %s is refused as INVALID and nothing is stored", async (_label, text) => {
    const creator = await newUser("CREATOR");
    const stream = await goLive(creator, { title: "Chat guards", goalCoins: null });
    const viewer = await newUser();
    const error = await postChat(viewer, stream.id, text).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "LiveError", code: "INVALID", message: expect.stringContaining("control characters") });
    expect(await chatCount(stream.id)).toBe(0);
    // The count does see a message that is stored.
    await postChat(viewer, stream.id, "hello world");
    expect(await chatCount(stream.id)).toBe(1);
  });

  test("an ordinary message with emoji is stored as sent (trimmed)", async () => {
    const creator = await newUser("CREATOR");
    const stream = await goLive(creator, { title: "Chat ok", goalCoins: null });
    await postChat(await newUser(), stream.id, "  hi 👋 café  ");
    const [event] = await listLiveEvents(getLedger().pool, stream.id, "0");
    expect(event?.body).toBe("hi 👋 café");
  });

  test.each(["not-a-uuid", "------------------------------------", "-1"])("a malformed stream id (%j) is NOT_FOUND, not a database error", async (streamId) => {
    const error = await postChat(await newUser(), streamId, "hello").catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "LiveError", code: "NOT_FOUND" });
  });

  test("messages are rate-limited per viewer; other viewers are not held back", async () => {
    const creator = await newUser("CREATOR");
    const stream = await goLive(creator, { title: "Chat rate", goalCoins: null });
    const [fast, other] = await Promise.all([newUser(), newUser()]);
    const now = Date.now();
    const results = await Promise.allSettled(Array.from({ length: CHAT_RATE_PER_SECOND + 3 }, (_, i) => postChat(fast, stream.id, `message ${i}`, now)));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(CHAT_RATE_PER_SECOND);
    expect(results.filter((r) => r.status === "rejected").map((r) => (r as PromiseRejectedResult).reason.code)).toEqual([
      "RATE_LIMITED",
      "RATE_LIMITED",
      "RATE_LIMITED",
    ]);
    await postChat(other, stream.id, "me too", now);
    await postChat(fast, stream.id, "a second later", now + 1_000);
    expect(await chatCount(stream.id)).toBe(CHAT_RATE_PER_SECOND + 2);
  });

  test("a title with a control character is refused by goLive as INVALID and no stream starts", async () => {
    const creator = await newUser("CREATOR");
    const error = await goLive(creator, { title: "Late\u0000night", goalCoins: null }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "LiveError", code: "INVALID" });
    const { rows } = await getLedger().pool.query("SELECT count(*)::int AS n FROM streams WHERE creator_id = $1", [creator.id]);
    expect(rows[0].n).toBe(0);
  });
});
