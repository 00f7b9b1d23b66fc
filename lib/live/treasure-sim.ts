import "server-only";
// The simulated audience's treasure boxes. Two parts, both playing by the
// rules:
// - the dropper: while the audience's LIVE runs, a bot drops a small box every
//   few minutes (the first about 45 s after start); its coins come from the
//   bot's own wallet, recharged through the simulated payment provider when
//   short;
// - the crowd: every box in the LIVE the audience is watching, a bot's or a
//   person's, is joined by some of its bots (through joinTreasure, as watching
//   viewers) at random moments of its countdown, leaving the last seconds to
//   people. So a viewer who drops a box in the demo LIVE sees it joined and
//   won, as in a real LIVE.
// Boxes open on the treasure timer like anyone's.
import { randomUUID } from "node:crypto";
import type { UserProfile } from "../auth/users";
import { getLedger } from "../ledger";
import { PaymentError } from "../payments/intents";
import { buyBotCoins } from "./bot-wallet";
import { LiveError } from "./streams";
import { setting } from "../env";
import { currentTreasureBoxes, dropTreasure, joinTreasure } from "./treasure";

/** What the treasure sims need of an audience (lib/live/bots.ts). */
export interface TreasureAudience {
  readonly bots: readonly UserProfile[];
  /** The LIVE the bots are watching now, or null. */
  readonly watching: string | null;
}

interface SimOptions {
  audience: TreasureAudience;
  random?: () => number;
  log?: (message: string) => void;
}

export interface TreasureDropperOptions extends SimOptions {
  /** Pause between one bot's box and the next. */
  gapMs: number;
  /** Before the first box. */
  firstMs?: number;
}

export interface TreasureCrowdOptions extends SimOptions {
  /** How often the crowd looks for new boxes in its LIVE. */
  watchMs?: number;
  /** The share of the bots that join each box (at least one does). */
  joinShare?: number;
}

export interface TreasureSim {
  /** Boxes dropped, or joins made, so far. */
  readonly count: number;
  stop(): Promise<void>;
}

/** The last seconds of a countdown the crowd leaves to people. */
const LEFT_TO_PEOPLE_MS = 8_000;

/**
 * Timers that run one piece of work at a time and stop together; a failure
 * that is not a refusal (LiveError, PaymentError) is said once in the log,
 * and once more when the work succeeds again.
 */
function simTimers(what: string, log: (message: string) => void) {
  let stopped = false;
  let faulted = false;
  const timers = new Set<NodeJS.Timeout>();
  let running: Promise<void> = Promise.resolve();
  const guarded = async (work: () => Promise<void>) => {
    try {
      await work();
      if (faulted) log(`Simulated audience: ${what} again.`);
      faulted = false;
    } catch (error) {
      // Refusals (limits, a box that just opened, a LIVE that just ended) are part of the simulation.
      if (error instanceof LiveError || error instanceof PaymentError) return;
      if (!faulted) log(`Simulated audience: ${what} paused by a fault, will keep trying: ${error instanceof Error ? error.message : String(error)}`);
      faulted = true;
    }
  };
  return {
    later(ms: number, work: () => Promise<void>) {
      if (stopped) return;
      const timer = setTimeout(
        () => {
          timers.delete(timer);
          if (!stopped) running = running.then(() => guarded(work));
        },
        Math.max(0, ms),
      );
      timer.unref?.();
      timers.add(timer);
    },
    async stop() {
      stopped = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      await running;
    },
  };
}

export function startTreasureDropper(options: TreasureDropperOptions): TreasureSim {
  const random = options.random ?? Math.random;
  const log = options.log ?? (() => undefined);
  const ledger = getLedger();
  const timers = simTimers("treasure boxes", log);
  let dropped = 0;

  const ensureCoins = async (bot: UserProfile, coins: bigint) => {
    const wallet = await ledger.userAccount(bot.id, "VIEWER_COINS");
    if ((await ledger.getBalance(wallet.id)) < coins) await buyBotCoins(bot, "coins-700");
  };

  const drop = async () => {
    const streamId = options.audience.watching;
    const { bots } = options.audience;
    if (!streamId || bots.length < 2) return;
    const dropper = bots[Math.floor(random() * bots.length)]!;
    const coins = BigInt(100 + 50 * Math.floor(random() * 9)); // 100–500 coins
    const slots = 2 + Math.floor(random() * 4); // 2–5 winners
    const seconds = Math.max(setting("TREASURE_MIN_SECONDS"), 60);
    await ensureCoins(dropper, coins);
    await dropTreasure(dropper, { streamId, coins, slots, seconds, clientKey: `sim-${randomUUID()}` });
    dropped++;
    log(`Simulated audience: ${dropper.displayName} dropped a treasure box of ${coins} coins for ${slots} winners.`);
  };

  const schedule = (ms: number) =>
    timers.later(ms, async () => {
      try {
        await drop();
      } finally {
        schedule(options.gapMs);
      }
    });
  schedule(options.firstMs ?? 45_000);

  return {
    get count() {
      return dropped;
    },
    stop: () => timers.stop(),
  };
}

export function startTreasureCrowd(options: TreasureCrowdOptions): TreasureSim {
  const random = options.random ?? Math.random;
  const log = options.log ?? (() => undefined);
  const joinShare = options.joinShare ?? 0.6;
  const watchMs = options.watchMs ?? 3_000;
  const timers = simTimers("joining treasure boxes", log);
  /** Boxes whose joins are planned: each box is planned once. */
  const planned = new Set<string>();
  let joins = 0;

  const look = async () => {
    const streamId = options.audience.watching;
    if (!streamId) return;
    const boxes = await currentTreasureBoxes(streamId);
    const now = Date.now();
    for (const box of boxes) {
      if (box.status !== "OPEN" || planned.has(box.id)) continue;
      planned.add(box.id);
      const others = options.audience.bots.filter((b) => b.id !== box.dropperId);
      if (!others.length) continue;
      const chosen = others.filter(() => random() < joinShare);
      const window = Math.max(0, Date.parse(box.opensAt) - now - LEFT_TO_PEOPLE_MS);
      for (const bot of chosen.length ? chosen : [others[Math.floor(random() * others.length)]!]) {
        timers.later(500 + random() * window, async () => {
          const { joined } = await joinTreasure(bot, box.id);
          if (joined) joins++;
        });
      }
    }
    // Forget boxes no longer shown (opened a while ago): the set stays small.
    const shown = new Set(boxes.map((b) => b.id));
    for (const id of planned) if (!shown.has(id)) planned.delete(id);
  };

  const schedule = (ms: number) =>
    timers.later(ms, async () => {
      try {
        await look();
      } finally {
        schedule(watchMs);
      }
    });
  schedule(0);

  return {
    get count() {
      return joins;
    },
    stop: () => timers.stop(),
  };
}
