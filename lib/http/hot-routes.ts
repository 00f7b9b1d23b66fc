// The two routes a LIVE calls most, answered on node:http by the production
// server (scripts/server.mjs) without Next's request pipeline: a gift tap and
// the live events stream (decision 015). Same functions as their Next route
// handlers (lib/live/gift-endpoint.ts, lib/live/events-endpoint.ts), which
// still answer under `next dev`. instrumentation.ts registers the handler on
// globalThis, so it runs from the app's own bundle.
import "server-only";
import type { IncomingMessage, ServerResponse } from "node:http";
import { answerLiveEvents } from "../live/events-endpoint";
import { answerGiftTaps } from "../live/gift-endpoint";
import type { HttpReply, HttpRequest } from "./json";
import { fromNodeRequest, writeReply } from "./node";

const GIFTS = /^\/api\/streams\/([^/?#]+)\/gifts(?:\?.*)?$/;
const EVENTS = /^\/api\/streams\/([^/?#]+)\/events(?:\?.*)?$/;

async function serve(req: IncomingMessage, res: ServerResponse, answer: (request: HttpRequest, id: string) => Promise<HttpReply>, id: string) {
  try {
    // The id as sent: a stream id is a UUID, which has nothing to decode (anything else is refused as not one).
    await writeReply(res, await answer(fromNodeRequest(req, res), id));
  } catch (error) {
    console.error(`${req.method} ${req.url}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    if (!res.headersSent) {
      res.writeHead(500, { "Content-Type": "application/json" });
      res.end(JSON.stringify({ ok: false, code: "INTERNAL", error: "Something went wrong on our side. Try again." }));
    } else {
      res.destroy();
    }
  }
}

/** Answers the request and returns true when it is one of the hot routes; false leaves it to Next. */
export function handleHotRoute(req: IncomingMessage, res: ServerResponse): boolean {
  const url = req.url ?? "";
  let match: RegExpExecArray | null;
  if (req.method === "POST" && (match = GIFTS.exec(url))) {
    void serve(req, res, answerGiftTaps, match[1]!);
    return true;
  }
  if (req.method === "GET" && (match = EVENTS.exec(url))) {
    void serve(req, res, answerLiveEvents, match[1]!);
    return true;
  }
  return false;
}

/** For scripts/server.mjs, which runs outside the app's bundle. */
export function registerHotRoutes(): void {
  (globalThis as unknown as { coinEconomyHotRoutes?: typeof handleHotRoute }).coinEconomyHotRoutes = handleHotRoute;
}
