import Link from "next/link";
import { findGift, formatCoins, formatDiamonds } from "@/lib/economy";
import type { GiftTypeEarnings, Supporter } from "@/lib/earnings/queries";
import { Card } from "@/components/ui/Card";
import { Table } from "@/components/ui/Table";

export function giftName(giftId: string): string {
  return findGift(giftId)?.name ?? (giftId ? giftId : "Other gifts");
}

/** Count, coins and diamonds per gift type. */
export function GiftTypesTable({ items, caption }: { items: GiftTypeEarnings[]; caption: string }) {
  if (!items.length) return <p className="text-sm text-muted">No gifts yet.</p>;
  return (
    <div className="overflow-x-auto">
      <Table
        testId="gift-types"
        caption={caption}
        columns={[{ label: "Gift" }, { label: "Count", numeric: true }, { label: "Coins", numeric: true }, { label: "Diamonds", numeric: true }]}
      >
        {items.map((g) => (
          <tr key={g.giftId} className="border-t border-gray-100">
            <th scope="row" className="py-2 pr-2 font-semibold">
              {giftName(g.giftId)}
            </th>
            <td className="py-2 pr-2 text-right tabular-nums">{String(g.gifts)}</td>
            <td className="py-2 pr-2 text-right tabular-nums">{formatCoins(g.coins)}</td>
            <td className="py-2 text-right tabular-nums">{formatDiamonds(g.diamonds)}</td>
          </tr>
        ))}
      </Table>
    </div>
  );
}

/** Supporters by coins given; viewers who opted out of rankings are not named. */
export function SupportersList({ items }: { items: Supporter[] }) {
  if (!items.length) return <p className="text-sm text-muted">No supporters yet.</p>;
  return (
    <ol className="flex flex-col gap-1 text-sm" data-testid="top-supporters">
      {items.map((s, i) => (
        <li key={i} className="flex items-center justify-between gap-3 border-t border-gray-100 py-2 first:border-t-0">
          <span>
            <span className="mr-2 inline-block w-5 text-right font-bold text-muted">{i + 1}.</span>
            <span className={s.anonymous ? "italic" : "font-semibold"}>{s.name}</span>
          </span>
          <span className="text-right tabular-nums">
            🪙 {formatCoins(s.coins)} · 💎 {formatDiamonds(s.diamonds)}
            <span className="sr-only"> from {String(s.gifts)} gifts</span>
          </span>
        </li>
      ))}
    </ol>
  );
}

/** Links between the creator pages. */
/** The two cards under a creator's figures: gifts by type and the top supporters, of all time or of one stream. */
export function GiftsAndSupporters({ giftTypes, supporters, of }: { giftTypes: GiftTypeEarnings[]; supporters: Supporter[]; of: "all time" | "this stream" }) {
  const allTime = of === "all time";
  return (
    <div className="grid gap-5 md:grid-cols-2">
      <Card flow id="gifts" title={allTime ? "By gift (all time)" : "By gift"}>
        <GiftTypesTable items={giftTypes} caption={allTime ? "Gifts received by type, all time" : "Gifts received during this stream by type"} />
      </Card>
      <Card flow id="supporters" title={allTime ? "Top supporters (all time)" : "Top supporters"}>
        {allTime ? <p className="text-xs text-muted">Viewers who chose not to appear in rankings are shown as “Anonymous supporter”.</p> : null}
        <SupportersList items={supporters} />
      </Card>
    </div>
  );
}

export function CreatorTabs({ current }: { current: "overview" | "earnings" | "withdrawals" | "fans" }) {
  const tabs = [
    { id: "overview", href: "/creator", label: "LIVE" },
    { id: "earnings", href: "/creator/earnings", label: "Earnings" },
    { id: "withdrawals", href: "/creator/withdrawals", label: "Withdrawals" },
    { id: "fans", href: "/creator/fans", label: "Fan club" },
  ] as const;
  return (
    <nav aria-label="Creator" className="flex gap-2 overflow-x-auto">
      {tabs.map((tab) => (
        <Link
          key={tab.id}
          href={tab.href}
          aria-current={tab.id === current ? "page" : undefined}
          className={`rounded-full px-4 py-2 text-sm font-semibold ${tab.id === current ? "bg-gray-900 text-white" : "bg-white text-gray-900 shadow-sm hover:bg-gray-100"}`}
        >
          {tab.label}
        </Link>
      ))}
    </nav>
  );
}
