// The simulated audience: bot viewers that keep a LIVE busy in the demo. They
// are ordinary accounts and use the same paths as people do — coins come only
// from recharges through the simulated payment provider (intent → card
// payment → signed webhook → ledger credit), gifts go through sendGift (rate
// limit, ledger transfer, live event), chat through postChat — so everything
// they do balances and shows up like any viewer's activity.
//
// Each bot's first gift after the audience starts is a Heart Me, which joins
// it to the creator's fan club (lib/live/fans.ts) within a minute or so of
// `npm start`; later Heart Mes (in the gift mix) renew a lapsed membership.
//
// One action at a time on a timer (exponential gaps around the configured
// rates): it never piles up work on the server it runs in, and stop() waits
// for the action under way, so nothing is left half done.
//
// While the target stream is LIVE every bot is in its audience: each one
// joins the bus presence of the stream, like an SSE viewer does, so the viewer
// count (summed over instances) and the stream's peak include them. They leave
// when the stream ends (checked every presence heartbeat) or the audience stops.
import "server-only";
import { randomBytes, randomUUID } from "node:crypto";
import { createUser, getUserProfile, type UserProfile } from "../auth/users";
import { FAN_CLUB_JOIN_GIFT, findGift, type Gift } from "../economy";
import { setting, SETTING_DEFAULTS, type SettingSource } from "../env";
import { getLedger } from "../ledger";
import { PaymentError } from "../payments/intents";
import { buyBotCoins } from "./bot-wallet";
import { getLiveBus, PRESENCE_HEARTBEAT_MS, type LiveBus } from "./bus";
import { sendGift } from "./gifting";
import { LiveError, postChat, liveStreamIdOf } from "./streams";
import { getPrisma } from "../db/prisma";

export interface AudienceOptions {
  /** A fixed stream, or whatever LIVE a creator (by email) is running now. */
  target: { streamId: string } | { creatorEmail: string };
  bots?: number;
  /** Number of the first bot account (bot-<n>@audience.sim), so two audiences can have bots of their own. */
  firstBot?: number;
  giftsPerMinute?: number;
  chatsPerMinute?: number;
  /** Coin package a bot buys when it cannot afford the gift it picked. */
  packageId?: string;
  log?: (message: string) => void;
  /** For tests: a seeded generator. */
  random?: () => number;
  /** Where the bots count as viewers (the process-wide bus by default). */
  bus?: Pick<LiveBus, "join">;
  /** How often the audience checks that its stream is still LIVE (ms). */
  presenceCheckMs?: number;
}

export interface AudienceStats {
  gifts: number;
  chats: number;
  recharges: number;
  /** Actions refused or failed (rate limit, stream ended, daily cap…); the audience keeps going. */
  skipped: number;
}

export interface Audience {
  readonly bots: readonly UserProfile[];
  readonly stats: AudienceStats;
  /** The LIVE the bots are watching now (counted as its viewers), or null. */
  readonly watching: string | null;
  stop(): Promise<void>;
}

export const AUDIENCE_DEFAULTS = {
  bots: SETTING_DEFAULTS.SIM_AUDIENCE_BOTS,
  giftsPerMinute: SETTING_DEFAULTS.SIM_AUDIENCE_GIFTS_PER_MINUTE,
  chatsPerMinute: SETTING_DEFAULTS.SIM_AUDIENCE_CHATS_PER_MINUTE,
  packageId: "coins-350",
} as const;

const NAMES = ["Mia", "Noah", "Aiko", "Lucas", "Zara", "Mateo", "Priya", "Jonas", "Lea", "Omar", "Sofia", "Kenji", "Ines", "Theo", "Nia", "Ravi"];

/** Small gifts often, bigger ones now and then (weights out of 100); nothing that needs a confirmation. */
const GIFT_WEIGHTS: Array<[string, number]> = [
  ["rose", 30],
  ["tiktok", 12],
  ["heart-me", 12],
  ["finger-heart", 16],
  ["rosa", 10],
  ["perfume", 8],
  ["doughnut", 7],
  ["hat-and-mustache", 4],
  ["money-gun", 1],
];

const CHAT_LINES = [
  "hi from the simulated audience 👋",
  "love this stream!",
  "what are we doing today?",
  "greetings from the back row",
  "this is so cozy",
  "can you say hi to me?",
  "the music is great",
  "first time here, hello!",
  "let's reach the goal 🎯",
  "🔥🔥🔥",
];

/** Addresses of the simulated viewers (operated by the platform; the fraud rules do not count them as new accounts). */
export const BOT_EMAIL_DOMAIN = "audience.sim";

