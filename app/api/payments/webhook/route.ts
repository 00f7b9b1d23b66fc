import { describeDatabaseError, isTransientDatabaseError } from "@/lib/db/errors";
import { jsonError, readTextBody } from "@/lib/http/json";
import { receiveWebhook, WEBHOOK_MAX_BYTES } from "@/lib/payments/webhooks";

/** Provider → us. Signed events only; anything else is a 4xx with a JSON error and changes nothing. */
export async function POST(request: Request) {
  const body = await readTextBody(request, WEBHOOK_MAX_BYTES);
  if (!body.ok) return body.response;
  let result: Awaited<ReturnType<typeof receiveWebhook>>;
  try {
    result = await receiveWebhook(body.value, request.headers.get("x-provider-signature"));
  } catch (error) {
    if (!isTransientDatabaseError(error)) throw error;
    // Not acknowledged: the provider delivers the event again (lib/payments/deliveries.ts).
    console.error(`payment webhook: database unavailable, not acknowledged: ${describeDatabaseError(error)}`);
    return jsonError(503, "BUSY", "Temporarily unavailable; deliver the event again.", { "Retry-After": "1" });
  }
  if (!result.ok) return jsonError(result.status, result.status === 404 ? "NOT_FOUND" : result.status === 409 ? "NOT_READY" : "INVALID", result.error);
  return Response.json({ received: true, credited: result.credited });
}
