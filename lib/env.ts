// Every setting the app reads from its environment, in one table: its name,
// what it means, the values it takes and its default (.env.example lists them,
// made from this table by scripts/env-example.ts). The rest of the code reads
// a setting with `setting(NAME)`, never process.env itself.
//
// - An unset or empty value (or only spaces) is the default.
// - A bad value is never replaced by the default: reading it throws a
//   SettingError that names the variable, says what it must be and shows the
//   value given, and at start-up (instrumentation.ts, scripts/start.ts) every
//   setting is checked, so a server with a bad one does not start.
// - `setting()` reads the environment on every call (tests change settings
//   between calls) and parses a value once: it keeps the last text it parsed
//   per setting. Hot paths read their settings once, where they build their
//   process-wide object (the pool, the ledger, the live bus).
//
// No "server-only" here: the scripts (npm start, operator:create) read the same
// table. Only pure modules are imported, so any bundle may include this file.
import { z } from "zod";
import { DEFAULT_WITHDRAWAL_RULES } from "./economy/conversion";
import { FAN_CLUB_RULES } from "./economy/fans";
import { WITHDRAWAL_REVIEW_THRESHOLD_CENTS } from "./economy/fraud";
import { MATCH_RULES } from "./economy/match";
import { TREASURE_RULES } from "./economy/treasure";
import { ACCOUNT_CACHE_SIZE } from "./ledger/accounts";
import { BATCHER_DEFAULTS } from "./ledger/batcher";

/** Where settings are read from: process.env, or an object of the same shape. */
export type SettingSource = Record<string, string | undefined>;

/** How a setting's text becomes its value. */
interface Kind<T> {
  /** What a value must be, for messages and .env.example: "a whole number of seconds from 5 to 3600". */
  must: string;
  /** From the text given (trimmed, unless `keepsSpaces`). */
  schema: z.ZodType<T, string>;
  /** Spaces belong to the value (secrets, passwords): the text is taken as given, and only an empty one is unset. */
  keepsSpaces?: boolean;
}

function wholeNumber(min: number, max: number, unit?: string): Kind<number> {
  return {
    must: `a whole number${unit ? ` of ${unit}` : ""} from ${min} to ${max}`,
    schema: z.string().regex(/^\d+$/).transform(Number).pipe(z.number().min(min).max(max)),
  };
}

function decimal(min: number, max: number): Kind<number> {
  return {
    must: `a number from ${min} to ${max}`,
    schema: z
      .string()
      .regex(/^\d+(\.\d+)?$/)
      .transform(Number)
      .pipe(z.number().min(min).max(max)),
  };
}

function wholeCents(min: bigint, max: bigint): Kind<bigint> {
  return {
    must: `a whole number of cents from ${min} to ${max}`,
    schema: z.string().regex(/^\d+$/).transform(BigInt).pipe(z.bigint().min(min).max(max)),
  };
}

const onOff: Kind<"on" | "off"> = { must: '"on" or "off"', schema: z.string().pipe(z.enum(["on", "off"])) };

function url(must: string, protocols: string[]): Kind<string> {
  const parses = (text: string) => {
    try {
      return protocols.includes(new URL(text).protocol);
    } catch {
      return false;
    }
  };
  return { must, schema: z.string().refine(parses) };
}

function matching(must: string, pattern: RegExp): Kind<string> {
  return { must, schema: z.string().regex(pattern) };
}

/** Any text, taken as given (a secret's rules are in lib/secrets.ts: they depend on DEMO_MODE). */
const anyText: Kind<string> = { must: "any text", schema: z.string(), keepsSpaces: true };

const email: Kind<string> = { must: "an email address", schema: z.email() };

type Group = "server" | "database" | "demo" | "live" | "ledger" | "payments" | "withdrawals" | "auth" | "loyalty";

/** The groups in the order .env.example shows them, with their headings. */
export const SETTING_GROUPS: Record<Group, string> = {
  server: "Server",
  database: "Database",
  demo: "Demo mode and the simulated audience",
  live: "LIVE streams, matches and treasure boxes",
  ledger: "Ledger",
  payments: "Payments",
  withdrawals: "Withdrawals",
  auth: "Sign-in and secrets",
  loyalty: "Loyalty (fan clubs)",
};

