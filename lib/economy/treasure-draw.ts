/**
 * The treasure box draw, reproducible from its seed (decision 020): the same
 * seed, entrants and figures give the same winners and shares, so an operator
 * can audit any result. Deterministic and free of I/O, but it hashes with
 * node:crypto, so it is not exported from ./index (client bundles import that).
 *
 * Random source: 64-bit words read from HMAC-SHA256(seed, "treasure:<block>"),
 * four words per block; uniform integers by rejection (no modulo bias).
 * Winners: a Fisher–Yates shuffle of the entrants (sorted by id first, so the
 * order they joined in does not matter), the first min(K, entrants) of it.
 * Shares: each winner gets 1 coin, and the other N − W coins are cut at W − 1
 * uniform points of [0, N − W]: uneven, random, summing to exactly N.
 */
import { createHmac } from "node:crypto";

export interface TreasureShare {
  userId: string;
  coins: bigint;
}

const TWO_64 = 1n << 64n;

/** A stream of uniform random integers drawn from the seed. */
export class SeededRandom {
  private block = 0;
  private words: bigint[] = [];

  constructor(private readonly key: Buffer) {}

  static fromSeed(seedHex: string): SeededRandom {
    if (!/^[0-9a-f]{64}$/.test(seedHex)) throw new RangeError("A treasure seed is 32 bytes as lowercase hex.");
    return new SeededRandom(Buffer.from(seedHex, "hex"));
  }

  private nextWord(): bigint {
    if (!this.words.length) {
      const digest = createHmac("sha256", this.key).update(`treasure:${this.block++}`).digest();
      for (let i = 0; i < 32; i += 8) this.words.push(digest.readBigUInt64BE(i));
    }
    return this.words.shift()!;
  }

  /** A uniform integer in [0, n) for 1 ≤ n ≤ 2^64. */
  below(n: bigint): bigint {
    if (n < 1n || n > TWO_64) throw new RangeError(`below(${n}) needs 1 ≤ n ≤ 2^64`);
    const limit = TWO_64 - (TWO_64 % n);
    for (;;) {
      const word = this.nextWord();
      if (word < limit) return word % n;
    }
  }
}

/**
 * Draws a box's winners and their shares. `entrants` are user ids (any
 * order: they are sorted here; duplicates count once). Returns the winners in
 * draw order; the shares sum to `coins` exactly, and each is ≥ 1 coin when
 * there are at most `coins` winners (never fewer winners than that: with more
 * slots than coins, only `coins` winners are drawn).
 */
export function drawTreasure(seedHex: string, entrants: readonly string[], coins: bigint, slots: number): TreasureShare[] {
  if (coins < 1n) throw new RangeError("A treasure box holds at least 1 coin.");
  if (!Number.isInteger(slots) || slots < 1) throw new RangeError("A treasure box has at least 1 winner slot.");
  const random = SeededRandom.fromSeed(seedHex);
  const pool = [...new Set(entrants)].sort();
  for (let i = pool.length - 1; i > 0; i--) {
    const j = Number(random.below(BigInt(i + 1)));
    [pool[i], pool[j]] = [pool[j]!, pool[i]!];
  }
  const count = Math.min(slots, pool.length, Number(coins > BigInt(Number.MAX_SAFE_INTEGER) ? BigInt(Number.MAX_SAFE_INTEGER) : coins));
  if (count === 0) return [];
  const spare = coins - BigInt(count);
  const cuts: bigint[] = [];
  for (let i = 0; i < count - 1; i++) cuts.push(random.below(spare + 1n));
  cuts.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const bounds = [0n, ...cuts, spare];
  return pool.slice(0, count).map((userId, i) => ({ userId, coins: 1n + bounds[i + 1]! - bounds[i]! }));
}
