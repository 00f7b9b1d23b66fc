// One LISTEN connection per process fans committed live events out to the
// Server-Sent-Event connections of this instance. Every instance on the same
// database hears every event, so viewers on any instance see every gift.
import pg from "pg";
import { LIVE_CHANNEL, type LiveEvent } from "./events";

type Listener = (event: LiveEvent) => void;

export class LiveBus {
  private client: pg.Client | null = null;
  private connecting: Promise<void> | null = null;
  private readonly listeners = new Map<string, Set<Listener>>();
  private readonly presence = new Map<string, number>();

  constructor(private readonly connectionString: string) {}

  private async connect(): Promise<void> {
    if (this.client) return;
    this.connecting ??= (async () => {
      const client = new pg.Client({ connectionString: this.connectionString });
      client.on("notification", (message) => {
        if (message.channel !== LIVE_CHANNEL || !message.payload) return;
        const event = JSON.parse(message.payload) as LiveEvent;
        for (const listener of this.listeners.get(event.streamId) ?? []) listener(event);
      });
      client.on("error", () => {
        // Connection lost: forget it; the next subscriber reconnects, and
        // clients catch up with Last-Event-ID.
        this.client = null;
        this.connecting = null;
      });
      await client.connect();
      await client.query(`LISTEN ${LIVE_CHANNEL}`);
      this.client = client;
    })();
    try {
      await this.connecting;
    } catch (error) {
      this.connecting = null;
      throw error;
    }
  }

  /** Subscribes to a stream's events; returns the unsubscribe function. */
  async subscribe(streamId: string, listener: Listener): Promise<() => void> {
    await this.connect();
    const set = this.listeners.get(streamId) ?? new Set<Listener>();
    set.add(listener);
    this.listeners.set(streamId, set);
    return () => {
      set.delete(listener);
      if (!set.size) this.listeners.delete(streamId);
    };
  }

  /** Viewers connected to this instance, per stream. */
  join(streamId: string): () => void {
    this.presence.set(streamId, (this.presence.get(streamId) ?? 0) + 1);
    let left = false;
    return () => {
      if (left) return;
      left = true;
      const n = (this.presence.get(streamId) ?? 1) - 1;
      if (n <= 0) this.presence.delete(streamId);
      else this.presence.set(streamId, n);
    };
  }

  viewers(streamId: string): number {
    return this.presence.get(streamId) ?? 0;
  }

  async close(): Promise<void> {
    await this.client?.end().catch(() => undefined);
    this.client = null;
    this.connecting = null;
  }
}

const globalForBus = globalThis as unknown as { liveBus?: LiveBus };

export function getLiveBus(): LiveBus {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set.");
  globalForBus.liveBus ??= new LiveBus(url);
  return globalForBus.liveBus;
}
