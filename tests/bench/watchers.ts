// Parent side of tests/bench/live-clients.ts: forks the process that holds the
// SSE clients and talks to it over IPC (used by bench:live and bench:storm).
import { fork } from "node:child_process";
import type { ClientsInput, ClientsReport } from "./live-clients";

export interface Watchers {
  /** The clients' process (for CPU accounting). */
  pid: number | undefined;
  /** Resolves once every client is subscribed (has its first `viewers` event). */
  ready: Promise<unknown>;
  /** How many clients have received at least `expected` gifts so far. */
  complete(expected: number): Promise<number>;
  /** Closes the clients and returns what each received; ends the process. */
  report(): Promise<ClientsReport>;
}

export function startWatchers(input: ClientsInput): Watchers {
  const child = fork(new URL("./live-clients.ts", import.meta.url), { execArgv: ["--import", "tsx"], serialization: "advanced" });
  const next = <T>(type: string) =>
    new Promise<T>((resolve, reject) => {
      const onMessage = (message: { type: string } & T) => {
        if (message.type !== type) return;
        child.off("message", onMessage);
        resolve(message);
      };
      child.on("message", onMessage);
      child.once("exit", (code) => reject(new Error(`the SSE clients' process exited (${code})`)));
    });
  child.send(input);
  return {
    pid: child.pid,
    ready: next<unknown>("ready"),
    async complete(expected: number): Promise<number> {
      const answer = next<{ complete: number }>("progress");
      child.send({ type: "progress", expected });
      return (await answer).complete;
    },
    async report(): Promise<ClientsReport> {
      const answer = next<{ report: ClientsReport }>("report");
      child.send({ type: "report" });
      const { report } = await answer;
      child.kill();
      return report;
    },
  };
}
