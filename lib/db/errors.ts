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

/** Prisma's codes for a database it cannot reach or lost, a pool timeout, a write conflict, too many connections. */
const TRANSIENT_PRISMA_CODES = new Set(["P1001", "P1002", "P1008", "P1017", "P2024", "P2034", "P2037"]);
/** The pg adapter's kinds of driver error (Prisma keeps them as the error's cause). */
const TRANSIENT_ADAPTER_KINDS = new Set(["DatabaseNotReachable", "ConnectionClosed", "SocketTimeout", "TooManyConnections", "TransactionWriteConflict"]);

function transientCode(code: unknown): boolean {
  return (
    typeof code === "string" && (TRANSIENT_SQLSTATES.has(code) || code.startsWith("08") || TRANSIENT_NODE_CODES.has(code) || TRANSIENT_PRISMA_CODES.has(code))
  );
}

/** The driver error Prisma's pg adapter wrapped, as `{ kind, code? }`, if any. */
function adapterCause(error: Error): { kind?: unknown; code?: unknown } | null {
  const e = error as { cause?: unknown; meta?: { driverAdapterError?: { cause?: unknown } } };
  const cause = e.meta?.driverAdapterError?.cause ?? (error.name === "DriverAdapterError" ? e.cause : undefined);
  return cause && typeof cause === "object" ? (cause as { kind?: unknown; code?: unknown }) : null;
}

export function isTransientDatabaseError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if ((error as { transient?: unknown }).transient === true) return true;
  if (transientCode((error as { code?: unknown }).code)) return true;
  const cause = adapterCause(error);
  if (cause && (transientCode(cause.code) || (typeof cause.kind === "string" && TRANSIENT_ADAPTER_KINDS.has(cause.kind)))) return true;
  return /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Connection is closed|Query read timeout/i.test(
    error.message,
  );
}

/** An error as one log line: its message with whitespace collapsed (Prisma's span several lines), and its code. */
export function describeDatabaseError(error: unknown): string {
  if (!(error instanceof Error)) return String(error).replace(/\s+/g, " ").trim();
  const code = (error as { code?: unknown }).code;
  const cause = adapterCause(error);
  const codes = [typeof code === "string" ? code : null, typeof cause?.code === "string" ? cause.code : null].filter(Boolean);
  const message = error.message.replace(/\s+/g, " ").trim();
  return `${message}${codes.length ? ` (${codes.join(", ")})` : ""}`;
}
