import { convertCoinsToDiamonds, DEFAULT_CREATOR_SHARE, type Rational } from "../economy";
import type { Ledger } from "./ledger";
import type { PostingInput, PostResult, TransferInput } from "./types";

export interface GiftAccounts {
  viewerCoins: bigint;
  creatorDiamonds: bigint;
  giftRevenue: bigint;
  diamondIssuance: bigint;
}

/**
 * The postings of one gift: the viewer's coins go to gift revenue, and diamonds
 * worth the creator's share are issued to the creator. The creator is credited
 * the floor of the exact share (in milli-diamonds); nothing else is issued.
 */
export function giftPostings(accounts: GiftAccounts, coins: bigint, share: Rational = DEFAULT_CREATOR_SHARE): PostingInput[] {
  const { diamondsMinor } = convertCoinsToDiamonds(coins, share);
  const postings: PostingInput[] = [
    { accountId: accounts.viewerCoins, amount: -coins },
    { accountId: accounts.giftRevenue, amount: coins },
  ];
  if (diamondsMinor > 0n) {
    postings.push({ accountId: accounts.diamondIssuance, amount: -diamondsMinor }, { accountId: accounts.creatorDiamonds, amount: diamondsMinor });
  }
  return postings;
}

/** Resolves the platform accounts once; then every gift is one post(). */
export async function createGiftPoster(ledger: Ledger) {
  const giftRevenue = (await ledger.platformAccount("gift_revenue")).id;
  const diamondIssuance = (await ledger.platformAccount("diamond_issuance")).id;
  return function postGift(args: {
    viewerCoins: bigint;
    creatorDiamonds: bigint;
    coins: bigint;
    idempotencyKey: string;
    metadata?: Record<string, unknown>;
    tag?: TransferInput["tag"];
    share?: Rational;
  }): Promise<PostResult> {
    return ledger.post({
      idempotencyKey: args.idempotencyKey,
      kind: "GIFT",
      metadata: { coins: args.coins.toString(), ...args.metadata },
      postings: giftPostings({ viewerCoins: args.viewerCoins, creatorDiamonds: args.creatorDiamonds, giftRevenue, diamondIssuance }, args.coins, args.share),
      tag: args.tag,
    });
  };
}
