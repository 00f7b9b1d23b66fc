// The ledger's enums are the database's (prisma/schema.prisma), as Prisma generates them: one list each.
import { AccountKind as ACCOUNT_KIND, Asset as ASSET, TransferKind as TRANSFER_KIND } from "../db/generated/prisma/enums";

export { ACCOUNT_KIND, ASSET, TRANSFER_KIND };
export type Asset = (typeof ASSET)[keyof typeof ASSET];
export type TransferKind = (typeof TRANSFER_KIND)[keyof typeof TRANSFER_KIND];
export type AccountKind = (typeof ACCOUNT_KIND)[keyof typeof ACCOUNT_KIND];

/** Every kind of transfer, in the schema's order (the operator's transfer browser lists them so). */
export const TRANSFER_KINDS: readonly TransferKind[] = Object.values(TRANSFER_KIND);

export interface Account {
  id: bigint;
  code: string;
  asset: Asset;
  kind: AccountKind;
  userId: string | null;
  allowNegative: boolean;
}

export interface PostingInput {
  accountId: bigint;
  /** Positive credits the account, negative debits it. Never zero. */
  amount: bigint;
}

export interface TransferInput {
  /** Client-supplied, unique per intended movement of value (1–200 characters). */
  idempotencyKey: string;
  kind: TransferKind;
  metadata?: Record<string, unknown>;
  postings: PostingInput[];
  /**
   * Opaque data for batch hooks (for example the live event a gift announces);
   * not stored with the transfer and not part of its content.
   */
  tag?: unknown;
}

export interface Posting {
  accountId: bigint;
  asset: Asset;
  amount: bigint;
}

export interface Transfer {
  id: bigint;
  idempotencyKey: string;
  kind: TransferKind;
  metadata: Record<string, unknown>;
  createdAt: Date;
  postings: Posting[];
}

export interface PostResult extends Transfer {
  /** True when this key had already been posted and the original is returned. */
  replayed: boolean;
  /**
   * For a transfer written now: the balance of each account it touched as its
   * batch committed (later transfers of the same batch included). Absent for a
   * replayed transfer, whose accounts may have moved since.
   */
  balances?: ReadonlyMap<bigint, bigint>;
}

export type LedgerErrorCode = "INSUFFICIENT_FUNDS" | "IDEMPOTENCY_CONFLICT" | "UNBALANCED" | "UNKNOWN_ACCOUNT" | "INVALID_TRANSFER";

const LEDGER_ERROR = Symbol.for("coin-economy.LedgerError");

export class LedgerError extends Error {
  constructor(
    readonly code: LedgerErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = "LedgerError";
    Object.defineProperty(this, LEDGER_ERROR, { value: true });
  }

  /**
   * `instanceof LedgerError` holds for ledger errors made by any copy of this
   * module. Next.js bundles server code more than once (instrumentation, route
   * handlers, server actions), and the process-wide ledger is made by whichever
   * bundle asks first; without this, a server action would not recognise an
   * "insufficient funds" raised by a ledger made in another bundle.
   */
  static [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[LEDGER_ERROR] === true;
  }
}
