import "server-only";
// The simulated audience's LIVE Matches: while both demo creators are live and
// free, the rival demo creator invites the demo creator every few minutes. A
// person signed in as the demo creator sees the invitation on their stream
// page and may accept or decline it; left unanswered for `answerAfterMs`, the
// simulation accepts it for them, so the demo shows a match in progress
// without anyone at the controls. Both LIVEs' bots keep gifting, so the bars
// move; the matches are ordinary matches (same code, same ledger).
import { getUserProfile, type UserProfile } from "../auth/users";
import { getLedger } from "../ledger";
import { answerMatch, inviteToMatch } from "./match";
import { LiveError } from "./streams";
import { z } from "zod";
import { getPrisma } from "../db/prisma";
import { column, queryOne } from "../db/rows";

export interface MatchmakerOptions {
  hostEmail: string;
  rivalEmail: string;
  /** Pause after a match (or a declined invitation) before the next invitation. */
  gapMs: number;
  /** How long the host has to answer before the simulation accepts for them. */
  answerAfterMs?: number;
  /** How often it looks. */
  checkMs?: number;
  log?: (message: string) => void;
}

export interface Matchmaker {
  /** Matches it started so far. */
  readonly started: number;
  stop(): Promise<void>;
}

async function profileByEmail(email: string): Promise<UserProfile | null> {
  const user = await getPrisma().user.findUnique({ where: { email }, select: { id: true } });
  return user ? getUserProfile(user.id) : null;
}

const ZHostState = z.object({ busy: column.bool, last: column.time.nullable() });

/** When the last match or invitation between anyone and the host closed, or null when it has one open. */
async function hostIdleSince(hostId: string): Promise<number | null> {
  const { busy, last } = await queryOne(
    getLedger().pool,
    ZHostState,
    `SELECT EXISTS (SELECT 1 FROM live_match_members WHERE creator_id = $1) AS busy,
            (SELECT MAX(COALESCE(ended_at, expires_at)) FROM live_matches WHERE creator_a = $1 OR creator_b = $1) AS last`,
    [hostId],
  );
  if (busy) return null;
  return last ? last.getTime() : 0;
}

export function startMatchmaker(options: MatchmakerOptions): Matchmaker {
  const log = options.log ?? (() => undefined);
  const answerAfterMs = options.answerAfterMs ?? 8_000;
  let started = 0;
  let stopped = false;
  let faulted = false;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> = Promise.resolve();

  const step = async () => {
    const [host, rival] = await Promise.all([profileByEmail(options.hostEmail), profileByEmail(options.rivalEmail)]);
    if (!host || !rival) return;
    const idle = await hostIdleSince(host.id);
    if (idle === null || Date.now() - idle < options.gapMs) return;
    let invitation;
    try {
      invitation = await inviteToMatch(rival, { opponentId: host.id });
    } catch (error) {
      // Not live, or someone is in another match: try again later.
      if (error instanceof LiveError) return;
      throw error;
    }
    await new Promise<void>((resolve) => {
      const wait = setTimeout(resolve, answerAfterMs);
      wait.unref?.();
    });
    if (stopped) return;
    try {
      await answerMatch(host, invitation.id, true);
      started++;
      log(`Simulated audience: a LIVE Match between ${rival.displayName} and ${host.displayName} has started.`);
    } catch (error) {
      // Answered meanwhile by the person at the controls, or a LIVE ended.
      if (!(error instanceof LiveError)) throw error;
    }
  };

  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = step()
        .then(
          () => {
            if (faulted) log("Simulated audience: matchmaking again.");
            faulted = false;
          },
          (error: unknown) => {
            if (!faulted) log(`Simulated audience: matchmaking paused by a fault, will keep trying: ${error instanceof Error ? error.message : String(error)}`);
            faulted = true;
          },
        )
        .finally(schedule);
    }, options.checkMs ?? 5_000);
    timer.unref?.();
  };
  schedule();

  return {
    get started() {
      return started;
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
