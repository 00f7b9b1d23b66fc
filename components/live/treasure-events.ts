// Treasure box events heard on a stream's live connection (useLiveEvents),
// handed to the treasure box panels of that stream. A plain emitter: each
// panel keeps its own boxes (mergeTreasureBoxes keeps the newest of each), so
// the room's reducer stays as it is.
import type { TreasureView } from "@/lib/live/treasure-view";

type Listener = (box: TreasureView) => void;

const listeners = new Map<string, Set<Listener>>();

/** Hands a box heard on a stream's connection to that stream's panels. */
export function publishTreasure(streamId: string, box: TreasureView): void {
  for (const listener of listeners.get(streamId) ?? []) listener(box);
}

/** Listens to a stream's treasure boxes; returns the unsubscribe. */
export function onTreasure(streamId: string, listener: Listener): () => void {
  const set = listeners.get(streamId) ?? new Set<Listener>();
  set.add(listener);
  listeners.set(streamId, set);
  return () => {
    set.delete(listener);
    if (!set.size) listeners.delete(streamId);
  };
}
