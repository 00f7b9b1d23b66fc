// Which creators' diamonds a refund takes back (pure; see
// docs/decisions/016-refunds-and-clawback.md). The coins of a refunded purchase
// that the viewer had already spent (the shortfall) are traced to the viewer's
// gifts after the purchase, oldest first, until the shortfall is covered. Each
// such gift gives back its diamonds pro rata to the coins traced to it, rounded
// down (rounding never creates value). A creator gives back at most what their
// wallet holds now; the rest is the platform's loss.

export interface ClawbackGift {
  /** The gift's transfer id. */
  transferId: bigint;
  creatorId: string;
  /** Coins of this gift still open to tracing (its coins less what earlier refunds traced to it). */
  coins: bigint;
  /** Diamonds (milli-diamonds) this gift issued to the creator, pro rata to `coins` where part was traced before. */
  diamondsMinor: bigint;
}

export interface TracedGift {
  transferId: bigint;
  creatorId: string;
  coins: bigint;
  diamondsMinor: bigint;
}

export interface CreatorClawback {
  creatorId: string;
  /** Diamonds the traced gifts gave this creator. */
  dueMinor: bigint;
  /** Taken back from the creator's wallet (≤ due, ≤ their balance). */
  clawedMinor: bigint;
  /** What could not be taken back: the platform's loss. */
  lossMinor: bigint;
}

export interface ClawbackPlan {
  traced: TracedGift[];
  creators: CreatorClawback[];
  /** Shortfall coins no gift accounts for (spent otherwise, or gifts already traced). */
  untracedCoins: bigint;
}

/** The diamonds of `part` coins out of a gift of `coins` coins that issued `diamonds`, rounded down. */
export function proRataDiamonds(diamondsMinor: bigint, part: bigint, coins: bigint): bigint {
  if (coins <= 0n || part <= 0n || diamondsMinor <= 0n) return 0n;
  if (part >= coins) return diamondsMinor;
  return (diamondsMinor * part) / coins;
}

export function planClawback(shortfall: bigint, gifts: readonly ClawbackGift[], creatorBalances: ReadonlyMap<string, bigint>): ClawbackPlan {
  let left = shortfall > 0n ? shortfall : 0n;
  const traced: TracedGift[] = [];
  for (const gift of gifts) {
    if (left === 0n) break;
    if (gift.coins <= 0n) continue;
    const part = gift.coins < left ? gift.coins : left;
    left -= part;
    traced.push({ transferId: gift.transferId, creatorId: gift.creatorId, coins: part, diamondsMinor: proRataDiamonds(gift.diamondsMinor, part, gift.coins) });
  }
  const due = new Map<string, bigint>();
  for (const t of traced) due.set(t.creatorId, (due.get(t.creatorId) ?? 0n) + t.diamondsMinor);
  const creators: CreatorClawback[] = [];
  for (const [creatorId, dueMinor] of due) {
    if (dueMinor === 0n) continue;
    const balance = creatorBalances.get(creatorId) ?? 0n;
    const available = balance > 0n ? balance : 0n;
    const clawedMinor = dueMinor < available ? dueMinor : available;
    creators.push({ creatorId, dueMinor, clawedMinor, lossMinor: dueMinor - clawedMinor });
  }
  return { traced, creators, untracedCoins: left };
}
