// The browser's side of POST /api/streams/<id>/gifts. One tap = one client key;
// every retry of that tap reuses it, so the server charges it at most once even
// when a reply is lost. Retries only what may succeed later: no answer at all
// (fetch rejected or timed out) and 502/503/504. Never throws: the caller gets
// a result to show.
import { backoffDelay, type Backoff } from "@/lib/live/backoff";

export type GiftSendResult =
  | { ok: true; balance: bigint; transferId: string; replayed: boolean }
  | { ok: false; code: string; message: string; /** What went wrong underneath, for the log. */ cause?: unknown };

export interface SendGiftOptions {
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /** Tries in all, the first included. */
  attempts?: number;
  timeoutMs?: number;
  backoff?: Backoff;
}

const RETRY_STATUSES = new Set([502, 503, 504]);
const GIFT_RETRY: Backoff = { baseMs: 500, capMs: 4_000 };

/** A client key for one tap (8–64 of [A-Za-z0-9_-]). */
export function newClientKey(): string {
  return crypto.randomUUID();
}

export async function sendGiftRequest(streamId: string, giftId: string, clientKey: string, options: SendGiftOptions = {}): Promise<GiftSendResult> {
  const doFetch = options.fetch ?? fetch;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const random = options.random ?? Math.random;
  const attempts = options.attempts ?? 4;
  let failure: GiftSendResult & { ok: false } = { ok: false, code: "NETWORK", message: "" };
  for (let attempt = 0; attempt < attempts; attempt++) {
    if (attempt > 0) await sleep(backoffDelay(attempt - 1, random(), options.backoff ?? GIFT_RETRY));
    let response: Response;
    try {
      response = await doFetch(`/api/streams/${encodeURIComponent(streamId)}/gifts`, {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json" },
        body: JSON.stringify({ giftId, clientKey }),
        credentials: "same-origin",
        signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
      });
    } catch (cause) {
      failure = {
        ok: false,
        code: "NETWORK",
        message: "Your gift could not be confirmed: the connection to the server failed. If it went through, your balance and the LIVE will show it.",
        cause,
      };
      continue;
    }
    const body = await readJson(response);
    if (RETRY_STATUSES.has(response.status)) {
      failure = {
        ok: false,
        code: stringField(body, "code") ?? "BUSY",
        message: stringField(body, "error") ?? "The server is busy and your gift was not sent. Try again in a moment.",
        cause: new Error(`POST gifts answered ${response.status}`),
      };
      continue;
    }
    return interpret(response, body);
  }
  return failure;
}

function interpret(response: Response, body: unknown): GiftSendResult {
  if (response.ok && body && typeof body === "object" && (body as { ok?: unknown }).ok === true) {
    const balance = stringField(body, "balance");
    const transferId = stringField(body, "transferId");
    if (balance !== null && /^\d{1,19}$/.test(balance) && transferId !== null) {
      return { ok: true, balance: BigInt(balance), transferId, replayed: (body as { replayed?: unknown }).replayed === true };
    }
  }
  const code = stringField(body, "code");
  const error = stringField(body, "error");
  if (response.status >= 400 && response.status < 500 && code) {
    return { ok: false, code, message: error ?? "Your gift was not sent." };
  }
  return {
    ok: false,
    code: "SERVER_ERROR",
    message: "Something went wrong on our side and your gift was not confirmed. Reload the page to see your balance, then try again.",
    cause: new Error(`POST gifts answered ${response.status} ${JSON.stringify(body)}`),
  };
}

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  try {
    return JSON.parse(text) as unknown;
  } catch {
    // Not JSON (a proxy's error page, an empty body): the status decides.
    return null;
  }
}

function stringField(body: unknown, name: string): string | null {
  if (!body || typeof body !== "object") return null;
  const value = (body as Record<string, unknown>)[name];
  return typeof value === "string" ? value : null;
}
