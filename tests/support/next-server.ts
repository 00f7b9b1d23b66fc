// The real production server for tests and benchmarks, started the way
// `npm start` (scripts/start.ts) starts it: a migrated and demo-seeded database,
// a production build (`next build`, made here when there is none or when it is
// older than the sources), then the production server (scripts/server.mjs -p
// <port>, what npm start runs) with DATABASE_URL,
// AUTH_SECRET, PAYMENT_WEBHOOK_SECRET, AUTH_TRUST_HOST=true, NODE_ENV=production, SIM_AUDIENCE and
// DEMO_MODE. What the server prints is kept, to be shown when something fails.
//
// Also signs users in over HTTP the way a browser does with Auth.js v5
// credentials: GET /api/auth/csrf, then a form POST to
// /api/auth/callback/credentials, keeping the session cookie.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import { createPool } from "../../lib/db/pool";
import { migrate } from "../../lib/db/migrate";
import { seedDemoData } from "../../lib/db/seed";

const ROOT = path.resolve(import.meta.dirname, "../..");
const NEXT_BIN = path.join(ROOT, "node_modules/next/dist/bin/next");
/** What npm start runs: Next's request handler with the hot routes on node:http. */
const SERVER_SCRIPT = path.join(ROOT, "scripts/server.mjs");
const BUILD_ID = path.join(ROOT, ".next/BUILD_ID");
/** Ports for servers started here (others on the machine use 3000–3499). */
const PORT_RANGE = { first: 3500, last: 3599 };
const MAX_LOG_LINES = 2_000;

/** Sources a production build is made from: a build older than any of them is stale. */
const SOURCES = [
  "app",
  "components",
  "lib",
  "public",
  "instrumentation.ts",
  "proxy.ts",
  "next.config.ts",
  "postcss.config.mjs",
  "tsconfig.json",
  "package.json",
];

export type BuildPolicy = "if-missing" | "if-stale" | "always";

function newestMtime(target: string): number {
  if (!existsSync(target)) return 0;
  const stat = statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(target)) newest = Math.max(newest, newestMtime(path.join(target, entry)));
  return newest;
}

/** Why the build must be (re)made under `policy`, or null when the one in .next/ will do. */
export function buildNeeded(policy: BuildPolicy): string | null {
  if (policy === "always") return "a fresh build was asked for";
  if (!existsSync(BUILD_ID)) return "there is no production build (.next/BUILD_ID)";
  if (policy === "if-missing") return null;
  const built = statSync(BUILD_ID).mtimeMs;
  const changed = SOURCES.find((source) => newestMtime(path.join(ROOT, source)) > built);
  return changed ? `${changed} changed after the last build` : null;
}

let building: Promise<void> | null = null;

/** Held (a directory, made atomically) by the one process building; test files run in several. */
const BUILD_LOCK = path.join(ROOT, ".next-build.lock");

function lockHolderAlive(): boolean {
  try {
    const pid = Number(readFileSync(path.join(BUILD_LOCK, "pid"), "utf8"));
    process.kill(pid, 0);
    return true;
  } catch {
    return false; // no pid written (yet, or ever), or that process is gone
  }
}

/** Runs `build` holding the build lock; if another process holds it, waits for it instead and builds only if still needed. */
async function withBuildLock(stillNeeded: () => boolean, build: () => Promise<void>, log: (line: string) => void): Promise<void> {
  for (let waited = 0; ; waited += 500) {
    try {
      mkdirSync(BUILD_LOCK);
    } catch {
      if (waited === 0) log("next build: another test process is building; waiting for it…");
      // A lock left by a process that died (and is older than a moment) is taken over.
      if (waited >= 2_000 && !lockHolderAlive()) rmSync(BUILD_LOCK, { recursive: true, force: true });
      await new Promise((resolve) => setTimeout(resolve, 500));
      continue;
    }
    try {
      writeFileSync(path.join(BUILD_LOCK, "pid"), String(process.pid));
      if (stillNeeded()) await build();
      return;
    } finally {
      rmSync(BUILD_LOCK, { recursive: true, force: true });
    }
  }
}

/**
 * Makes the production build `next start` serves, once per process and one
 * process at a time, when `policy` says the one in .next/ will not do. Build
 * output goes to `log` (and is part of the error when the build fails).
 */
export function ensureProductionBuild(policy: BuildPolicy = "if-stale", log: (line: string) => void = (line) => console.log(line)): Promise<void> {
  const reason = buildNeeded(policy);
  if (!reason) return Promise.resolve();
  let waited = false;
  building ??= withBuildLock(
    // After waiting for another process's build, the staleness rule decides ("always" asked for one fresh build, not one each).
    () => (waited ? buildNeeded(policy === "always" ? "if-stale" : policy) !== null : true),
    () => runBuild(reason, log),
    (line) => {
      waited = true;
      log(line);
    },
  ).finally(() => {
    building = null;
  });
  return building;
}

