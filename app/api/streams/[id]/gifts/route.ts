import { fromFetchRequest, toResponse } from "@/lib/http/json";
import { answerGiftTaps } from "@/lib/live/gift-endpoint";

export const dynamic = "force-dynamic";

/**
 * Taps on gifts (protocol: lib/live/gift-endpoint.ts). `npm start` serves this
 * URL on node:http with the same function (lib/http/hot-routes.ts); this
 * handler answers it under `next dev`.
 */
export async function POST(request: Request, { params }: { params: Promise<{ id: string }> }) {
  return toResponse(await answerGiftTaps(fromFetchRequest(request), (await params).id));
}
