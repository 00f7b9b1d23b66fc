// Runs once when a server process starts. With SIM_AUDIENCE=on (npm start and
// npm run dev turn it on in demo mode) the simulated audience joins the demo
// creator's LIVE from inside this process; see lib/live/bots.ts.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs" || process.env.SIM_AUDIENCE !== "on") return;
  const { startAudienceFromEnv } = await import("./lib/live/bots");
  // Not awaited: the server starts serving while the bots get ready.
  void startAudienceFromEnv().catch((error: unknown) => console.log(`Simulated audience not started: ${String(error)}`));
}
