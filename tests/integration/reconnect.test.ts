// Long-lived connections survive the database going away: the LISTEN bus
// reconnects by itself (however long the database refuses connections), and
// says so once when lost (with the cause) and once when back.
import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, describe, expect, test, vi } from "vitest";
import { withDatabase } from "../../lib/db/migrate";
import { createPool } from "../../lib/db/pool";
import { startEarningsFolder } from "../../lib/earnings/folder";
import { startAudience } from "../../lib/live/bots";
import { LiveBus } from "../../lib/live/bus";
import { goLive } from "../../lib/live/streams";
import { takeConsoleErrors } from "../setup/console";
import { newUser, reconcileAfterEach } from "./helpers";
import { LIVE_CHANNEL, type LiveEvent } from "../../lib/live/events";

const buses: LiveBus[] = [];

// The outages end inside each test; the audience's gifts and recharges are then reconciled.
reconcileAfterEach();

/** Refuses connections to this file's database and ends the ones open, for `ms`; then lets them in again. */
async function outage(ms: number, filter = "true"): Promise<void> {
  const database = new URL(process.env.DATABASE_URL!).pathname.slice(1);
  try {
    await admin(async (client) => {
      await client.query(`ALTER DATABASE "${database}" WITH ALLOW_CONNECTIONS false`);
      await client.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid() AND ${filter}`, [database]);
    });
    await new Promise((r) => setTimeout(r, ms));
  } finally {
    await admin((client) => client.query(`ALTER DATABASE "${database}" WITH ALLOW_CONNECTIONS true`));
  }
}
afterAll(async () => {
  await Promise.all(buses.map((b) => b.close()));
});

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: withDatabase(process.env.DATABASE_URL!, "postgres") });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function until(check: () => boolean, timeoutMs = 15_000) {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("the LISTEN bus", () => {
  test("reconnects by itself after the database refused connections for a while, and says so once each way", async () => {
    const database = new URL(process.env.DATABASE_URL!).pathname.slice(1);
    const lines: string[] = [];
    const warn = vi.spyOn(console, "warn").mockImplementation((...args: unknown[]) => void lines.push(args.map(String).join(" ")));
    const bus = new LiveBus(process.env.DATABASE_URL!, { reconnectDelayMs: { baseMs: 100, capMs: 300 } });
    buses.push(bus);
    const streamId = randomUUID();
    const events: LiveEvent[] = [];
    let lost = 0;
    await bus.subscribeBatches(
      streamId,
      (batch) => events.push(...batch),
      () => lost++,
    );
    try {
      await admin(async (client) => {
        await client.query(`ALTER DATABASE "${database}" WITH ALLOW_CONNECTIONS false`);
        await client.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND application_name LIKE 'live-bus %'", [database]);
      });
      await until(() => lost === 1);
      // Several reconnection attempts fail meanwhile.
      await new Promise((r) => setTimeout(r, 1_500));
    } finally {
      await admin((client) => client.query(`ALTER DATABASE "${database}" WITH ALLOW_CONNECTIONS true`));
    }
    // Notifications only reach a listening connection: send until one arrives.
    let n = 0;
    const start = Date.now();
    while (!events.length && Date.now() - start < 10_000) {
      await new Promise((r) => setTimeout(r, 100));
      // pg_notify needs a connection to this database: open one per try.
      const client = new pg.Client({ connectionString: process.env.DATABASE_URL! });
      await client.connect();
      await client.query(`SELECT pg_notify($1, $2)`, [LIVE_CHANNEL, JSON.stringify({ id: String(++n), streamId, kind: "chat" })]);
      await client.end();
    }
    warn.mockRestore();
    expect(events.length).toBeGreaterThan(0);
    const lostLines = lines.filter((l) => l.startsWith("live bus: LISTEN connection lost"));
    expect(lostLines, lines.join("\n")).toHaveLength(1);
    expect(lostLines[0]).toMatch(/terminat/i);
    expect(
      lines.filter((l) => l.startsWith("live bus: listening again")),
      lines.join("\n"),
    ).toHaveLength(1);
  });
});

describe("background work", () => {
  test("the simulated audience and the earnings folder survive the database going away, and say so once each way", async () => {
    const creator = await newUser("CREATOR");
    const stream = await goLive(creator, { title: "Outage", goalCoins: null });
    const audienceLog: string[] = [];
    const folderLog: string[] = [];
    const bus = new LiveBus(process.env.DATABASE_URL!);
    buses.push(bus);
    const audience = await startAudience({
      target: { streamId: stream.id },
      bots: 3,
      giftsPerMinute: 600,
      chatsPerMinute: 600,
      log: (m) => audienceLog.push(m),
      bus,
    });
    const folderPool = createPool(process.env.DATABASE_URL!, 1);
    const folder = startEarningsFolder(folderPool, { intervalMs: 50, log: (m) => folderLog.push(m) });
    const warnings: string[] = [];
    const warn = vi.spyOn(console, "warn").mockImplementation((...args: unknown[]) => void warnings.push(args.map(String).join(" ")));
    try {
      await until(() => audience.stats.gifts + audience.stats.chats >= 5);
      await outage(1_500);
      const acted = audience.stats.gifts + audience.stats.chats;
      await until(() => audience.stats.gifts + audience.stats.chats >= acted + 5 && folderLog.some((l) => l.includes("running again")));
    } finally {
      await audience.stop();
      await folder.stop();
      await folderPool.end();
      warn.mockRestore();
    }
    expect(
      audienceLog.filter((l) => l.includes("paused by a fault")),
      audienceLog.join("\n"),
    ).toHaveLength(1);
    expect(
      audienceLog.filter((l) => l.includes("acting again")),
      audienceLog.join("\n"),
    ).toHaveLength(1);
    expect(
      folderLog.filter((l) => l.includes("failed, will retry")),
      folderLog.join("\n"),
    ).toHaveLength(1);
    expect(
      folderLog.filter((l) => l.includes("running again")),
      folderLog.join("\n"),
    ).toHaveLength(1);
    // What the ledger and the payments said meanwhile: one line each, with the cause.
    // (A bot's recharge caught by the outage fails on the careful path: "transfer … failed after N attempt(s)".)
    for (const line of takeConsoleErrors()) {
      expect(line).toMatch(
        /^(ledger: a batch of \d+ failed, its callers are told to try again: |ledger: transfer \S+ failed after \d+ attempt\(s\): |payments: delivery of )[^\n]+$/,
      );
    }
  });
});
