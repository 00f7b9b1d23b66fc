// Classifies database errors: a passing fault (the server restarting, the
// connection lost, a lock or statement timeout, too many connections, the
// ledger's queue full) is worth a "busy, try again" answer; anything else is a
// bug to surface.
const TRANSIENT_SQLSTATES = new Set(["40001", "40P01", "53300", "55P03", "57014", "57P01", "57P02", "57P03"]);
const TRANSIENT_NODE_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "ENOTFOUND"]);

/**
 * The database cannot take this work now (the ledger's queue is full, or the
 * post waited too long behind a batch PostgreSQL is not finishing): nothing was
 * written; try again shortly. Recognised by a marker rather than by class, as
 * Next.js bundles server code more than once.
 */
export class DatabaseBusyError extends Error {
  readonly transient = true;
  constructor(message: string) {
    super(message);
    this.name = "DatabaseBusyError";
  }
}

export function isTransientDatabaseError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if ((error as { transient?: unknown }).transient === true) return true;
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string") {
    if (TRANSIENT_SQLSTATES.has(code) || code.startsWith("08") || TRANSIENT_NODE_CODES.has(code)) return true;
  }
  return /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Connection is closed/i.test(error.message);
}
