import { fromFetchRequest, toResponse } from "@/lib/http/json";
import { answerLiveEvents } from "@/lib/live/events-endpoint";

export const dynamic = "force-dynamic";

/**
 * A stream's live events as Server-Sent Events (protocol:
 * lib/live/events-endpoint.ts). `npm start` serves this URL on node:http with
 * the same function (lib/http/hot-routes.ts); this handler answers it under
 * `next dev`.
 */
export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
  return toResponse(await answerLiveEvents(fromFetchRequest(request), (await params).id));
}