interface Spec<T, D extends T | undefined> {
  group: Group;
  /** One line: what the setting changes (and what unset means when there is no default). */
  meaning: string;
  kind: Kind<T>;
  /** The value when unset or empty; undefined: none (the meaning says what unset does). */
  fallback: D;
  /** How a bad value is shown in its message (DATABASE_URL: without the password). */
  shown?: (text: string) => string;
}

function spec<T, D extends T | undefined>(s: Spec<T, D>): Spec<T, D> {
  return s;
}

const MS = "milliseconds";
const HOUR_MS = 3_600_000;

export const SETTINGS = {
  PORT: spec({ group: "server", meaning: "The port npm start and npm run dev serve the app on.", kind: wholeNumber(1, 65535), fallback: 3000 }),
  HOSTNAME: spec({
    group: "server",
    meaning: "The address the production server listens on (npm start hands it to scripts/server.mjs; 0.0.0.0: every interface).",
    kind: matching("a host name or address", /^\S+$/),
    fallback: "0.0.0.0",
  }),

  DATABASE_URL: spec({
    group: "database",
    meaning: "The PostgreSQL database; unset: npm start and npm run dev run an embedded server under .data/ and give the app its URL.",
    kind: url("a postgres:// or postgresql:// URL", ["postgres:", "postgresql:"]),
    fallback: undefined,
    shown: (text) => text.replace(/\/\/[^/@]*@/, "//…@"),
  }),
  DB_POOL_SIZE: spec({
    group: "database",
    meaning: "Connections in a server process's pool for requests and the ledger.",
    kind: wholeNumber(1, 1000),
    fallback: 10,
  }),
  DB_STATEMENT_TIMEOUT_MS: spec({
    group: "database",
    meaning: "One statement's longest run time (statement_timeout).",
    kind: wholeNumber(1, HOUR_MS, MS),
    fallback: 15_000,
  }),
  DB_LOCK_TIMEOUT_MS: spec({
    group: "database",
    meaning: "One statement's longest wait for a row lock (lock_timeout).",
    kind: wholeNumber(1, HOUR_MS, MS),
    fallback: 3_000,
  }),
  DB_IDLE_IN_TRANSACTION_TIMEOUT_MS: spec({
    group: "database",
    meaning: "A session idle inside an open transaction longer than this is ended (idle_in_transaction_session_timeout).",
    kind: wholeNumber(1, HOUR_MS, MS),
    fallback: 30_000,
  }),
  DB_CONNECT_TIMEOUT_MS: spec({
    group: "database",
    meaning: "The longest wait for a free pooled connection or a new one.",
    kind: wholeNumber(1, HOUR_MS, MS),
    fallback: 5_000,
  }),
  DB_KEEPALIVE_DELAY_MS: spec({
    group: "database",
    meaning: "Idle time before TCP keepalive probes a connection.",
    kind: wholeNumber(1, HOUR_MS, MS),
    fallback: 10_000,
  }),
  DB_QUERY_TIMEOUT_MS: spec({
    group: "database",
    meaning: "A pooled query's longest wait for an answer on the client side (a server that stalls); the connection is then dropped.",
    kind: wholeNumber(1, HOUR_MS, MS),
    fallback: 20_000,
  }),
  EMBEDDED_CLUSTER: spec({
    group: "database",
    meaning: "Without DATABASE_URL: the embedded server's folder under .data/ for npm start and npm run operator:create.",
    kind: matching("1 to 63 letters, digits, '_' or '-'", /^[A-Za-z0-9_-]{1,63}$/),
    fallback: "postgres",
  }),
  EMBEDDED_DATABASE: spec({
    group: "database",
    meaning: "Without DATABASE_URL: the database npm start and npm run operator:create use on the embedded server.",
    kind: matching("1 to 63 letters, digits, '_' or '-'", /^[A-Za-z0-9_-]{1,63}$/),
    fallback: "coin_economy",
  }),

  DEMO_MODE: spec({
    group: "demo",
    meaning: "on: the demo accounts (public passwords) are seeded and may sign in; off: they may not, and both secrets must be set (32 characters or more).",
    kind: onOff,
    fallback: "on",
  }),
  SIM_AUDIENCE: spec({
    group: "demo",
    meaning:
      "The simulated audience in the server (bots that gift, chat, match and drop boxes); unset: on under npm start and npm run dev in demo mode, off otherwise.",
    kind: onOff,
    fallback: undefined,
  }),
  SIM_AUDIENCE_BOTS: spec({ group: "demo", meaning: "Bot viewers in the demo creator's LIVE.", kind: wholeNumber(1, 50), fallback: 8 }),
  SIM_AUDIENCE_GIFTS_PER_MINUTE: spec({
    group: "demo",
    meaning: "Gifts a minute the bots send in the demo LIVE (two thirds of that in the rival's).",
    kind: decimal(0, 6000),
    fallback: 40,
  }),
  SIM_AUDIENCE_CHATS_PER_MINUTE: spec({
    group: "demo",
    meaning: "Chat messages a minute the bots send in the demo LIVE (half of that in the rival's).",
    kind: decimal(0, 6000),
    fallback: 15,
  }),
  SIM_AUDIENCE_RIVAL_BOTS: spec({
    group: "demo",
    meaning: "Bot viewers in the rival demo creator's LIVE (0: none, and no simulated matches).",
    kind: wholeNumber(0, 50),
    fallback: 5,
  }),
  SIM_AUDIENCE_CREATOR: spec({
    group: "demo",
    meaning: "The creator whose LIVE the bots join and who hosts the simulated matches.",
    kind: email,
    fallback: "creator@demo.coin",
  }),
  SIM_MATCH_GAP_SECONDS: spec({
    group: "demo",
    meaning: "The wait after a simulated LIVE Match before the next invitation.",
    kind: wholeNumber(0, 86_400, "seconds"),
    fallback: 90,
  }),
  SIM_TREASURE_GAP_SECONDS: spec({
    group: "demo",
    meaning: "The wait between the bots' treasure boxes in the demo LIVE (0: none).",
    kind: wholeNumber(0, 86_400, "seconds"),
    fallback: 180,
  }),

  LIVE_INSTANCE_ID: spec({
    group: "live",
    meaning: "Names this server instance (its presence rows, its LISTEN connection's application_name); unset: made at random.",
    kind: matching("1 to 54 letters, digits, '.', ':', '_' or '-'", /^[A-Za-z0-9.:_-]{1,54}$/),
    fallback: undefined,
  }),
  LIVE_PRESENCE_HEARTBEAT_MS: spec({
    group: "live",
    meaning: "How often an instance renews its presence rows.",
    kind: wholeNumber(100, 60_000, MS),
    fallback: 2_000,
  }),
  LIVE_COALESCE_MS: spec({
    group: "live",
    meaning: "The shortest spacing of live deliveries to a connection (it grows with the audience).",
    kind: wholeNumber(0, 1_000, MS),
    fallback: 20,
  }),
  LIVE_WRITES_PER_SECOND: spec({
    group: "live",
    meaning: "Connection writes a second an instance stays under while events keep coming.",
    kind: wholeNumber(100, 10_000_000),
    fallback: 10_000,
  }),
  LIVE_SSE_CONNECTIONS_PER_CLIENT: spec({
    group: "live",
    meaning: "Live event streams one client address may hold open on an instance.",
    kind: wholeNumber(1, 1_000_000),
    fallback: 8,
  }),
  LIVE_SSE_CONNECTIONS_PER_INSTANCE: spec({
    group: "live",
    meaning: "Live event streams an instance holds open in all.",
    kind: wholeNumber(1, 1_000_000),
    fallback: 20_000,
  }),
  LIVE_MATCH_SECONDS: spec({
    group: "live",
    meaning: "A LIVE Match's length.",
    kind: wholeNumber(MATCH_RULES.minDurationSeconds, MATCH_RULES.maxDurationSeconds, "seconds"),
    fallback: MATCH_RULES.durationSeconds,
  }),
  TREASURE_MIN_SECONDS: spec({
    group: "live",
    meaning: "The shortest treasure box countdown offered (lower for tests and demos).",
    kind: wholeNumber(TREASURE_RULES.floorSeconds, TREASURE_RULES.minSeconds, "seconds"),
    fallback: TREASURE_RULES.minSeconds,
  }),

  LEDGER_BATCH_CONCURRENCY: spec({
    group: "ledger",
    meaning: "Ledger batches in flight at once per process.",
    kind: wholeNumber(1, 100),
    fallback: BATCHER_DEFAULTS.concurrency,
  }),
  LEDGER_MAX_QUEUED: spec({
    group: "ledger",
    meaning: "Transfers waiting for a ledger batch; more are refused as busy at once.",
    kind: wholeNumber(1, 10_000_000),
    fallback: BATCHER_DEFAULTS.maxQueued,
  }),
  LEDGER_QUEUE_TIMEOUT_MS: spec({
    group: "ledger",
    meaning: "A transfer's longest wait for a batch before it is refused as busy (nothing written).",
    kind: wholeNumber(1, HOUR_MS, MS),
    fallback: BATCHER_DEFAULTS.maxQueueWaitMs,
  }),
  LEDGER_BATCH_TIMEOUT_MS: spec({
    group: "ledger",
    meaning: "A batch's longest wait for PostgreSQL before its callers are told busy (a retry with the same key replays it if it commits after all).",
    kind: wholeNumber(1, HOUR_MS, MS),
    fallback: BATCHER_DEFAULTS.maxBatchMs,
  }),
  LEDGER_ACCOUNT_CACHE_SIZE: spec({
    group: "ledger",
    meaning: "Ledger accounts kept in memory per process.",
    kind: wholeNumber(1, 10_000_000),
    fallback: ACCOUNT_CACHE_SIZE,
  }),

  PAYMENT_DELIVERY_INTERVAL_MS: spec({
    group: "payments",
    meaning: "How often the payment delivery job runs.",
    kind: wholeNumber(100, HOUR_MS, MS),
    fallback: 2_000,
  }),
  CHARGEBACK_DELAY_MS: spec({
    group: "payments",
    meaning: 'How long after paying with the "charged back" test card its dispute arrives.',
    kind: wholeNumber(0, 24 * HOUR_MS, MS),
    fallback: 30_000,
  }),

  WITHDRAWAL_REVIEW_THRESHOLD_CENTS: spec({
    group: "withdrawals",
    meaning: "Net cents from which a withdrawal waits for an operator instead of being paid automatically.",
    kind: wholeCents(0n, 999_999_999_999n),
    fallback: WITHDRAWAL_REVIEW_THRESHOLD_CENTS,
  }),
  WITHDRAWAL_REVIEW_DELAY_SECONDS: spec({
    group: "withdrawals",
    meaning: "How long a withdrawal not held for review waits before it is paid automatically.",
    kind: wholeNumber(0, 86_400, "seconds"),
    fallback: DEFAULT_WITHDRAWAL_RULES.reviewDelaySeconds,
  }),

  AUTH_SECRET: spec({
    group: "auth",
    meaning: "Signs the session cookies; no default (npm start and npm run dev make one per install in .data/auth-secret).",
    kind: anyText,
    fallback: undefined,
  }),
  PAYMENT_WEBHOOK_SECRET: spec({
    group: "auth",
    meaning:
      "Signs the simulated provider's webhook events; no default outside demo mode (npm start and npm run dev make one per install in .data/webhook-secret).",
    kind: anyText,
    fallback: undefined,
  }),
  AUTH_URL: spec({
    group: "auth",
    meaning: "The site's public URL (Auth.js reads it too); an https:// one turns on HSTS.",
    kind: url("an http:// or https:// URL", ["http:", "https:"]),
    fallback: undefined,
  }),
  SIGN_IN_FAILURES_PER_ADDRESS: spec({
    group: "auth",
    meaning: "Failed sign-ins one client address may make per 15 minutes, whatever the emails.",
    kind: wholeNumber(1, 1_000_000),
    fallback: 30,
  }),
  OPERATOR_PASSWORD: spec({
    group: "auth",
    meaning: "The password npm run operator:create gives the new operator; unset: one is generated and printed once.",
    kind: anyText,
    fallback: undefined,
  }),

  FAN_CLUB_LAPSE_DAYS: spec({
    group: "loyalty",
    meaning: "Days without activity after which a fan club membership lapses.",
    kind: wholeNumber(FAN_CLUB_RULES.minLapseDays, FAN_CLUB_RULES.maxLapseDays, "days"),
    fallback: FAN_CLUB_RULES.lapseDays,
  }),
};

