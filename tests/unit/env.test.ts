// The settings module (lib/env.ts): every setting's default, an unset or empty
// value as the default, a bad value refused with a message naming the variable
// (never replaced by the default), the start-up check, and .env.example kept
// in step with the table.
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { afterEach, describe, expect, test, vi } from "vitest";
import {
  exitUnlessSettings,
  SETTING_DEFAULTS,
  SettingError,
  settingMust,
  settingProblems,
  setting,
  SETTINGS,
  SettingsSchema,
  type SettingName,
} from "@/lib/env";
import { renderEnvExample } from "@/scripts/env-example";
import { takeConsoleErrors } from "../setup/console";

const NAMES = Object.keys(SETTINGS) as SettingName[];
/** Settings whose text is taken as given (secrets, passwords): any text is a value. */
const ANY_TEXT = NAMES.filter((name) => settingMust(name) === "any text");

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("defaults", () => {
  test("an empty environment gives every setting its default", () => {
    expect(SettingsSchema.parse({})).toEqual(SETTING_DEFAULTS);
    expect(SETTING_DEFAULTS).toMatchObject({
      PORT: 3000,
      DEMO_MODE: "on",
      DB_POOL_SIZE: 10,
      DB_LOCK_TIMEOUT_MS: 3000,
      LIVE_MATCH_SECONDS: 300,
      TREASURE_MIN_SECONDS: 60,
      FAN_CLUB_LAPSE_DAYS: 7,
      LIVE_SSE_CONNECTIONS_PER_CLIENT: 8,
      LEDGER_BATCH_CONCURRENCY: 2,
      PAYMENT_DELIVERY_INTERVAL_MS: 2000,
      CHARGEBACK_DELAY_MS: 30000,
      WITHDRAWAL_REVIEW_THRESHOLD_CENTS: 10000n,
      WITHDRAWAL_REVIEW_DELAY_SECONDS: 60,
      SIGN_IN_FAILURES_PER_ADDRESS: 30,
      SIM_AUDIENCE_CREATOR: "creator@demo.coin",
      EMBEDDED_DATABASE: "coin_economy",
    });
    for (const none of [
      "DATABASE_URL",
      "SIM_AUDIENCE",
      "LIVE_INSTANCE_ID",
      "AUTH_SECRET",
      "PAYMENT_WEBHOOK_SECRET",
      "AUTH_URL",
      "OPERATOR_PASSWORD",
    ] as const) {
      expect(setting(none, {}), none).toBeUndefined();
    }
  });

  test("an empty value is the default, for every setting; only spaces too, except where spaces are the value", () => {
    for (const name of NAMES) {
      expect(setting(name, { [name]: "" }), name).toEqual(SETTING_DEFAULTS[name]);
      if (!ANY_TEXT.includes(name)) expect(setting(name, { [name]: "   " }), name).toEqual(SETTING_DEFAULTS[name]);
    }
    expect(setting("AUTH_SECRET", { AUTH_SECRET: "  spaced  " })).toBe("  spaced  ");
  });

  test("a good value is itself, read around its spaces", () => {
    expect(setting("DB_POOL_SIZE", { DB_POOL_SIZE: "4" })).toBe(4);
    expect(setting("DEMO_MODE", { DEMO_MODE: " off " })).toBe("off");
    expect(setting("SIM_AUDIENCE_GIFTS_PER_MINUTE", { SIM_AUDIENCE_GIFTS_PER_MINUTE: "2.5" })).toBe(2.5);
    expect(setting("WITHDRAWAL_REVIEW_THRESHOLD_CENTS", { WITHDRAWAL_REVIEW_THRESHOLD_CENTS: "999999999999" })).toBe(999_999_999_999n);
    expect(setting("DATABASE_URL", { DATABASE_URL: "postgresql://app:pw@localhost:5432/coin" })).toBe("postgresql://app:pw@localhost:5432/coin");
    expect(setting("AUTH_URL", { AUTH_URL: "https://coins.example" })).toBe("https://coins.example");
    expect(setting("LIVE_INSTANCE_ID", { LIVE_INSTANCE_ID: "web-1.eu:a_b" })).toBe("web-1.eu:a_b");
  });
});

