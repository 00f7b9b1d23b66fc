import type { Metadata } from "next";
import Link from "next/link";
import { formatCoins } from "@/lib/economy";
import { getLiveBus } from "@/lib/live/bus";
import { listLiveStreams } from "@/lib/live/streams";

export const metadata: Metadata = { title: "Live now" };
export const dynamic = "force-dynamic";

export default async function LiveNowPage() {
  const streams = await listLiveStreams();
  const bus = getLiveBus();
  return (
    <div className="flex flex-col gap-4">
      <h1 className="text-2xl font-extrabold">Live now</h1>
      {streams.length === 0 ? (
        <p className="rounded-2xl bg-white p-6 text-muted shadow-sm">Nobody is live right now. Creators can go live from their creator page.</p>
      ) : (
        <ul className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
          {streams.map((s) => (
            <li key={s.id}>
              <Link href={`/live/${s.id}`} className="flex flex-col rounded-2xl bg-ink p-4 text-white shadow hover:ring-2 hover:ring-accent">
                <span className="self-start rounded bg-brand-dark px-2 py-0.5 text-xs font-bold">LIVE</span>
                <span className="mt-2 text-lg font-bold">{s.creatorName}</span>
                <span className="text-sm text-white/85">{s.title}</span>
                <span className="mt-2 text-xs text-white/85">
                  👁 {bus.viewers(s.id)} watching · 🪙 {formatCoins(s.coinsReceived)} in gifts
                </span>
              </Link>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
