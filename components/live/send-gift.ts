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

/** Posts `payload` to the gift route, retrying what may succeed later with the same body (and so the same keys). */
async function postTaps(
  streamId: string,
  payload: unknown,
  options: SendGiftOptions,
): Promise<{ response: Response; body: unknown } | (GiftSendResult & { ok: false })> {
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
        body: JSON.stringify(payload),
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
    return { response, body };
  }
  return failure;
}

export async function sendGiftRequest(streamId: string, giftId: string, clientKey: string, options: SendGiftOptions = {}): Promise<GiftSendResult> {
  const answer = await postTaps(streamId, { giftId, clientKey }, options);
  return "response" in answer ? interpret(answer.response, answer.body) : answer;
}

/** Several taps in one request (`{ taps }`); one result per tap, in order. */
export async function sendTapsRequest(
  streamId: string,
  taps: ReadonlyArray<{ giftId: string; clientKey: string }>,
  options: SendGiftOptions = {},
): Promise<GiftSendResult[]> {
  const answer = await postTaps(streamId, { taps }, options);
  if (!("response" in answer)) return taps.map(() => answer);
  const { response, body } = answer;
  const results = body && typeof body === "object" ? (body as { results?: unknown }).results : undefined;
  if (!response.ok || !Array.isArray(results) || results.length !== taps.length) {
    const whole = interpret(response, body);
    return taps.map(() => (whole.ok ? unreadable(response, body) : whole));
  }
  const balance = stringField(body, "balance");
  return results.map((result: unknown, i) => {
    if (stringField(result, "clientKey") !== taps[i]!.clientKey) return unreadable(response, body);
    if ((result as { ok?: unknown }).ok === true) {
      const transferId = stringField(result, "transferId");
      if (balance === null || !/^\d{1,19}$/.test(balance) || transferId === null) return unreadable(response, body);
      return { ok: true, balance: BigInt(balance), transferId, replayed: (result as { replayed?: unknown }).replayed === true };
    }
    return { ok: false, code: stringField(result, "code") ?? "SERVER_ERROR", message: stringField(result, "error") ?? "Your gift was not sent." };
  });
}

function unreadable(response: Response, body: unknown): GiftSendResult {
  return {
    ok: false,
    code: "SERVER_ERROR",
    message: "Something went wrong on our side and your gift was not confirmed. Reload the page to see your balance, then try again.",
    cause: new Error(`POST gifts answered ${response.status} ${JSON.stringify(body)}`),
  };
}

/**
 * Sends a viewer's taps as they come: a tap made while no request is in flight
 * goes at once; taps made while one is in flight wait for it and then go
 * together in one request (up to 50), each with its own key. A fast streak
 * then costs a request per round trip, not per tap.
 */
export function createTapSender(streamId: string, options: SendGiftOptions = {}) {
  const queue: Array<{ giftId: string; clientKey: string; resolve: (result: GiftSendResult) => void }> = [];
  let inFlight = false;
  const pump = async () => {
    while (queue.length) {
      const batch = queue.splice(0, 50);
      let results: GiftSendResult[];
      try {
        results =
          batch.length === 1
            ? [await sendGiftRequest(streamId, batch[0]!.giftId, batch[0]!.clientKey, options)]
            : await sendTapsRequest(streamId, batch, options);
      } catch (cause) {
        // A reply cut off while it was read: the taps may or may not have gone through.
        const failure: GiftSendResult = {
          ok: false,
          code: "NETWORK",
          message: "Your gift could not be confirmed: the connection to the server failed. If it went through, your balance and the LIVE will show it.",
          cause,
        };
        results = batch.map(() => failure);
      }
      batch.forEach((tap, i) => tap.resolve(results[i]!));
    }
    inFlight = false;
  };
  return {
    send(giftId: string, clientKey: string = newClientKey()): Promise<GiftSendResult> {
      return new Promise<GiftSendResult>((resolve) => {
        queue.push({ giftId, clientKey, resolve });
        if (inFlight) return;
        inFlight = true;
        void pump();
      });
    },
  };
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
