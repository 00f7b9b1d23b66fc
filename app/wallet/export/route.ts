import { auth } from "@/lib/auth/config";
import { formatMoney } from "@/lib/economy";
import { getLedger } from "@/lib/ledger";
import { listPayments } from "@/lib/payments/intents";

function csvCell(value: string): string {
  // Quote everything; neutralise spreadsheet formulas.
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return `"${safe.replaceAll('"', '""')}"`;
}

/** The signed-in viewer's purchases and coin movements as CSV. */
export async function GET() {
  const session = await auth();
  if (!session?.user?.id) return Response.json({ error: "Sign in to export your history." }, { status: 401 });
  const userId = session.user.id;
  const lines = [["type", "time_utc", "description", "coins", "amount", "currency", "status", "reference"].join(",")];
  let cursor: string | null = null;
  do {
    const page: Awaited<ReturnType<typeof listPayments>> = await listPayments(userId, { cursor, limit: 200 });
    for (const p of page.items) {
      lines.push(
        ["purchase", p.createdAt.toISOString(), `${p.coins} coins`, String(p.coins + p.bonusCoins), formatMoney(p.amount, p.currency), p.currency, p.status, p.id]
          .map(csvCell)
          .join(","),
      );
    }
    cursor = page.nextCursor;
  } while (cursor);
  const ledger = getLedger();
  const wallet = await ledger.userAccount(userId, "VIEWER_COINS");
  let historyCursor: string | null = null;
  do {
    const page: Awaited<ReturnType<typeof ledger.getHistory>> = await ledger.getHistory(wallet.id, { cursor: historyCursor, limit: 200 });
    for (const item of page.items) {
      lines.push(
        ["coins", item.createdAt.toISOString(), String(item.metadata.label ?? item.kind), String(item.amount), "", "", item.kind, `transfer-${item.transferId}`]
          .map(csvCell)
          .join(","),
      );
    }
    historyCursor = page.nextCursor;
  } while (historyCursor);
  return new Response(lines.join("\r\n") + "\r\n", {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": 'attachment; filename="coin-economy-history.csv"',
      "Cache-Control": "no-store",
    },
  });
}
