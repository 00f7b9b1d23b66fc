// The transfer rules, with no I/O: what a valid transfer looks like, that it
// balances per asset, what its content is (canonical JSON and the hash that
// idempotency compares), when a posting overdraws, and what post() answers.
// The writers apply these; change a rule here and every path follows.
import { hash } from "node:crypto";
import { LedgerError, type Account, type Asset, type Posting, type PostResult, type Transfer, type TransferInput } from "./types";

export const MAX_KEY_LENGTH = 200;

/** A transfer checked and ready to write: its postings with their assets, its content hash, its metadata as stored. */
export interface PreparedTransfer {
  input: TransferInput;
  postings: Posting[];
  hash: string;
  /** The metadata as stored (JSON-safe, bigints as strings). */
  metadataJson: string;
}

export function compareIds(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** JSON with object keys sorted, undefined members left out and bigints as strings: the same content is the same text. */
export function canonical(value: unknown): string {
  if (typeof value === "bigint") return JSON.stringify(value.toString());
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/** Metadata as stored: JSON-safe, bigints as strings. */
export function toJson(metadata: Record<string, unknown>): string {
  return JSON.stringify(metadata, (_key, value) => (typeof value === "bigint" ? value.toString() : value));
}

/**
 * SHA-256 of canonical({ kind, metadata, postings sorted by account then amount }),
 * with the postings spelled out by hand (keys in canonical order) because this
 * runs for every post().
 */
export function contentHash(input: TransferInput, postings: Posting[]): string {
  const sorted = [...postings].sort((a, b) => compareIds(a.accountId, b.accountId) || compareIds(a.amount, b.amount));
  let text = `{"kind":${JSON.stringify(input.kind)},"metadata":${canonical(input.metadata ?? {})},"postings":[`;
  for (let i = 0; i < sorted.length; i++) {
    const p = sorted[i]!;
    text += `${i ? "," : ""}{"accountId":"${p.accountId}","amount":"${p.amount}","asset":"${p.asset}"}`;
  }
  return hash("sha256", `${text}]}`, "hex");
}

/** Refuses malformed input before anything else is looked at. */
export function checkShape(input: TransferInput): void {
  const key = input.idempotencyKey;
  if (typeof key !== "string" || key.length === 0 || key.length > MAX_KEY_LENGTH) {
    throw new LedgerError("INVALID_TRANSFER", `The idempotency key must be 1–${MAX_KEY_LENGTH} characters.`);
  }
  if (!Array.isArray(input.postings) || input.postings.length < 2) {
    throw new LedgerError("INVALID_TRANSFER", "A transfer needs at least two postings.");
  }
  for (const posting of input.postings) {
    if (typeof posting.amount !== "bigint" || posting.amount === 0n) {
      throw new LedgerError("INVALID_TRANSFER", "Every posting moves a non-zero integer amount (bigint).");
    }
  }
}

/** The postings with their accounts' assets; refuses unknown accounts and transfers that do not balance per asset. */
export function balancedPostings(input: TransferInput, accounts: ReadonlyMap<bigint, Account>): Posting[] {
  const sums = new Map<Asset, bigint>();
  const postings = input.postings.map((p) => {
    const account = accounts.get(p.accountId);
    if (!account) throw new LedgerError("UNKNOWN_ACCOUNT", `Account ${p.accountId} does not exist.`, { accountId: String(p.accountId) });
    sums.set(account.asset, (sums.get(account.asset) ?? 0n) + p.amount);
    return { accountId: p.accountId, asset: account.asset, amount: p.amount };
  });
  for (const [asset, sum] of sums) {
    if (sum !== 0n) {
      throw new LedgerError("UNBALANCED", `The ${asset} postings sum to ${sum}, not zero.`, { asset, sum: String(sum) });
    }
  }
  return postings;
}

/**
 * A shaped transfer (checkShape) with its accounts, ready to write; refuses
 * unknown accounts and transfers that do not balance.
 */
export function prepareTransfer(input: TransferInput, accounts: ReadonlyMap<bigint, Account>): PreparedTransfer {
  const postings = balancedPostings(input, accounts);
  return { input, postings, hash: contentHash(input, postings), metadataJson: toJson(input.metadata ?? {}) };
}

/** A prepared transfer as stored under this id and time. */
export function storedTransfer(prepared: PreparedTransfer, id: bigint, createdAt: Date): Transfer {
  return {
    id,
    idempotencyKey: prepared.input.idempotencyKey,
    kind: prepared.input.kind,
    metadata: JSON.parse(prepared.metadataJson),
    createdAt,
    postings: prepared.postings,
  };
}

/**
 * What post() answers. Given `balances` (each account's balance as the batch
 * that wrote the transfer committed), a transfer written now, with the balances
 * of the accounts it touched; without, the original of a replayed key, whose
 * accounts may have moved since.
 */
export function postResult(transfer: Transfer, balances?: ReadonlyMap<bigint, bigint>): PostResult {
  if (!balances) return { ...transfer, replayed: true };
  const touched = new Map<bigint, bigint>();
  for (const p of transfer.postings) {
    const balance = balances.get(p.accountId);
    if (balance !== undefined) touched.set(p.accountId, balance);
  }
  return { ...transfer, replayed: false, balances: touched };
}

export function idempotencyConflict(key: string): LedgerError {
  return new LedgerError("IDEMPOTENCY_CONFLICT", `The idempotency key "${key}" was already used for a different transfer.`, { idempotencyKey: key });
}

/**
 * A key posted again: the original transfer when the content (hash) is the
 * same, an idempotency conflict otherwise. `original` is read only for a replay.
 */
export function repeatedKey(prepared: PreparedTransfer, originalHash: string, original: () => Transfer): { result: PostResult } | { error: LedgerError } {
  if (originalHash !== prepared.hash) return { error: idempotencyConflict(prepared.input.idempotencyKey) };
  return { result: postResult(original()) };
}

/**
 * The refusal of a transfer that would take an account that may not go
 * negative below zero, given the balances before it (every account it touches
 * must be there); null when it fits.
 */
export function shortfall(postings: readonly Posting[], balances: ReadonlyMap<bigint, { balance: bigint; allowNegative: boolean }>): LedgerError | null {
  const short = postings.find((p) => {
    const account = balances.get(p.accountId)!;
    return !account.allowNegative && account.balance + p.amount < 0n;
  });
  if (!short) return null;
  const available = balances.get(short.accountId)!.balance;
  return new LedgerError("INSUFFICIENT_FUNDS", `Not enough ${short.asset}: ${-short.amount} needed, ${available} available.`, {
    accountId: String(short.accountId),
    asset: short.asset,
    needed: String(-short.amount),
    available: String(available),
  });
}
