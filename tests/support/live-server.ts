// A minimal app instance for the multi-instance test and the live benchmark: a
// plain Node HTTP server that serves the app's own SSE route handler
// (app/api/streams/[id]/events/route.ts) with the app's own LiveBus, ledger and
// sendGift. It starts in about a second from source, where `next start` needs a
// production build (minutes on a 2-core machine) that may be older than the
// code under test. Run with the react-server condition so `server-only` loads:
//   node --conditions=react-server --import tsx tests/support/live-server.ts
// Env: DATABASE_URL (required), PORT (0 = any free port). Prints
// `LISTENING <port>` once ready; SIGTERM closes cleanly (presence rows removed).
//
// Besides the SSE route it answers POST /gift {userId, streamId, giftId,
// clientKey}, standing in for the gift server action (which is the same
// sendGift call behind an Auth.js session), and GET /health.
import http from "node:http";
import { GET as streamEvents } from "../../app/api/streams/[id]/events/route";
import { getUserProfile } from "../../lib/auth/users";
import { getPool } from "../../lib/db/pool";
import { getLiveBus } from "../../lib/live/bus";
import { sendGift } from "../../lib/live/gifting";
import { LiveError } from "../../lib/live/streams";

const EVENTS_PATH = /^\/api\/streams\/([^/]+)\/events$/;

async function readJson(req: http.IncomingMessage): Promise<Record<string, string>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}");
}

function json(res: http.ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { "Content-Type": "application/json" }).end(JSON.stringify(body));
}

/** Serves a Web `Response` (streamed) on a Node response, cancelling it when the client leaves. */
async function pipeResponse(response: Response, res: http.ServerResponse, signal: AbortSignal) {
  res.writeHead(response.status, Object.fromEntries(response.headers));
  res.flushHeaders();
  if (!response.body) return void res.end();
  const reader = response.body.getReader();
  signal.addEventListener("abort", () => void reader.cancel().catch(() => undefined));
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      res.write(value);
    }
  } catch {
    // the client went away
  }
  res.end();
}

async function handle(req: http.IncomingMessage, res: http.ServerResponse) {
  const url = new URL(req.url ?? "/", `http://${req.headers.host ?? "localhost"}`);
  const match = EVENTS_PATH.exec(url.pathname);
  if (req.method === "GET" && match) {
    const abort = new AbortController();
    res.on("close", () => abort.abort());
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) if (typeof value === "string") headers.set(name, value);
    // As Next's server does: the socket's address when no proxy named the client.
    if (!headers.has("x-forwarded-for") && req.socket.remoteAddress) headers.set("x-forwarded-for", req.socket.remoteAddress);
    const response = await streamEvents(new Request(url, { headers, signal: abort.signal }), { params: Promise.resolve({ id: match[1]! }) });
    return pipeResponse(response, res, abort.signal);
  }
  if (req.method === "POST" && url.pathname === "/gift") {
    const body = await readJson(req);
    const user = await getUserProfile(String(body.userId));
    if (!user) return json(res, 404, { error: "no such user" });
    try {
      const sent = await sendGift(user, { streamId: String(body.streamId), giftId: String(body.giftId), clientKey: String(body.clientKey) });
      return json(res, 200, { transferId: sent.transferId, balance: String(sent.balance) });
    } catch (error) {
      if (error instanceof LiveError) return json(res, 409, { code: error.code, error: error.message });
      throw error;
    }
  }
  if (req.method === "GET" && url.pathname === "/health") return json(res, 200, { ok: true, instanceId: getLiveBus().instanceId });
  json(res, 404, { error: "not found" });
}

const server = http.createServer((req, res) => {
  handle(req, res).catch((error: unknown) => {
    process.stderr.write(`live-server: ${String(error)}\n`);
    if (!res.headersSent) json(res, 500, { error: String(error) });
    else res.end();
  });
});
server.keepAliveTimeout = 60_000;

server.listen(Number(process.env.PORT ?? 0), "127.0.0.1", () => {
  const address = server.address();
  process.stdout.write(`LISTENING ${typeof address === "object" && address ? address.port : 0}\n`);
});

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  server.closeAllConnections();
  server.close();
  await getLiveBus().close();
  await getPool().end().catch(() => undefined);
  process.exit(0);
}
process.on("SIGTERM", () => void stop());
process.on("SIGINT", () => void stop());
// An instance never outlives the test or benchmark that started it.
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) void stop();
}, 500).unref();
