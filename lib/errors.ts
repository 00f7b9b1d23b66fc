// The one application error: a refusal a person can act on, with a stable code,
// a message written for them and, when it is about fields of a form, a message
// per field. Lib modules throw it, or a subclass that names their domain
// (LiveError, WithdrawalError, PaymentError…) and keeps its codes; server
// actions answer it as a refusal in one place (lib/action.ts), route handlers
// with a status. Anything else thrown is a fault, not a refusal. Pure.

const BRANDS = Symbol.for("coin-economy.AppError");

export class AppError<Code extends string = string> extends Error {
  /**
   * The name `instanceof` compares, the same in every copy of this module:
   * each subclass declares its own (a subclass without one matches nothing).
   */
  static readonly brand: string = "AppError";

  readonly code: Code;
  /** Messages for fields of the form the refusal is about, by field name (none: it is about the whole request). */
  readonly fieldErrors: Readonly<Record<string, string>>;

  constructor(code: Code, message: string, fieldErrors: Record<string, string> = {}, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
    this.fieldErrors = fieldErrors;
    const brands: string[] = [];
    for (let type: unknown = new.target; typeof type === "function" && type !== Error; type = Object.getPrototypeOf(type)) {
      if (Object.hasOwn(type, "brand")) brands.push((type as typeof AppError).brand);
    }
    this.name = brands[0] ?? "AppError";
    Object.defineProperty(this, BRANDS, { value: Object.freeze(brands) });
  }

  /**
   * `instanceof AppError` (or a subclass) holds for errors made by any copy of
   * this module. Next.js bundles server code more than once (instrumentation,
   * route handlers, server actions): an error thrown by a module another bundle
   * loaded is still recognised. Lookalikes (an Error with the same name and
   * code) are not.
   */
  static [Symbol.hasInstance](value: unknown): boolean {
    if (!Object.hasOwn(this, "brand")) return false;
    const brands = typeof value === "object" && value !== null ? (value as Record<symbol, unknown>)[BRANDS] : undefined;
    return Array.isArray(brands) && brands.includes(this.brand);
  }
}