describe("a bad value is refused, never replaced by the default", () => {
  test("whole numbers: anything but one within the bounds, with the name, the bounds and the value given", () => {
    for (const bad of ["4", "61", "2.5", "1e1", "-10", "ten", "0x10", "+7"]) {
      expect(() => setting("TREASURE_MIN_SECONDS", { TREASURE_MIN_SECONDS: bad })).toThrow(
        `TREASURE_MIN_SECONDS must be a whole number of seconds from 5 to 60; it is "${bad}".`,
      );
    }
    expect(setting("TREASURE_MIN_SECONDS", { TREASURE_MIN_SECONDS: "5" })).toBe(5);
    expect(setting("TREASURE_MIN_SECONDS", { TREASURE_MIN_SECONDS: " 60 " })).toBe(60);
    fc.assert(
      fc.property(fc.integer({ min: -1_000, max: 1_000 }), (n) => {
        const source = { TREASURE_MIN_SECONDS: String(n) };
        if (n >= 5 && n <= 60) expect(setting("TREASURE_MIN_SECONDS", source)).toBe(n);
        else expect(() => setting("TREASURE_MIN_SECONDS", source)).toThrow(SettingError);
      }),
    );
  });

  test("the bounded settings of matches, treasure boxes and fan clubs", () => {
    expect(setting("LIVE_MATCH_SECONDS", { LIVE_MATCH_SECONDS: "25" })).toBe(25);
    for (const bad of ["4", "3601", "2.5", "abc", "-10"])
      expect(() => setting("LIVE_MATCH_SECONDS", { LIVE_MATCH_SECONDS: bad })).toThrow(/^LIVE_MATCH_SECONDS must be/);
    expect(setting("FAN_CLUB_LAPSE_DAYS", { FAN_CLUB_LAPSE_DAYS: "14" })).toBe(14);
    for (const bad of ["0", "366", "1.5", "-3", "seven", "1e2"]) {
      expect(() => setting("FAN_CLUB_LAPSE_DAYS", { FAN_CLUB_LAPSE_DAYS: bad })).toThrow(
        `FAN_CLUB_LAPSE_DAYS must be a whole number of days from 1 to 365; it is "${bad}".`,
      );
    }
  });

  test("each kind of value says what it must be", () => {
    const refused = (name: SettingName, value: string) => {
      try {
        setting(name, { [name]: value });
      } catch (error) {
        expect(error).toBeInstanceOf(SettingError);
        expect(error).toBeInstanceOf(RangeError);
        return (error as Error).message;
      }
      throw new Error(`${name}=${value} was accepted`);
    };
    expect(refused("LIVE_COALESCE_MS", "fast")).toBe('LIVE_COALESCE_MS must be a whole number of milliseconds from 0 to 1000; it is "fast".');
    expect(refused("DB_POOL_SIZE", "0")).toBe('DB_POOL_SIZE must be a whole number from 1 to 1000; it is "0".');
    expect(refused("SIM_AUDIENCE_GIFTS_PER_MINUTE", "1e3")).toBe('SIM_AUDIENCE_GIFTS_PER_MINUTE must be a number from 0 to 6000; it is "1e3".');
    expect(refused("SIM_AUDIENCE_GIFTS_PER_MINUTE", "6000.5")).toMatch(/^SIM_AUDIENCE_GIFTS_PER_MINUTE must be/);
    expect(refused("WITHDRAWAL_REVIEW_THRESHOLD_CENTS", "1000000000000")).toBe(
      'WITHDRAWAL_REVIEW_THRESHOLD_CENTS must be a whole number of cents from 0 to 999999999999; it is "1000000000000".',
    );
    expect(refused("WITHDRAWAL_REVIEW_THRESHOLD_CENTS", "10.50")).toMatch(/^WITHDRAWAL_REVIEW_THRESHOLD_CENTS must be/);
    for (const bad of ["yes", "OFF", "true", "0"]) expect(refused("DEMO_MODE", bad)).toBe(`DEMO_MODE must be "on" or "off"; it is "${bad}".`);
    expect(refused("SIM_AUDIENCE", "1")).toBe('SIM_AUDIENCE must be "on" or "off"; it is "1".');
    expect(refused("AUTH_URL", "ftp://coins.example")).toBe('AUTH_URL must be an http:// or https:// URL; it is "ftp://coins.example".');
    expect(refused("DATABASE_URL", "localhost:5432")).toBe('DATABASE_URL must be a postgres:// or postgresql:// URL; it is "localhost:5432".');
    expect(refused("LIVE_INSTANCE_ID", "web 1")).toMatch(/^LIVE_INSTANCE_ID must be 1 to 54 letters/);
    expect(refused("LIVE_INSTANCE_ID", "x".repeat(55))).toMatch(/^LIVE_INSTANCE_ID must be/);
    expect(refused("EMBEDDED_DATABASE", "coin economy")).toMatch(/^EMBEDDED_DATABASE must be 1 to 63 letters/);
    expect(refused("SIM_AUDIENCE_CREATOR", "creator")).toBe('SIM_AUDIENCE_CREATOR must be an email address; it is "creator".');
  });

  test("a bad DATABASE_URL is shown without its password", () => {
    const message = settingProblems({ DATABASE_URL: "mysql://app:hunter2@db.example/coin" }).join(" ");
    expect(message).toBe('DATABASE_URL must be a postgres:// or postgresql:// URL; it is "mysql://…@db.example/coin".');
    expect(message).not.toContain("hunter2");
  });

  test("every setting but the free-text ones refuses a bad value with a message that names it", () => {
    for (const name of NAMES.filter((n) => !ANY_TEXT.includes(n))) {
      expect(() => setting(name, { [name]: "not valid" }), name).toThrow(`${name} must be ${settingMust(name)}; it is "not valid".`);
    }
    expect(ANY_TEXT.sort()).toEqual(["AUTH_SECRET", "OPERATOR_PASSWORD", "PAYMENT_WEBHOOK_SECRET"]);
  });

  test("all bad settings are named at once, in the table's order", () => {
    const source = { FAN_CLUB_LAPSE_DAYS: "0", DEMO_MODE: "maybe", DB_POOL_SIZE: "many", LIVE_MATCH_SECONDS: "300" };
    const expected = [
      'DB_POOL_SIZE must be a whole number from 1 to 1000; it is "many".',
      'DEMO_MODE must be "on" or "off"; it is "maybe".',
      'FAN_CLUB_LAPSE_DAYS must be a whole number of days from 1 to 365; it is "0".',
    ];
    expect(settingProblems(source)).toEqual(expected);
    expect(settingProblems({ ...source, FAN_CLUB_LAPSE_DAYS: "30", DEMO_MODE: "off", DB_POOL_SIZE: "" })).toEqual([]);
  });
});

