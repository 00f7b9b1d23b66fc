import "server-only";
import { getCurrentUserFast } from "../auth/session";
import { describeDatabaseError, isTransientDatabaseError } from "../db/errors";
import { errorReply, isCrossSite, readJson, type HttpReply, type HttpRequest } from "../http/json";
import { sendGift, sendGifts, ZGiftTap, ZGiftTaps } from "./gifting";
import { LIVE_ERROR_STATUS, LiveError } from "./streams";

/** A refusal or a passing fault as status, code and message; anything else is a bug and is thrown. */
function describeFailure(error: unknown, context: string): { status: number; code: string; error: string } {
  if (error instanceof LiveError) return { status: LIVE_ERROR_STATUS[error.code], code: error.code, error: error.message };
  if (isTransientDatabaseError(error)) {
    console.error(`gift: ${context}: database unavailable: ${describeDatabaseError(error)}`);
    return { status: 503, code: "BUSY", error: "The LIVE is busy right now. Try again in a moment." };
  }
  throw error;
}

const retryAfter = (status: number) => (status === 503 ? { "Retry-After": "1" } : undefined);

/**
 * POST /api/streams/<id>/gifts: taps on gifts. One tap: `{ giftId, clientKey }`
 * → 200 `{ ok, balance, transferId, replayed }`, or a 4xx/503 `{ ok: false,
 * code, error }`. Several taps of a streak (made while the previous request was
 * in flight): `{ taps: [{ giftId, clientKey }, …] }` → 200 `{ ok: true,
 * balance, results: [{ clientKey, ok, transferId, replayed } | { clientKey, ok:
 * false, code, error }] }`, one result per tap in order. Keys are made by the
 * browser per tap; a retry with the same keys is answered with the original
 * gifts (charged once). Served by node:http and by Next's route handler alike.
 */
export async function answerGiftTaps(request: HttpRequest, streamId: string): Promise<HttpReply> {
  if (isCrossSite(request)) return errorReply(403, "CROSS_SITE", "Gifts can only be sent from this site.");
  let user: Awaited<ReturnType<typeof getCurrentUserFast>>;
  try {
    user = await getCurrentUserFast(request);
  } catch (error) {
    const failure = describeFailure(error, "signed-in user");
    return errorReply(failure.status, failure.code, failure.error, { "Retry-After": "1" });
  }
  if (!user) return errorReply(401, "UNAUTHENTICATED", "Your session has ended. Sign in again to send gifts.");
  const body = await readJson(request, 8192);
  if (!body.ok) return body.reply;
  const context = `stream ${streamId}, user ${user.id}`;

  if (body.value && typeof body.value === "object" && "taps" in body.value) {
    const parsed = ZGiftTaps.safeParse(body.value);
    if (!parsed.success) return errorReply(400, "INVALID", parsed.error.issues[0]?.message ?? "Reload the page and try again.");
    const outcomes = await sendGifts(user, streamId, parsed.data.taps);
    const results = outcomes.map((outcome) => {
      if (outcome.ok) return { clientKey: outcome.clientKey, ok: true as const, transferId: outcome.sent.transferId, replayed: outcome.sent.replayed };
      const failure = describeFailure(outcome.error, context);
      return { clientKey: outcome.clientKey, ok: false as const, code: failure.code, error: failure.error };
    });
    // The balance after the latest of the gifts sent (null when none was).
    const sent = outcomes.flatMap((outcome) => (outcome.ok ? [outcome.sent] : []));
    const latest = sent.reduce<(typeof sent)[number] | null>((best, gift) => (!best || BigInt(gift.transferId) > BigInt(best.transferId) ? gift : best), null);
    return { status: 200, json: { ok: true, balance: latest?.balance.toString() ?? null, results } };
  }

  const parsed = ZGiftTap.safeParse(body.value);
  if (!parsed.success) return errorReply(400, "INVALID", parsed.error.issues[0]?.message ?? "Reload the page and try again.");
  try {
    const sent = await sendGift(user, { streamId, ...parsed.data });
    return { status: 200, json: { ok: true, balance: sent.balance.toString(), transferId: sent.transferId, replayed: sent.replayed } };
  } catch (error) {
    const failure = describeFailure(error, context);
    return errorReply(failure.status, failure.code, failure.error, retryAfter(failure.status));
  }
}
