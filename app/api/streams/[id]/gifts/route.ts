import { isCrossSite, jsonError, readJsonBody } from "@/lib/http/json";
import { getCurrentUserFast } from "@/lib/auth/session";
import { sendGift, ZGiftTap } from "@/lib/live/gifting";
import { LIVE_ERROR_STATUS, LiveError } from "@/lib/live/streams";
import { isTransientDatabaseError } from "@/lib/db/errors";

export const dynamic = "force-dynamic";

/**
 * One tap on a gift: `{ giftId, clientKey }`, the key made by the browser per
 * tap. A retry with the same key is answered with the original gift (charged
 * once). 200 `{ ok, balance, transferId, replayed }`; a refusal is a 4xx and a
 * passing database fault a 503, each with `{ ok: false, code, error }`.
 */
export async function POST(request: Request, { params }: { params: Promise<{ id: string }> }) {
  if (isCrossSite(request)) return jsonError(403, "CROSS_SITE", "Gifts can only be sent from this site.");
  const user = await getCurrentUserFast(request);
  if (!user) return jsonError(401, "UNAUTHENTICATED", "Your session has ended. Sign in again to send gifts.");
  const body = await readJsonBody(request);
  if (!body.ok) return body.response;
  const parsed = ZGiftTap.safeParse(body.value);
  if (!parsed.success) return jsonError(400, "INVALID", parsed.error.issues[0]?.message ?? "Reload the page and try again.");
  const { id } = await params;
  try {
    const sent = await sendGift(user, { streamId: id, ...parsed.data });
    return Response.json({ ok: true, balance: sent.balance.toString(), transferId: sent.transferId, replayed: sent.replayed });
  } catch (error) {
    if (error instanceof LiveError) return jsonError(LIVE_ERROR_STATUS[error.code], error.code, error.message);
    if (isTransientDatabaseError(error)) {
      console.error(`gift: stream ${id}, user ${user.id}: database unavailable: ${String(error)}`);
      return jsonError(503, "BUSY", "The LIVE is busy right now. Try again in a moment.", { "Retry-After": "1" });
    }
    throw error;
  }
}
