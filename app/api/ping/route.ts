// A trivial dynamic route: the cost of Next's routing and a JSON answer with no
// work behind it. bench:storm measures it as the baseline for the gift route,
// and the test harness polls it to know a server is up.
export const dynamic = "force-dynamic";

export function GET() {
  return Response.json({ ok: true });
}
