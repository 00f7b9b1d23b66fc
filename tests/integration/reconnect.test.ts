// Long-lived connections survive the database going away: the LISTEN bus
// reconnects by itself (however long the database refuses connections), and
// says so once when lost (with the cause) and once when back.
import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, describe, expect, test, vi } from "vitest";
import { withDatabase } from "../../lib/db/migrate";
import { LiveBus } from "../../lib/live/bus";
import { LIVE_CHANNEL, type LiveEvent } from "../../lib/live/events";

const buses: LiveBus[] = [];
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
    await bus.subscribeBatches(streamId, (batch) => events.push(...batch), () => lost++);
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
    expect(lines.filter((l) => l.startsWith("live bus: listening again")), lines.join("\n")).toHaveLength(1);
  });
});