export type SettingName = keyof typeof SETTINGS;

type ValueOf<S> = S extends Spec<infer T, infer D> ? T | D : never;

/** Every setting's value, by name. */
export type Settings = { [K in SettingName]: ValueOf<(typeof SETTINGS)[K]> };

/** A setting with a bad value, or several: the message says each (its name, what it must be, the value given). */
export class SettingError extends RangeError {
  constructor(readonly problems: readonly string[]) {
    super(problems.join(" "));
    this.name = "SettingError";
  }
}

function unset(raw: string | undefined, kind: Kind<unknown>): raw is undefined {
  return raw === undefined || (kind.keepsSpaces ? raw === "" : raw.trim() === "");
}

/** The Zod schema of one setting: its text (or nothing) to its value, with the message for a bad one. */
function settingSchema<T, D extends T | undefined>(name: string, s: Spec<T, D>): z.ZodType<T | D, string | undefined> {
  return z
    .string()
    .optional()
    .transform((raw, ctx): T | D => {
      if (unset(raw, s.kind)) return s.fallback;
      const parsed = s.kind.schema.safeParse(s.kind.keepsSpaces ? raw : raw.trim());
      if (parsed.success) return parsed.data;
      ctx.addIssue({ code: "custom", message: `${name} must be ${s.kind.must}; it is "${s.shown ? s.shown(raw) : raw}".` });
      return z.NEVER;
    });
}

