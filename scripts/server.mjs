// The production server: Next.js's request handler for every page and route,
// with the two routes a LIVE calls most (a gift tap, the live events stream)
// answered on node:http directly (docs/decisions/014-hot-routes-beside-next.md).
// Those handlers come from the app's own bundle: instrumentation.ts registers
// them on globalThis when Next prepares; until then (or under `next dev`) Next's
// route handlers answer the same URLs with the same code.
//   node scripts/server.mjs -p 3000 -H 0.0.0.0     (npm start runs it)
import http from "node:http";
import next from "next";

const args = process.argv.slice(2);
const option = (flag, fallback) => {
  const index = args.indexOf(flag);
  return index >= 0 && args[index + 1] ? args[index + 1] : fallback;
};
const port = Number(option("-p", process.env.PORT ?? "3000"));
const hostname = option("-H", process.env.HOSTNAME ?? "0.0.0.0");
if (!Number.isInteger(port) || port < 1 || port > 65535) {
  console.error(`server: -p must be a port number, not "${option("-p", "")}"`);
  process.exit(2);
}

const app = next({ dev: false, hostname, port, dir: new URL("..", import.meta.url).pathname });
const handle = app.getRequestHandler();
await app.prepare();

/** A path whose percent-escapes are not UTF-8 (/live/%ED%BF%BF) makes Next answer 500 before any app code runs. */
function undecodablePath(url) {
  try {
    decodeURIComponent((url ?? "/").split("?")[0]);
    return false;
  } catch {
    return true;
  }
}

const server = http.createServer((req, res) => {
  if (undecodablePath(req.url)) {
    res.writeHead(400, { "Content-Type": "application/json", "X-Content-Type-Options": "nosniff" });
    res.end(JSON.stringify({ ok: false, code: "BAD_PATH", error: "This address is not valid. Check the link and try again." }));
    return;
  }
  const hot = globalThis.coinEconomyHotRoutes;
  if (hot?.(req, res)) return;
  handle(req, res).catch((error) => {
    console.error(`server: ${req.method} ${req.url} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    if (!res.headersSent) res.writeHead(500, { "Content-Type": "text/plain" });
    res.end("Internal Server Error");
  });
});
// As next start: idle keep-alive connections are closed after 5 s (browsers reuse them).
server.keepAliveTimeout = 5_000;
server.on("error", (error) => {
  console.error(`server: cannot listen on ${hostname}:${port}: ${error.message}`);
  process.exit(1);
});
server.listen(port, hostname, () => console.log(`✓ Ready on http://${hostname === "0.0.0.0" ? "localhost" : hostname}:${port}`));

let stopping = false;
function stop(signal) {
  if (stopping) return;
  stopping = true;
  console.log(`server: ${signal}, closing`);
  // New connections are refused; open requests get 2 s, then live streams and the rest are cut
  // (browsers reconnect with their last event id).
  server.close(() => process.exit(0));
  server.closeIdleConnections();
  setTimeout(() => {
    server.closeAllConnections();
    process.exit(0);
  }, 2_000).unref();
}
process.on("SIGTERM", () => stop("SIGTERM"));
process.on("SIGINT", () => stop("SIGINT"));