function runBuild(reason: string, log: (line: string) => void): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    log(`next build: ${reason} (takes about a minute)…`);
    const started = Date.now();
    const output: string[] = [];
    const child = spawn(process.execPath, [NEXT_BIN, "build"], {
      cwd: ROOT,
      env: { ...process.env, NODE_ENV: "production" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const keep = (chunk: Buffer) => output.push(chunk.toString("utf8"));
    child.stdout!.on("data", keep);
    child.stderr!.on("data", keep);
    child.once("error", reject);
    child.once("exit", (code) => {
      if (code === 0) {
        log(`next build: done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
        resolve();
      } else {
        reject(new Error(`next build failed (exit ${code}):\n${output.join("")}`));
      }
    });
  });
}

/** Migrations and the demo accounts, as `npm start` prepares its database. */
/** As npm start does: the migrations, then the demo data unless `demo` is false (DEMO_MODE=off). */
export async function prepareDatabase(databaseUrl: string, { demo = true } = {}): Promise<void> {
  await migrate(databaseUrl);
  if (!demo) return;
  const pool = createPool(databaseUrl, 2);
  try {
    await seedDemoData(pool, () => undefined);
  } finally {
    await pool.end();
  }
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once("error", () => resolve(false));
    probe.listen(port, "127.0.0.1", () => probe.close(() => resolve(true)));
  });
}

const taken = new Set<number>();

/** A port in 3500–3599 that nothing listens on (and that this process has not handed out). */
export async function freePort(): Promise<number> {
  const span = PORT_RANGE.last - PORT_RANGE.first + 1;
  const offset = Math.floor(Math.random() * span);
  for (let i = 0; i < span; i++) {
    const port = PORT_RANGE.first + ((offset + i) % span);
    if (taken.has(port)) continue;
    if (await portIsFree(port)) {
      taken.add(port);
      return port;
    }
  }
  throw new Error(`no free port in ${PORT_RANGE.first}–${PORT_RANGE.last}`);
}

export interface NextServerOptions {
  databaseUrl: string;
  /** SIM_AUDIENCE for the server: the simulated audience (default off, as in the browser tests). */
  simAudience?: "on" | "off";
  demoMode?: "on" | "off";
  /** Migrate and seed the demo data first, as npm start does (default true). */
  prepare?: boolean;
  build?: BuildPolicy;
  /** More environment for the server (LIVE_PRESENCE_HEARTBEAT_MS, DB_POOL_SIZE…); undefined values are left out. */
  env?: Record<string, string | undefined>;
  /** Listen on this port (to start a server again where its clients expect it); a free one in 3500–3599 by default. */
  port?: number;
  /** Until the server answers HTTP (default 90 s). */
  timeoutMs?: number;
  /** Where build progress goes (default console.log). */
  log?: (line: string) => void;
}

export interface NextServer {
  url: string;
  port: number;
  child: ChildProcess;
  /** The server's output, a line per entry, `out| ` or `err| ` first. */
  log: string[];
  /** The log as one text, for failure messages. */
  logText(): string;
  /** SIGTERM, as an operator stops the server (SIGKILL after 10 s). */
  stop(): Promise<void>;
  /** SIGKILL: the server dies without cleaning up. */
  kill(): Promise<void>;
}

const running = new Set<ChildProcess>();
let exitHookInstalled = false;
/** A server never outlives the test or benchmark that started it. */
function killOnExit(child: ChildProcess) {
  running.add(child);
  child.once("exit", () => running.delete(child));
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once("exit", () => {
    for (const server of running) server.kill("SIGKILL");
  });
}

const sharedSecret = randomBytes(32).toString("base64url");
const sharedWebhookSecret = randomBytes(32).toString("base64url");

async function answers(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
    await response.arrayBuffer();
    return response.ok;
  } catch {
    return false; // not listening yet
  }
}

/**
 * NEXT_SERVER_NODE_ARGS: Node options for the server process, space-separated
 * (for example `--cpu-prof --cpu-prof-dir=/tmp/prof` to profile it; Node does
 * not take those from NODE_OPTIONS).
 */
const serverNodeArgs = (process.env.NEXT_SERVER_NODE_ARGS ?? "").split(" ").filter(Boolean);

function spawnServer(port: number, env: NodeJS.ProcessEnv): { child: ChildProcess; log: string[] } {
  const child = spawn(process.execPath, [...serverNodeArgs, SERVER_SCRIPT, "-p", String(port), "-H", "127.0.0.1"], {
    cwd: ROOT,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  killOnExit(child);
  const log: string[] = [];
  const capture = (prefix: string) => {
    let partial = "";
    return (chunk: Buffer) => {
      const lines = (partial + chunk.toString("utf8")).split("\n");
      partial = lines.pop()!;
      for (const line of lines) log.push(`${prefix}| ${line}`);
      if (log.length > MAX_LOG_LINES) log.splice(0, log.length - MAX_LOG_LINES);
    };
  };
  child.stdout!.on("data", capture("out"));
  child.stderr!.on("data", capture("err"));
  return { child, log };
}

/**
 * Starts `next start` on a free port in 3500–3599 against `databaseUrl` and
 * resolves once it answers HTTP (GET /api/ping). Rejects with the server's log
 * if it exits or does not answer in time.
 */
export async function startNextServer(options: NextServerOptions): Promise<NextServer> {
  const log = options.log ?? ((line: string) => console.log(line));
  await Promise.all([
    ensureProductionBuild(options.build ?? "if-stale", log),
    options.prepare === false ? undefined : prepareDatabase(options.databaseUrl, { demo: options.demoMode !== "off" }),
  ]);
  const timeoutMs = options.timeoutMs ?? 90_000;
  // Every client of a test or bench connects from 127.0.0.1: one address, so the
  // per-address cap on live connections (8 in production) is lifted unless a caller sets it.
  const env: NodeJS.ProcessEnv = {
    LIVE_SSE_CONNECTIONS_PER_CLIENT: "100000",
    // Secrets made for this test run (a caller may leave one out with `env: { NAME: undefined }`).
    AUTH_SECRET: sharedSecret,
    PAYMENT_WEBHOOK_SECRET: sharedWebhookSecret,
    ...process.env,
  };
  for (const [name, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  Object.assign(env, {
    DATABASE_URL: options.databaseUrl,
    AUTH_TRUST_HOST: "true",
    NODE_ENV: "production",
    SIM_AUDIENCE: options.simAudience ?? "off",
    DEMO_MODE: options.demoMode ?? "on",
  });
  delete env.PORT;

  for (let attempt = 0; ; attempt++) {
    const port = options.port ?? (await freePort());
    const url = `http://127.0.0.1:${port}`;
    const { child, log: lines } = spawnServer(port, env);
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    const logText = () => lines.join("\n");
    const started = Date.now();
    let exitedEarly = false;
    void exited.then(() => (exitedEarly = true));
    // Ready when this child says it listens and then answers: another worker's server may be
    // on the same port until this one fails to bind, and its answer must not count.
    let said = false;
    const listening = () => (said ||= lines.some((line) => line.startsWith("out| ✓ Ready on ")));
    while (!exitedEarly && !(listening() && (await answers(`${url}/api/ping`)))) {
      if (Date.now() - started > timeoutMs) {
        child.kill("SIGKILL");
        await exited;
        throw new Error(`next start on port ${port} did not answer in ${timeoutMs} ms:\n${logText()}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    if (exitedEarly) {
      // Another process took the port between the probe and the listen: try another.
      if (attempt < 3 && options.port === undefined && /EADDRINUSE|already in use/i.test(logText())) continue;
      throw new Error(`next start on port ${port} exited (${child.exitCode ?? child.signalCode}) before answering:\n${logText()}`);
    }
    const end = async (signal: NodeJS.Signals) => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill(signal);
        const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
        await exited;
        clearTimeout(timer);
      }
    };
    return { url, port, child, log: lines, logText, stop: () => end("SIGTERM"), kill: () => end("SIGKILL") };
  }
}

export interface Session {
  /** The Cookie header that carries the Auth.js session. */
  cookie: string;
  user: { id: string; email: string; name: string; role: string };
}

function cookiesOf(response: Response): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const header of response.headers.getSetCookie()) {
    const pair = header.split(";", 1)[0]!;
    const eq = pair.indexOf("=");
    if (eq > 0) cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
  }
  return cookies;
}

const cookieHeader = (cookies: Map<string, string>) => [...cookies].map(([name, value]) => `${name}=${value}`).join("; ");

/**
 * Signs in with email and password as the sign-in form does (Auth.js v5
 * credentials): fetches a CSRF token and its cookie, posts the form, keeps the
 * session cookie and checks it with GET /api/auth/session.
 */
export async function signIn(baseUrl: string, email: string, password: string): Promise<Session> {
  const csrfResponse = await fetch(`${baseUrl}/api/auth/csrf`);
  if (!csrfResponse.ok) throw new Error(`GET /api/auth/csrf: HTTP ${csrfResponse.status}`);
  const { csrfToken } = (await csrfResponse.json()) as { csrfToken: string };
  const cookies = cookiesOf(csrfResponse);

  const callback = await fetch(`${baseUrl}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: cookieHeader(cookies) },
    body: new URLSearchParams({ csrfToken, email, password, callbackUrl: `${baseUrl}/` }),
  });
  await callback.arrayBuffer();
  for (const [name, value] of cookiesOf(callback)) cookies.set(name, value);
  const session = new Map([...cookies].filter(([name]) => name.startsWith("authjs.session-token")));
  if (!session.size) {
    const where = callback.headers.get("location") ?? "";
    throw new Error(`sign-in as ${email} refused: HTTP ${callback.status}${where ? ` → ${where}` : ""}`);
  }
  const cookie = cookieHeader(session);

  const check = await fetch(`${baseUrl}/api/auth/session`, { headers: { Cookie: cookie } });
  const body = (await check.json()) as { user?: Session["user"] } | null;
  if (!check.ok || body?.user?.email !== email) throw new Error(`signed in as ${email}, but /api/auth/session answers ${check.status} ${JSON.stringify(body)}`);
  return { cookie, user: body.user };
}