const NAMES = Object.keys(SETTINGS) as SettingName[];

const SCHEMAS = Object.fromEntries(NAMES.map((name) => [name, settingSchema(name, SETTINGS[name] as Spec<unknown, unknown>)])) as {
  [K in SettingName]: z.ZodType<Settings[K], string | undefined>;
};

/** The whole environment's schema: every setting, each with its default. */
export const SettingsSchema = z.object(SCHEMAS);

/** Each setting's default (undefined where unset means "none"). */
export const SETTING_DEFAULTS = Object.fromEntries(NAMES.map((name) => [name, SETTINGS[name].fallback])) as Settings;

/** What a setting's value must be ("a whole number of seconds from 5 to 3600"). */
export function settingMust(name: SettingName): string {
  return SETTINGS[name].kind.must;
}

const lastParsed = new Map<SettingName, { raw: string | undefined; value: unknown }>();

/**
 * The setting `name` from `source` (process.env by default): its default when
 * unset or empty. Throws a SettingError for a bad value.
 */
export function setting<K extends SettingName>(name: K, source: SettingSource = process.env): Settings[K] {
  const raw = source[name];
  const last = lastParsed.get(name);
  if (last && last.raw === raw) return last.value as Settings[K];
  const parsed = SCHEMAS[name].safeParse(raw);
  if (!parsed.success) throw new SettingError(parsed.error.issues.map((issue) => issue.message));
  lastParsed.set(name, { raw, value: parsed.data });
  return parsed.data;
}

/** What is wrong with the settings in `source`, one sentence per bad setting (empty when all are good). */
export function settingProblems(source: SettingSource = process.env): string[] {
  const parsed = SettingsSchema.safeParse(source);
  return parsed.success ? [] : parsed.error.issues.map((issue) => issue.message);
}

/**
 * At server start (instrumentation.ts): with a bad setting, says what is wrong
 * in one line and exits, instead of failing the first request that reads it.
 */
export function exitUnlessSettings(source: SettingSource = process.env): void {
  const problems = settingProblems(source);
  if (problems.length === 0) return;
  console.error(`Not starting: ${problems.join(" ")}`);
  process.exit(1);
}