describe("reading", () => {
  test("process.env is read on every call, so a setting changed between calls is seen", () => {
    vi.stubEnv("CHARGEBACK_DELAY_MS", "0");
    expect(setting("CHARGEBACK_DELAY_MS")).toBe(0);
    vi.stubEnv("CHARGEBACK_DELAY_MS", "60000");
    expect(setting("CHARGEBACK_DELAY_MS")).toBe(60000);
    vi.stubEnv("CHARGEBACK_DELAY_MS", "soon");
    expect(() => setting("CHARGEBACK_DELAY_MS")).toThrow(/^CHARGEBACK_DELAY_MS must be/);
    vi.stubEnv("CHARGEBACK_DELAY_MS", "");
    expect(setting("CHARGEBACK_DELAY_MS")).toBe(30000);
  });
});

describe("the start-up check", () => {
  test("with a bad setting, says so in one line starting 'Not starting:' and exits with status 1", () => {
    const exit = vi.spyOn(process, "exit").mockImplementation((() => undefined) as never);
    exitUnlessSettings({ LIVE_COALESCE_MS: "fast", DEMO_MODE: "no" });
    const calls = [...exit.mock.calls];
    exit.mockRestore();
    expect(calls).toEqual([[1]]);
    expect(takeConsoleErrors()).toEqual([
      'Not starting: DEMO_MODE must be "on" or "off"; it is "no". LIVE_COALESCE_MS must be a whole number of milliseconds from 0 to 1000; it is "fast".',
    ]);
  });

  test("with good settings (or none), the server starts", () => {
    const exit = vi.spyOn(process, "exit").mockImplementation((() => undefined) as never);
    exitUnlessSettings({});
    exitUnlessSettings({ LIVE_COALESCE_MS: "0", DEMO_MODE: "off", AUTH_SECRET: "x" });
    const calls = [...exit.mock.calls];
    exit.mockRestore();
    expect(calls).toEqual([]);
    expect(takeConsoleErrors()).toEqual([]);
  });
});

describe(".env.example", () => {
  const text = readFileSync(path.join(import.meta.dirname, "../../.env.example"), "utf8");

  test("is what `npm run env:example` writes from the table", () => {
    expect(text).toBe(renderEnvExample());
  });

  test("lists every setting once, commented out, with its default after its meaning", () => {
    const lines = text.split("\n");
    for (const name of NAMES) {
      const at = lines.findIndex((line) => line.startsWith(`# ${name}=`));
      expect(at, name).toBeGreaterThan(0);
      const fallback = SETTING_DEFAULTS[name];
      expect(lines[at]).toBe(`# ${name}=${fallback === undefined ? "" : String(fallback)}`);
      expect(lines[at - 1]).toContain(SETTINGS[name].meaning);
    }
    const listed = lines.filter((line) => /^# [A-Z][A-Z0-9_]*=/.test(line)).map((line) => line.slice(2, line.indexOf("=")));
    expect(listed.sort()).toEqual([...NAMES].sort());
    expect(lines.every((line) => line === "" || line.startsWith("#"))).toBe(true);
  });
});

describe("one way to read a setting", () => {
  const root = path.join(import.meta.dirname, "../..");
  const files = (dir: string): string[] =>
    readdirSync(path.join(root, dir)).flatMap((entry) => {
      const relative = path.join(dir, entry);
      if (entry === "generated" || entry === "node_modules") return [];
      return statSync(path.join(root, relative)).isDirectory() ? files(relative) : /\.(ts|tsx)$/.test(entry) ? [relative] : [];
    });

  test("lib, app and components read process.env only in lib/env.ts (elsewhere at most as a parameter's default source)", () => {
    const offenders: string[] = [];
    for (const file of [...files("lib"), ...files("app"), ...files("components"), "proxy.ts", "instrumentation.ts"]) {
      if (file === path.join("lib", "env.ts")) continue;
      readFileSync(path.join(root, file), "utf8")
        .split("\n")
        .forEach((line, i) => {
          // Next's own: which runtime compiles instrumentation.ts, and the build mode (inlined by Next).
          const rest = line.replace(/: SettingSource = process\.env\b/g, "").replace(/process\.env\.(NEXT_RUNTIME|NODE_ENV)\b/g, "");
          if (rest.includes("process.env")) offenders.push(`${file}:${i + 1}: ${line.trim()}`);
        });
    }
    expect(offenders).toEqual([]);
  });
});
