import { EventEmitter } from "node:events";
import type { IncomingMessage, ServerResponse } from "node:http";
import { describe, expect, test } from "vitest";
import { clientAddress } from "../../../lib/http/address";
import { fromNodeRequest } from "../../../lib/http/node";

const request = (headers: Record<string, string | string[]>, remoteAddress = "198.51.100.23") =>
  Object.assign(new EventEmitter(), { headers, url: "/api/streams/x/events?after=5", socket: { remoteAddress } }) as unknown as IncomingMessage;
const response = () => new EventEmitter() as unknown as ServerResponse;

describe("fromNodeRequest", () => {
  test("a client talking to the server directly is known by its socket address, as behind Next", () => {
    const req = fromNodeRequest(request({ host: "localhost:3000" }), response());
    expect(clientAddress(req.headers)).toBe("198.51.100.23");
    expect(fromNodeRequest(request({ host: "a" }, "203.0.113.9"), response()).headers.get("x-forwarded-for")).toBe("203.0.113.9");
  });

  test("a proxy's X-Forwarded-For is kept; repeated headers are joined; the URL and its query are the request's", () => {
    const req = fromNodeRequest(request({ host: "localhost:3000", "x-forwarded-for": "192.0.2.1, 10.0.0.1", cookie: ["a=1", "b=2"] }), response());
    expect(clientAddress(req.headers)).toBe("192.0.2.1");
    expect(req.headers.get("cookie")).toBe("a=1, b=2");
    expect(req.headers.get("origin")).toBeNull();
    expect(req.url.pathname).toBe("/api/streams/x/events");
    expect(req.url.searchParams.get("after")).toBe("5");
  });

  test("the request's signal aborts when the response closes (the client went away)", () => {
    const res = response();
    const req = fromNodeRequest(request({ host: "a" }), res);
    expect(req.signal.aborted).toBe(false);
    res.emit("close");
    expect(req.signal.aborted).toBe(true);
  });
});
