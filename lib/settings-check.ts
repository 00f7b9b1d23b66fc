// At start-up, every setting that must be a whole number within bounds is read
// once: a bad value is said in one line and stops the server, instead of
// failing the first invitation, drop or fan club read later. Called from
// instrumentation.ts (as lib/secrets.ts is for the secrets), so the Node-only
// exit stays out of the instrumentation file the build also compiles for Edge.
import { configuredFanLapseDays } from "./live/fan-settings";
import { configuredMatchSeconds } from "./live/match";
import { configuredTreasureMinSeconds } from "./live/treasure";

export function exitUnlessSettings(): void {
  try {
    configuredMatchSeconds();
    configuredFanLapseDays();
    configuredTreasureMinSeconds();
  } catch (error) {
    console.error(`Not starting: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
