// A bare node:http client for the benchmarks and the fault suite: one request
// on a keep-alive agent, without fetch's web streams (the instrument must cost
// far less than what it measures).
import http from "node:http";

export interface Reply {
  status: number;
  body: string;
}

/** One HTTP request on `agent`; rejects on a socket error or after `timeoutMs`. */
export function request(
  agent: http.Agent,
  url: URL,
  method: "GET" | "POST",
  headers: http.OutgoingHttpHeaders,
  body: string | undefined,
  timeoutMs: number,
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      { agent, method, headers: body === undefined ? headers : { ...headers, "Content-Length": Buffer.byteLength(body) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
        res.on("error", reject);
      },
    );
    req.setTimeout(timeoutMs, () => req.destroy(new Error("timeout")));
    req.on("error", reject);
    req.end(body);
  });
}
