import "server-only";
// The simulated audience's treasure boxes: while the demo creator is live, a
// bot drops a small box every few minutes (the first about a minute after
// start) and a few other bots join it during its countdown. They play by the
// rules: the box's coins come from the bot's own wallet (recharged through the
// simulated payment provider when short), joins go through joinTreasure, and
// the box opens on the treasure timer like anyone's.
import { randomUUID } from "node:crypto";
import type { UserProfile } from "../auth/users";
import { getLedger } from "../ledger";
import { confirmPayment } from "../payments/provider";
import { createRecharge, PaymentError } from "../payments/intents";
import { LiveError } from "./streams";
import { setting } from "../env";
import { dropTreasure, joinTreasure } from "./treasure";
import { liveStreamIdOf } from "./streams";

export interface TreasureDropperOptions {
  creatorEmail: string;
  bots: readonly UserProfile[];
  /** Pause between one bot's box and the next. */
  gapMs: number;
  /** Before the first box. */
  firstMs?: number;
  random?: () => number;
  log?: (message: string) => void;
}

export interface TreasureDropper {
  /** Boxes dropped so far. */
  readonly dropped: number;
  stop(): Promise<void>;
}

export function startTreasureDropper(options: TreasureDropperOptions): TreasureDropper {
  const random = options.random ?? Math.random;
  const log = options.log ?? (() => undefined);
  const ledger = getLedger();
  let dropped = 0;
  let stopped = false;
  let faulted = false;
  const timers = new Set<NodeJS.Timeout>();
  let running: Promise<void> = Promise.resolve();

  const later = (ms: number, work: () => Promise<void>) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      if (!stopped) running = running.then(work, work);
    }, ms);
    timer.unref?.();
    timers.add(timer);
  };

  const ensureCoins = async (bot: UserProfile, coins: bigint) => {
    const wallet = await ledger.userAccount(bot.id, "VIEWER_COINS");
    if ((await ledger.getBalance(wallet.id)) >= coins) return;
    const intent = await createRecharge(bot, { packageId: "coins-700", platform: "web", currency: "USD", clientKey: `sim-${randomUUID()}` });
    const paid = await confirmPayment(bot.id, intent.id, { type: "card", number: "4242 4242 4242 4242", expiry: "12/34", cvc: "123", name: bot.displayName });
    if (paid.status !== "SUCCEEDED") throw new Error(`Simulated payment ended ${paid.status}.`);
  };

  const step = async () => {
    const streamId = await liveStreamIdOf(options.creatorEmail);
    if (!streamId || options.bots.length < 2) return;
    const pick = (list: readonly UserProfile[]) => list[Math.floor(random() * list.length)]!;
    const dropper = pick(options.bots);
    const coins = BigInt(100 + 50 * Math.floor(random() * 9)); // 100–500 coins
    const slots = 2 + Math.floor(random() * 4); // 2–5 winners
    const seconds = Math.max(setting("TREASURE_MIN_SECONDS"), 60);
    await ensureCoins(dropper, coins);
    const { box } = await dropTreasure(dropper, { streamId, coins, slots, seconds, clientKey: `sim-${randomUUID()}` });
    dropped++;
    log(`Simulated audience: ${dropper.displayName} dropped a treasure box of ${coins} coins for ${slots} winners.`);
    const others = options.bots.filter((b) => b.id !== dropper.id);
    const joiners = others.filter(() => random() < 0.6);
    for (const bot of joiners.length ? joiners : [pick(others)]) {
      // Somewhere in the countdown, leaving the last seconds to people.
      later(2_000 + random() * (seconds - 10) * 1000, async () => {
        try {
          await joinTreasure(bot, box.id);
        } catch (error) {
          if (!(error instanceof LiveError)) throw error;
        }
      });
    }
  };

  const schedule = (ms: number) =>
    later(ms, async () => {
      try {
        await step();
        if (faulted) log("Simulated audience: treasure boxes again.");
        faulted = false;
      } catch (error) {
        // Refusals (limits, a LIVE that just ended) are part of the simulation; anything else is said once.
        if (!(error instanceof LiveError) && !(error instanceof PaymentError) && !faulted) {
          faulted = true;
          log(`Simulated audience: treasure boxes paused by a fault, will keep trying: ${error instanceof Error ? error.message : String(error)}`);
        }
      } finally {
        schedule(options.gapMs);
      }
    });
  schedule(options.firstMs ?? 45_000);

  return {
    get dropped() {
      return dropped;
    },
    async stop() {
      stopped = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      await running;
    },
  };
}
