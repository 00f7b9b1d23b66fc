// npm run env:example: writes .env.example from the settings table in
// lib/env.ts (each setting commented out, with its default and meaning, by
// group). tests/unit/env.test.ts checks that the file matches the table.
import { writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { SETTING_DEFAULTS, SETTING_GROUPS, SETTINGS, settingMust, type SettingName } from "../lib/env";

const HEADER = [
  "# Coin Economy's settings: every environment variable the app reads, with its",
  "# default. `npm start` needs none of them; set one in the environment to change",
  "# it (e.g. `DEMO_MODE=off npm start`). Unset or empty means the default; a bad",
  "# value stops the server at start-up with one line that names it.",
  "# Written from lib/env.ts by `npm run env:example`.",
];

function shown(value: unknown): string {
  return value === undefined ? "" : String(value);
}

/** The text of .env.example. */
export function renderEnvExample(): string {
  const lines = [...HEADER];
  const names = Object.keys(SETTINGS) as SettingName[];
  for (const [group, heading] of Object.entries(SETTING_GROUPS)) {
    lines.push("", `# ── ${heading} ──`);
    for (const name of names.filter((n) => SETTINGS[n].group === group)) {
      const must = settingMust(name);
      const kind = must === "any text" ? "" : ` ${must.charAt(0).toUpperCase()}${must.slice(1)}.`;
      lines.push(`# ${SETTINGS[name].meaning}${kind}`, `# ${name}=${shown(SETTING_DEFAULTS[name])}`);
    }
  }
  return `${lines.join("\n")}\n`;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  writeFileSync(".env.example", renderEnvExample());
  console.log("Wrote .env.example.");
}