/** The bot accounts (created once; they never sign in: random passwords nobody knows). */
export async function ensureBots(count: number, first = 1): Promise<UserProfile[]> {
  const bots: UserProfile[] = [];
  for (let i = first; i < first + count; i++) {
    const email = `bot-${i}@${BOT_EMAIL_DOMAIN}`;
    const find = async () => (await getPrisma().user.findUnique({ where: { email }, select: { id: true } }))?.id;
    let id = await find();
    if (!id) {
      const created = await createUser({
        email,
        displayName: `${NAMES[(i - 1) % NAMES.length]} (bot)`,
        password: randomBytes(24).toString("base64url"),
        birthDate: "1995-06-15",
        role: "VIEWER",
      });
      id = created.ok ? created.user.id : await find(); // another instance created it first
    }
    const profile = id ? await getUserProfile(id) : null;
    if (!profile) throw new Error(`Could not create the simulated viewer ${email}.`);
    bots.push(profile);
  }
  return bots;
}

export async function startAudience(options: AudienceOptions): Promise<Audience> {
  const random = options.random ?? Math.random;
  const log = options.log ?? (() => undefined);
  const giftsPerMinute = options.giftsPerMinute ?? AUDIENCE_DEFAULTS.giftsPerMinute;
  const chatsPerMinute = options.chatsPerMinute ?? AUDIENCE_DEFAULTS.chatsPerMinute;
  const perMinute = giftsPerMinute + chatsPerMinute;
  const packageId = options.packageId ?? AUDIENCE_DEFAULTS.packageId;
  const bots = await ensureBots(options.bots ?? AUDIENCE_DEFAULTS.bots, options.firstBot ?? 1);
  const stats: AudienceStats = { gifts: 0, chats: 0, recharges: 0, skipped: 0 };
  const ledger = getLedger();
  const capped = new Set<string>();
  /** Bots that sent their joining Heart Me since the audience started. */
  const hearted = new Set<string>();

  const pickGift = (): Gift => {
    let roll = random() * GIFT_WEIGHTS.reduce((n, [, w]) => n + w, 0);
    for (const [id, weight] of GIFT_WEIGHTS) {
      roll -= weight;
      if (roll < 0) return findGift(id)!;
    }
    return findGift("rose")!;
  };

  const currentStream = async (): Promise<string | null> => {
    if ("streamId" in options.target) {
      const stream = await getPrisma().stream.findFirst({ where: { id: options.target.streamId, status: "LIVE" }, select: { id: true } });
      return stream?.id ?? null;
    }
    return liveStreamIdOf(options.target.creatorEmail);
  };

  /** Buys coins like a viewer at checkout: a web package paid with the test card that succeeds. */
  const recharge = async (bot: UserProfile): Promise<void> => {
    await buyBotCoins(bot, packageId);
    stats.recharges++;
  };

  // Presence: one join per bot in the stream being watched.
  const bus = options.bus ?? getLiveBus();
  let present: { streamId: string; leave: Array<() => void> } | null = null;
  let stopped = false;
  const watch = (streamId: string | null) => {
    if (stopped) streamId = null;
    if (present?.streamId === streamId) return;
    if (present) for (const leave of present.leave) leave();
    present = streamId ? { streamId, leave: bots.map((bot) => bus.join(streamId, bot.id)) } : null;
  };
  let presenceFailing = false;
  const checkPresence = async () => {
    try {
      watch(await currentStream());
      presenceFailing = false;
    } catch (error) {
      // Keep the last known presence until the database answers again; say so once.
      if (!presenceFailing) log(`Simulated audience: could not check the stream: ${error instanceof Error ? error.message : String(error)}`);
      presenceFailing = true;
    }
  };
  let checking: Promise<void> | null = null;
  const checkPresenceOnce = () =>
    (checking ??= checkPresence().finally(() => {
      checking = null;
    }));
  await checkPresenceOnce();
  const presenceTimer = setInterval(() => void checkPresenceOnce(), options.presenceCheckMs ?? PRESENCE_HEARTBEAT_MS);
  presenceTimer.unref?.();

  const act = async (): Promise<void> => {
    const streamId = await currentStream();
    watch(streamId);
    if (!streamId) return; // nobody is live: the audience waits
    const bot = bots[Math.floor(random() * bots.length)]!;
    if (random() * perMinute < chatsPerMinute) {
      await postChat(bot, streamId, CHAT_LINES[Math.floor(random() * CHAT_LINES.length)]!);
      stats.chats++;
      return;
    }
    if (capped.has(bot.id)) return;
    const gift = hearted.has(bot.id) ? pickGift() : findGift(FAN_CLUB_JOIN_GIFT)!;
    const wallet = await ledger.userAccount(bot.id, "VIEWER_COINS");
    if ((await ledger.getBalance(wallet.id)) < gift.coins) {
      try {
        await recharge(bot);
      } catch (error) {
        if (error instanceof PaymentError && (error.code === "DAILY_CAP_EXCEEDED" || error.code === "BUDGET_EXCEEDED")) {
          capped.add(bot.id); // until the server restarts, this bot only chats
          log(`Simulated audience: ${bot.displayName} reached a recharge limit (${error.code}) and now only chats.`);
        }
        throw error;
      }
    }
    await sendGift(bot, { streamId, giftId: gift.id, clientKey: `sim-${randomUUID()}` });
    if (gift.id === FAN_CLUB_JOIN_GIFT) hearted.add(bot.id);
    stats.gifts++;
  };

  let wake: (() => void) | null = null;
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      timer.unref?.();
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  // A fault (the database restarting, say) is said once, and once when the bots act again.
  let faulted = false;
  const running = (async () => {
    while (!stopped) {
      // Exponential gaps: a Poisson stream of actions at the configured rate.
      await pause(perMinute > 0 ? (-Math.log(1 - random()) * 60_000) / perMinute : 60_000);
      if (stopped) break;
      try {
        await act();
        if (faulted) {
          faulted = false;
          log("Simulated audience: acting again.");
        }
      } catch (error) {
        stats.skipped++;
        // Refusals (rate limit, stream just ended, limits) are part of the simulation; anything else is worth a line.
        if (!(error instanceof LiveError) && !(error instanceof PaymentError) && !faulted) {
          faulted = true;
          log(`Simulated audience: paused by a fault, will keep trying: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
    }
  })();

  return {
    bots,
    stats,
    get watching() {
      return present?.streamId ?? null;
    },
    async stop() {
      stopped = true;
      clearInterval(presenceTimer);
      wake?.();
      await running;
      await checking;
      watch(null);
    },
  };
}

/**
 * `SIM_AUDIENCE=on` (npm start sets it in demo mode): bots in the demo
 * creator's LIVE and, fewer, in the rival demo creator's LIVE, in this server
 * process, until it stops; and LIVE Matches between the two every few minutes
 * (lib/live/match-sim.ts); and a bot's treasure box in the demo LIVE every
 * few minutes, while each audience's bots join the boxes in their LIVE, anyone's
 * (lib/live/treasure-sim.ts). Tunable with
 * SIM_AUDIENCE_BOTS, SIM_AUDIENCE_GIFTS_PER_MINUTE, SIM_AUDIENCE_CHATS_PER_MINUTE,
 * SIM_AUDIENCE_RIVAL_BOTS (0: none), SIM_MATCH_GAP_SECONDS and
 * SIM_TREASURE_GAP_SECONDS (0: no boxes); lib/env.ts has their bounds.
 */
export async function startAudienceFromEnv(env: SettingSource = process.env): Promise<Audience | null> {
  if (setting("SIM_AUDIENCE", env) !== "on") return null;
  const botCount = setting("SIM_AUDIENCE_BOTS", env);
  const giftsPerMinute = setting("SIM_AUDIENCE_GIFTS_PER_MINUTE", env);
  const chatsPerMinute = setting("SIM_AUDIENCE_CHATS_PER_MINUTE", env);
  const creatorEmail = setting("SIM_AUDIENCE_CREATOR", env);
  const log = (message: string) => console.log(message);
  const audience = await startAudience({
    target: { creatorEmail },
    bots: botCount,
    giftsPerMinute,
    chatsPerMinute,
    log,
  });
  console.log(`Simulated audience: ${audience.bots.length} bot viewers in the demo LIVE (SIM_AUDIENCE=off turns it off).`);
  const { startTreasureCrowd, startTreasureDropper } = await import("./treasure-sim");
  // The audience's crowd joins the treasure boxes of its LIVE, a bot's or a person's.
  const crowd = startTreasureCrowd({ audience, log });
  const stops: Array<() => Promise<void>> = [() => audience.stop(), () => crowd.stop()];
  const treasureGap = setting("SIM_TREASURE_GAP_SECONDS", env);
  if (treasureGap > 0 && audience.bots.length >= 2) {
    const dropper = startTreasureDropper({ audience, gapMs: treasureGap * 1000, log });
    stops.push(() => dropper.stop());
    console.log("Simulated audience: a bot drops a treasure box in the demo LIVE every few minutes (SIM_TREASURE_GAP_SECONDS).");
  }
  console.log("Simulated audience: bots join the treasure boxes in their LIVE, anyone's, during the countdown.");
  const rivalBots = setting("SIM_AUDIENCE_RIVAL_BOTS", env);
  if (rivalBots > 0) {
    const rival = await startAudience({
      target: { creatorEmail: RIVAL_EMAIL },
      bots: rivalBots,
      firstBot: botCount + 1,
      giftsPerMinute: (giftsPerMinute * 2) / 3,
      chatsPerMinute: chatsPerMinute / 2,
      log,
    });
    stops.push(() => rival.stop());
    const rivalCrowd = startTreasureCrowd({ audience: rival, log });
    stops.push(() => rivalCrowd.stop());
    const { startMatchmaker } = await import("./match-sim");
    const matchmaker = startMatchmaker({
      hostEmail: creatorEmail,
      rivalEmail: RIVAL_EMAIL,
      gapMs: setting("SIM_MATCH_GAP_SECONDS", env) * 1000,
      log,
    });
    stops.push(() => matchmaker.stop());
    console.log(`Simulated audience: ${rival.bots.length} bot viewers in the rival demo LIVE; a LIVE Match between the two every few minutes.`);
  }
  const stop = () => void Promise.all(stops.map((s) => s()));
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
  return audience;
}

/** The second demo creator, whose LIVE battles the demo creator's (lib/db/demo.ts). */
export const RIVAL_EMAIL = "rival@demo.coin";
