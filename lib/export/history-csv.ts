// A viewer's purchases and coin movements as CSV, streamed a page at a time:
// the next page is read only when the reader has taken the last one, so a long
// history never sits in memory whole and a slow download holds no more than a
// page.
import "server-only";
import { formatMoney } from "../economy";
import { getLedger } from "../ledger";
import { listPayments } from "../payments/intents";

const PAGE = 200;
const HEADER = ["type", "time_utc", "description", "coins", "amount", "currency", "status", "reference"];

/** One CSV cell: always quoted; a leading = + - @ tab or CR is neutralised so no spreadsheet runs it as a formula. */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return `"${safe.replaceAll('"', '""')}"`;
}

const row = (cells: string[]) => cells.map(csvCell).join(",") + "\r\n";

/** The export's lines, page by page: the header, every purchase (newest first), then every coin movement (newest first). */
export async function* historyCsvChunks(userId: string): AsyncGenerator<string> {
  yield HEADER.join(",") + "\r\n";
  let cursor: string | null = null;
  do {
    const page: Awaited<ReturnType<typeof listPayments>> = await listPayments(userId, { cursor, limit: PAGE });
    yield page.items
      .map((p) =>
        row([
          "purchase",
          p.createdAt.toISOString(),
          `${p.coins} coins`,
          String(p.coins + p.bonusCoins),
          formatMoney(p.amount, p.currency),
          p.currency,
          p.status,
          p.id,
        ]),
      )
      .join("");
    cursor = page.nextCursor;
  } while (cursor);
  const ledger = getLedger();
  const wallet = await ledger.userAccount(userId, "VIEWER_COINS");
  let historyCursor: string | null = null;
  do {
    const page: Awaited<ReturnType<typeof ledger.getHistory>> = await ledger.getHistory(wallet.id, { cursor: historyCursor, limit: PAGE });
    yield page.items
      .map((item) =>
        row([
          "coins",
          item.createdAt.toISOString(),
          String(item.metadata.label ?? item.kind),
          String(item.amount),
          "",
          "",
          item.kind,
          `transfer-${item.transferId}`,
        ]),
      )
      .join("");
    historyCursor = page.nextCursor;
  } while (historyCursor);
}

/**
 * The export as a byte stream that reads a page per pull. A database failure
 * part-way ends the download with an error (the browser reports it failed, never
 * a file that looks complete) and is logged once with its cause.
 */
export function historyCsvStream(userId: string): ReadableStream<Uint8Array> {
  const chunks = historyCsvChunks(userId);
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        // An empty page enqueues nothing, and a pull that enqueues nothing is
        // not called again: read on until there is something to hand over.
        for (;;) {
          const next = await chunks.next();
          if (next.done) return controller.close();
          if (next.value) return controller.enqueue(encoder.encode(next.value));
        }
      } catch (error) {
        console.error(`history export for user ${userId} failed part-way: ${error instanceof Error ? error.message : String(error)}`);
        controller.error(error);
      }
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });
}
