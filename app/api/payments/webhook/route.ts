import { jsonError, readTextBody } from "@/lib/http/json";
import { receiveWebhook, WEBHOOK_MAX_BYTES } from "@/lib/payments/webhooks";

/** Provider → us. Signed events only; anything else is a 4xx with a JSON error and changes nothing. */
export async function POST(request: Request) {
  const body = await readTextBody(request, WEBHOOK_MAX_BYTES);
  if (!body.ok) return body.response;
  const result = await receiveWebhook(body.value, request.headers.get("x-provider-signature"));
  if (!result.ok) return jsonError(result.status, result.status === 404 ? "NOT_FOUND" : "INVALID", result.error);
  return Response.json({ received: true, credited: result.credited });
}
