import "server-only";
import { TtlCache } from "../cache/ttl";
import { getLedger } from "../ledger";
import { z } from "zod";
import { column, queryRow } from "../db/rows";
import { StreamStatus as StreamStatusEnum } from "../db/generated/prisma/enums";

export interface StreamStatus {
  creatorId: string;
  status: "LIVE" | "ENDED";
}

/**
 * How long a stream read as LIVE is taken to be LIVE without asking the
 * database again. Ending a stream on this instance forgets it at once; on
 * another instance a gift may still be accepted for up to this long after the
 * end (it is counted and paid like any gift, and shown in the stream's history).
 */
export const LIVE_STATUS_TTL_MS = 1_000;

// One per process, shared by every bundle that loads this module.
const globalForStreams = globalThis as unknown as { streamStatus?: TtlCache<string, StreamStatus> };
const cache = (globalForStreams.streamStatus ??= new TtlCache<string, StreamStatus>(LIVE_STATUS_TTL_MS, 10_000));

/** Lookups under way, per stream: a burst of gifts when the entry expires makes one query, not one each (bounded: removed when settled). */
const globalForLookups = globalThis as unknown as { streamStatusLookups?: Map<string, Promise<StreamStatus | null>> };
const lookups = (globalForLookups.streamStatusLookups ??= new Map());

export const ZStreamStatus = z
  .object({ creator_id: column.text, status: z.enum(StreamStatusEnum) })
  .transform((row): StreamStatus => ({ creatorId: row.creator_id, status: row.status }));

/** A stream's creator and status, served from memory for a moment (an ended stream stays ended). */
export async function getStreamStatus(streamId: string, now = Date.now()): Promise<StreamStatus | null> {
  const cached = cache.get(streamId, now);
  if (cached) return cached;
  let lookup = lookups.get(streamId);
  if (!lookup) {
    lookup = (async () => {
      const found = await queryRow(getLedger().pool, ZStreamStatus, "SELECT creator_id, status FROM streams WHERE id = $1", [streamId]);
      if (!found) return null;
      cache.set(streamId, found, now, found.status === "ENDED" ? 3_600_000 : LIVE_STATUS_TTL_MS);
      return found;
    })().finally(() => lookups.delete(streamId));
    lookups.set(streamId, lookup);
  }
  return lookup;
}

/** Called when this instance ends a stream. */
export function forgetStreamStatus(streamId: string): void {
  cache.delete(streamId);
  lookups.delete(streamId);
}
