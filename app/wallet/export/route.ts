import { auth } from "@/lib/auth/config";
import { historyCsvStream } from "@/lib/export/history-csv";

/** The signed-in viewer's purchases and coin movements as CSV, streamed a page at a time. */
export async function GET() {
  const session = await auth();
  if (!session?.user?.id) return Response.json({ error: "Sign in to export your history." }, { status: 401 });
  return new Response(historyCsvStream(session.user.id), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": 'attachment; filename="coin-economy-history.csv"',
      "Cache-Control": "no-store",
    },
  });
}
