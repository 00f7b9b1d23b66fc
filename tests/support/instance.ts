// Starts tests/support/live-server.ts as a separate process: an app instance of
// its own, with its own LISTEN connection, presence heartbeat and pool.
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";

export interface Instance {
  url: string;
  child: ChildProcess;
  /** What the instance wrote to stderr (shown when a test fails). */
  log: string[];
  /** SIGTERM and wait: a clean shutdown. */
  stop(): Promise<void>;
  /** SIGKILL: the instance dies without cleaning up (its presence rows must expire). */
  kill(): Promise<void>;
}

const ROOT = path.resolve(import.meta.dirname, "../..");

export function startInstance(env: Record<string, string | undefined>, timeoutMs = 60_000): Promise<Instance> {
  const child = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", "tests/support/live-server.ts"], {
    cwd: ROOT,
    env: { ...process.env, PORT: "0", NODE_ENV: "production", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const log: string[] = [];
  child.stderr!.on("data", (chunk: Buffer) => log.push(chunk.toString("utf8")));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const end = async (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`live-server did not start in ${timeoutMs} ms:\n${log.join("")}`));
    }, timeoutMs);
    let out = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString("utf8");
      const match = /LISTENING (\d+)/.exec(out);
      if (!match) return;
      clearTimeout(timer);
      resolve({ url: `http://127.0.0.1:${match[1]}`, child, log, stop: () => end("SIGTERM"), kill: () => end("SIGKILL") });
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`live-server exited (${code}) before listening:\n${log.join("")}`));
    });
  });
}
