import type { TreasureStatus } from "@/lib/economy/treasure";

/** A box's status as the console names it. */
export const TREASURE_STATUS_LABELS: Record<TreasureStatus, string> = {
  OPEN: "Counting down",
  OPENED: "Opened",
  RETURNED: "Returned (nobody joined)",
};
