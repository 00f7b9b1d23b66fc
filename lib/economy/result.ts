/**
 * Typed results for economy operations that can be refused for business reasons.
 * Programmer errors (negative balances, malformed rates) throw instead.
 */
import { AppError } from "../errors";

/** A refused operation: a stable machine-readable `code` plus a human message. */
export type EconomyFailure<Code extends string> = {
  readonly ok: false;
  readonly code: Code;
  readonly message: string;
};

/** A successful operation carrying its `value`. */
export type EconomySuccess<T> = { readonly ok: true; readonly value: T };

/** Either a success with a value or a typed failure. */
export type EconomyResult<T, Code extends string> = EconomySuccess<T> | EconomyFailure<Code>;

/** Wraps a value in a success result. */
export function succeed<T>(value: T): EconomySuccess<T> {
  return { ok: true, value };
}

/** Builds a typed failure result. */
export function fail<Code extends string>(code: Code, message: string): EconomyFailure<Code> {
  return { ok: false, code, message };
}

/** Error thrown by the throwing variants (e.g. `getPackage`) carrying the same stable code. */
export class EconomyError<Code extends string = string> extends AppError<Code> {
  static override readonly brand = "EconomyError";
}
