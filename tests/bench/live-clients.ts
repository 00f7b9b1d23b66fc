// Child process of bench:live: holds the SSE clients, so parsing what a
// thousand connections receive does not compete with the process sending
// gifts. Times are process.hrtime (the system's monotonic clock, the same in
// every process on the machine). Talks to its parent over the IPC channel.
import http from "node:http";
import { takeSseFrames, type SseClient, type SseMessage } from "../support/sse";

export interface ClientsInput {
  url: string;
  count: number;
  /**
   * Receipt times on the monotonic clock (default) or the wall clock (ms since
   * the epoch, to compare with times PostgreSQL stamped on the events).
   */
  clock?: "monotonic" | "wall";
  /** Only the first this many clients record receipt times (default all); every client is still checked. */
  receiptClients?: number;
}

export interface ClientSummary {
  gifts: number;
  inOrder: boolean;
  idSum: number;
  viewers: number;
  /** The newest LIVE Match score the client has (highest version), from score frames and match events. */
  score: { v: string; a: string; b: string } | null;
  /** A score frame came with a lower version than one the client had (it must not matter: pages keep the highest). */
  scoreOutOfOrder: boolean;
}

export interface ClientsReport {
  clients: ClientSummary[];
  /** Event id → receipt times (ms), one per client that received it. */
  receipts: Array<[string, number[]]>;
  /** Per timed client, the score versions it received with their receipt times (ms): [version, ms]. */
  scoreReceipts: Array<Array<[number, number]>>;
}

const monotonicMs = () => Number(process.hrtime.bigint()) / 1e6;
const wallMs = () => performance.timeOrigin + performance.now();

// One agent, no socket limit: every client holds its own connection, as browsers do.
const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity });

/**
 * The same frame parsing as tests/support/sse.ts (takeSseFrames), on node:http rather than fetch:
 * the instrument must cost far less than what it measures, and a thousand
 * fetch bodies through web streams cost the client process more than the
 * server spends sending them.
 */
function openSse(url: string, onMessage: (message: SseMessage) => void): Promise<SseClient> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { agent, headers: { Accept: "text/event-stream" } }, (response) => {
      if (response.statusCode !== 200) return reject(new Error(`SSE ${url}: HTTP ${response.statusCode}`));
      response.setEncoding("utf8");
      let buffer = "";
      const done = new Promise<void>((end) => {
        response.on("end", end);
        response.on("close", end);
        response.on("error", () => end());
      });
      response.on("data", (chunk: string) => {
        buffer = takeSseFrames(buffer + chunk, onMessage);
      });
      resolve({ done, close: () => request.destroy() });
    });
    request.on("error", reject);
  });
}

async function run({ url, count, clock = "monotonic", receiptClients = count }: ClientsInput) {
  const nowMs = clock === "wall" ? wallMs : monotonicMs;
  const receipts = new Map<string, number[]>();
  const states: Array<ClientSummary & { lastId: number; ready: boolean; client: SseClient | null; scoreTimes: Array<[number, number]> }> = [];
  for (let i = 0; i < count; i += 100) {
    await Promise.all(
      Array.from({ length: Math.min(100, count - i) }, async () => {
        const state = {
          gifts: 0,
          inOrder: true,
          idSum: 0,
          viewers: 0,
          lastId: 0,
          ready: false,
          client: null as SseClient | null,
          score: null as ClientSummary["score"],
          scoreOutOfOrder: false,
          scoreTimes: [] as Array<[number, number]>,
        };
        const timed = states.length < receiptClients;
        states.push(state);
        const keepScore = (score: { v: string; a: string; b: string }, at: number) => {
          if (state.score && BigInt(score.v) <= BigInt(state.score.v)) {
            if (BigInt(score.v) < BigInt(state.score.v)) state.scoreOutOfOrder = true;
            return;
          }
          state.score = { v: score.v, a: score.a, b: score.b };
          if (timed) state.scoreTimes.push([Number(score.v), at]);
        };
        state.client = await openSse(url, (message) => {
          if (message.event === "score") {
            keepScore(JSON.parse(message.data) as { v: string; a: string; b: string }, nowMs());
          } else if (message.event === "match") {
            // A stored match event (its start, its end) carries the scores as of then.
            const match = JSON.parse((JSON.parse(message.data) as { body: string }).body) as {
              scoreVersion: string;
              a: { score: string };
              b: { score: string };
            };
            keepScore({ v: match.scoreVersion, a: match.a.score, b: match.b.score }, nowMs());
          } else if (message.event === "gift") {
            const at = nowMs();
            const id = Number(message.id);
            if (id <= state.lastId) state.inOrder = false;
            state.lastId = id;
            state.gifts++;
            state.idSum += id;
            if (!timed) return;
            const list = receipts.get(message.id!);
            if (list) list.push(at);
            else receipts.set(message.id!, [at]);
          } else if (message.event === "viewers") {
            state.viewers = (JSON.parse(message.data) as { viewers: number }).viewers;
            state.ready = true;
          }
        });
      }),
    );
  }
  while (states.some((s) => !s.ready)) await new Promise((r) => setTimeout(r, 50));
  process.send!({ type: "ready" });
  process.on("message", (message: { type: string; expected?: number }) => {
    if (message.type === "progress") {
      process.send!({ type: "progress", complete: states.filter((s) => s.gifts >= message.expected!).length });
    } else if (message.type === "report") {
      for (const s of states) s.client?.close();
      const report: ClientsReport = {
        clients: states.map(({ gifts, inOrder, idSum, viewers, score, scoreOutOfOrder }) => ({ gifts, inOrder, idSum, viewers, score, scoreOutOfOrder })),
        receipts: [...receipts],
        scoreReceipts: states.slice(0, receiptClients).map((s) => s.scoreTimes),
      };
      process.send!({ type: "report", report });
    }
  });
}

process.once("message", (input: ClientsInput) => void run(input));
process.on("disconnect", () => process.exit(0)); // the benchmark ended
