import { formatCoins, formatDiamonds } from "@/lib/economy";
import type { SeriesBucket } from "@/lib/earnings/queries";
import { Table } from "@/components/ui/Table";

/**
 * Diamonds per bucket as plain SVG bars, with the same figures in a table for
 * screen readers and anyone who prefers numbers. Scales to the container width.
 */
export function EarningsChart({ buckets, hourly, title, id }: { buckets: SeriesBucket[]; hourly: boolean; title: string; id: string }) {
  const max = buckets.reduce((m, b) => (b.diamonds > m ? b.diamonds : m), 0n);
  const barWidth = 10;
  const gap = buckets.length > 20 ? 2 : 4;
  const chartHeight = 120;
  const width = Math.max(buckets.length * (barWidth + gap), 1);
  const label = (b: SeriesBucket) => (hourly ? `${b.start.toISOString().slice(11, 13)}:00` : b.start.toISOString().slice(5, 10));
  const every = hourly ? 6 : buckets.length > 10 ? 5 : 1;
  const total = buckets.reduce((sum, b) => sum + b.diamonds, 0n);
  return (
    <figure className="flex flex-col gap-2">
      <figcaption id={`${id}-caption`} className="text-sm font-semibold">
        {title}: 💎 {formatDiamonds(total)} in total{max > 0n ? `, best ${hourly ? "hour" : "day"} 💎 ${formatDiamonds(max)}` : ""}
      </figcaption>
      {buckets.length ? (
        <svg
          viewBox={`0 0 ${width} ${chartHeight + 2}`}
          className="h-44 w-full"
          preserveAspectRatio="none"
          role="img"
          aria-labelledby={`${id}-caption`}
          data-testid={`${id}-svg`}
        >
          <line x1="0" x2={width} y1={chartHeight} y2={chartHeight} stroke="#9ca3af" strokeWidth="0.5" />
          {buckets.map((b, i) => {
            // Proportions only (a whole number of thousandths); the figures themselves stay bigint.
            const share = max > 0n ? Number((b.diamonds * 1000n) / max) / 1000 : 0;
            const height = b.diamonds > 0n ? Math.max(share * chartHeight, 1.5) : 0;
            const x = i * (barWidth + gap) + gap / 2;
            return (
              <g key={b.start.toISOString()}>
                <rect x={x} y={chartHeight - height} width={barWidth} height={height} rx="1.5" className="fill-cyan-600">
                  <title>{`${label(b)}: ${formatDiamonds(b.diamonds)} diamonds`}</title>
                </rect>
              </g>
            );
          })}
        </svg>
      ) : null}
      {buckets.length ? (
        // Axis labels in HTML, not inside the stretched SVG, so the text keeps its shape on any width.
        <div aria-hidden="true" className="-mt-1 grid text-[11px] text-gray-600" style={{ gridTemplateColumns: `repeat(${buckets.length}, minmax(0, 1fr))` }}>
          {buckets.map((b, i) => (
            <span key={b.start.toISOString()} className="overflow-visible whitespace-nowrap">
              {i % every === 0 ? label(b) : ""}
            </span>
          ))}
        </div>
      ) : null}
      <details className="text-sm">
        <summary className="cursor-pointer font-semibold text-brand-dark">Show as a table</summary>
        <div className="mt-2 max-h-72 overflow-auto">
          <Table
            dense
            className="w-full text-left"
            caption={title}
            columns={[
              { label: hourly ? "Hour (UTC)" : "Day (UTC)" },
              { label: "Gifts", numeric: true },
              { label: "Coins", numeric: true },
              { label: "Diamonds", numeric: true },
            ]}
          >
            {buckets.map((b) => (
              <tr key={b.start.toISOString()} className="border-t border-gray-100">
                <th scope="row" className="py-1 pr-2 font-normal">
                  {hourly ? b.start.toISOString().slice(0, 13).replace("T", " ") + ":00" : b.start.toISOString().slice(0, 10)}
                </th>
                <td className="py-1 pr-2 text-right tabular-nums">{String(b.gifts)}</td>
                <td className="py-1 pr-2 text-right tabular-nums">{formatCoins(b.coins)}</td>
                <td className="py-1 text-right tabular-nums">{formatDiamonds(b.diamonds)}</td>
              </tr>
            ))}
          </Table>
        </div>
      </details>
    </figure>
  );
}
