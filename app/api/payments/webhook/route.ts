import { receiveWebhook } from "@/lib/payments/webhooks";

/** Provider → us. Signed events only; anything else is a 400 with a JSON error and changes nothing. */
export async function POST(request: Request) {
  const body = await request.text();
  if (body.length > 10_000) return Response.json({ error: "Payload too large." }, { status: 413 });
  const result = await receiveWebhook(body, request.headers.get("x-provider-signature"));
  if (!result.ok) return Response.json({ error: result.error }, { status: result.status });
  return Response.json({ received: true, credited: result.credited });
}
