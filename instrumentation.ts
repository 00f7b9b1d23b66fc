// Runs once when a server process starts (Node.js runtime only):
// - refuses to start when a setting has a bad value (lib/env.ts) or a secret
//   is missing (lib/secrets.ts);
// - the earnings folder, which folds the gifts noted in earnings_pending into the
//   creator earnings aggregates every second (lib/earnings/folder.ts);
// - the withdrawal settler, which pays withdrawals whose review delay has passed
//   (every 5 s); pages never settle or fold, they only read;
// - the payment delivery job, which retries webhook deliveries until they are
//   acknowledged and completes processing payments (every 2 s; lib/payments/deliveries.ts);
// - the fraud job, which evaluates the fraud rules into fraud_flags (every 5 s; lib/fraud/job.ts);
// - the LIVE Match timer, which ends matches whose time is up (by the database
//   clock) and lapses unanswered invitations (every 250 ms; lib/live/match.ts);
// - the fan club minutes-watched job, which credits each fan club member
//   watching their club's creator's LIVE one minute per minute, claimed by one
//   instance per minute (tried every 10 s; lib/live/fans.ts);
// - the treasure box timer, which opens boxes whose countdown has ended (by the
//   database clock) and pays their winners (every 250 ms; lib/live/treasure.ts);
// - with SIM_AUDIENCE=on (npm start and npm run dev turn it on in demo mode),
//   the simulated audience that joins the demo creator's LIVE; see lib/live/bots.ts.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  // Every setting is checked here, once: a bad value stops the server with one line saying
  // which and why, instead of failing the first request that reads it. Imported, as
  // lib/secrets.ts is, so the Node-only exit stays out of this file the build also compiles for Edge.
  const { exitUnlessSettings, setting } = await import("./lib/env");
  exitUnlessSettings();
  // The gift and live-events routes on node:http, for the production server (scripts/server.mjs).
  (await import("./lib/http/hot-routes")).registerHotRoutes();
  // No secret has a default outside demo mode: without them the server does not start.
  const { exitUnlessSecrets } = await import("./lib/secrets");
  exitUnlessSecrets();
  const [{ startEarningsFolder }, { createPool, databaseUrl }] = await Promise.all([import("./lib/earnings/folder"), import("./lib/db/pool")]);
  try {
    // On a connection of its own, so folding never takes one from requests.
    // Its timer does not keep the process alive, and a fold cut short by exit
    // rolls back: the pending gifts wait for the next fold.
    startEarningsFolder(createPool(databaseUrl(), 1), { log: (message) => console.log(message) });
  } catch (error) {
    // No database configured: pages say so.
    console.log(`Background jobs not started: ${String(error)}`);
    return;
  }
  const [{ startPeriodic }, { settleDueWithdrawals }] = await Promise.all([import("./lib/jobs/periodic"), import("./lib/withdrawals/withdrawals")]);
  // The only writer of due withdrawals' payments (pages read; they show a due one as "Being paid").
  startPeriodic("Withdrawal settler", () => settleDueWithdrawals(), { intervalMs: 5000, log: (message) => console.log(message) });
  // Fraud rules evaluated into fraud_flags (one instance at a time: an advisory lock per run).
  const { runFraudJob, FRAUD_JOB_INTERVAL_MS } = await import("./lib/fraud/job");
  startPeriodic("Fraud flags", () => runFraudJob(), { intervalMs: FRAUD_JOB_INTERVAL_MS, log: (message) => console.log(message) });
  // Matches end once, whichever instance's timer sees it first.
  const { runMatchTimers, MATCH_TIMER_MS } = await import("./lib/live/match");
  startPeriodic("LIVE Match timer", () => runMatchTimers(), { intervalMs: MATCH_TIMER_MS, log: (message) => console.log(message) });
  // Fan club minutes watched: each minute is credited once, by whichever instance claims it first.
  const [{ creditWatchMinutes, FAN_WATCH_TICK_MS }, { getLedger }] = await Promise.all([import("./lib/live/fans"), import("./lib/ledger")]);
  startPeriodic("Fan club minutes", () => creditWatchMinutes(getLedger().pool), { intervalMs: FAN_WATCH_TICK_MS, log: (message) => console.log(message) });
  // Treasure boxes open once, whichever instance's timer locks them first (and after a restart, on the first tick).
  const { runTreasureTimers, TREASURE_TIMER_MS } = await import("./lib/live/treasure");
  startPeriodic("Treasure box timer", () => runTreasureTimers(), { intervalMs: TREASURE_TIMER_MS, log: (message) => console.log(message) });
  // Webhook deliveries retried until acknowledged, and processing payments completed on time.
  const { deliverDuePayments } = await import("./lib/payments/deliveries");
  startPeriodic(
    "Payment delivery",
    async () => {
      const run = await deliverDuePayments();
      return run.completed + run.delivered;
    },
    { intervalMs: setting("PAYMENT_DELIVERY_INTERVAL_MS"), log: (message) => console.log(message) },
  );
  if (setting("SIM_AUDIENCE") !== "on") return;
  const { startAudienceFromEnv } = await import("./lib/live/bots");
  // Not awaited: the server starts serving while the bots get ready.
  void startAudienceFromEnv().catch((error: unknown) => console.log(`Simulated audience not started: ${String(error)}`));
}
