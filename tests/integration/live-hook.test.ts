// Next.js loads lib/live/gifting.ts in more than one bundle, and every copy
// shares the process-wide ledger. One gift must still write one live event, on
// the ledger's fast path.
import { randomUUID } from "node:crypto";
import { describe, expect, test, vi } from "vitest";
import { getLedger } from "../../lib/ledger";
import { goLive } from "../../lib/live/streams";
import { grant, newUser, reconcileAfterEach } from "./helpers";

reconcileAfterEach();

describe("the live-events batch hook", () => {
  test("two copies of the gifting module: one gift writes one transfer and one live event, on the fast path", async () => {
    const first = await import("../../lib/live/gifting");
    vi.resetModules();
    const second = await import("../../lib/live/gifting");
    expect(second).not.toBe(first);
    expect(first.getLiveLedger()).toBe(second.getLiveLedger());

    const creator = await newUser("CREATOR");
    const stream = await goLive(creator, { title: "Two bundles", goalCoins: null });
    const viewer = await newUser();
    await grant(viewer, 100n);
    const before = getLedger().stats();

    const sent = [
      await first.sendGift(viewer, { streamId: stream.id, giftId: "rose", clientKey: randomUUID() }),
      await second.sendGift(viewer, { streamId: stream.id, giftId: "finger-heart", clientKey: randomUUID() }),
    ];
    expect(sent.map((s) => s.balance)).toEqual([99n, 94n]);

    const { rows } = await getLedger().pool.query("SELECT transfer_id, gift_id FROM live_events WHERE stream_id = $1 AND kind = 'gift' ORDER BY id", [
      stream.id,
    ]);
    expect(rows.map((r) => [String(r.transfer_id), r.gift_id])).toEqual([
      [sent[0]!.transferId, "rose"],
      [sent[1]!.transferId, "finger-heart"],
    ]);
    const after = getLedger().stats();
    expect(after.fastTransfers - before.fastTransfers).toBe(2);
    expect(after.carefulTransfers - before.carefulTransfers).toBe(0);
    expect(after.fallbacks.error - before.fallbacks.error).toBe(0);
    expect(after.failures - before.failures).toBe(0);
  });

  test("a retried tap (same key) is replayed on the careful path, charges once and writes no second event", async () => {
    const { sendGift } = await import("../../lib/live/gifting");
    const creator = await newUser("CREATOR");
    const stream = await goLive(creator, { title: "Retries", goalCoins: null });
    const viewer = await newUser();
    await grant(viewer, 10n);
    const clientKey = randomUUID();
    const before = getLedger().stats();
    const a = await sendGift(viewer, { streamId: stream.id, giftId: "finger-heart", clientKey });
    const b = await sendGift(viewer, { streamId: stream.id, giftId: "finger-heart", clientKey }, Date.now() + 1000);
    expect(b).toMatchObject({ transferId: a.transferId, replayed: true, balance: 5n });
    const { rows } = await getLedger().pool.query("SELECT count(*)::int AS n FROM live_events WHERE stream_id = $1", [stream.id]);
    expect(rows[0].n).toBe(1);
    const after = getLedger().stats();
    expect(after.fallbacks.replayedKey - before.fallbacks.replayedKey).toBe(1);
    expect(after.fallbacks.error - before.fallbacks.error).toBe(0);
  });
});
