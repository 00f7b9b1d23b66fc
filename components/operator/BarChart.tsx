export interface BarDatum {
  /** The bar's label under it and in the table ("Dec 2"). */
  label: string;
  value: bigint;
}

/**
 * A daily bar chart in plain SVG, with the figures behind it as a table (open
 * "Show the figures"); the chart itself is described by its caption. Heights
 * are display arithmetic only; the figures shown are formatted from the exact
 * values.
 */
export function BarChart({ id, title, data, format }: { id: string; title: string; data: readonly BarDatum[]; format: (value: bigint) => string }) {
  const max = data.reduce((m, d) => (d.value > m ? d.value : m), 0n);
  const width = 100 / Math.max(1, data.length);
  const total = data.reduce((sum, d) => sum + d.value, 0n);
  return (
    <figure aria-labelledby={`${id}-caption`} className="flex flex-col gap-2">
      <figcaption id={`${id}-caption`} className="text-sm font-semibold">
        {title}: {format(total)} in {data.length} days{max > 0n ? `, highest ${format(max)} a day` : ""}
      </figcaption>
      <svg viewBox="0 0 100 40" preserveAspectRatio="none" className="h-32 w-full rounded-lg bg-gray-50" aria-hidden="true">
        {data.map((d, i) => {
          const height = max === 0n ? 0 : Math.max(d.value > 0n ? 0.8 : 0, (Number((d.value * 10_000n) / max) / 10_000) * 38);
          return <rect key={d.label} x={i * width + width * 0.15} y={40 - height} width={width * 0.7} height={height} className="fill-brand-dark" />;
        })}
      </svg>
      <div className="flex justify-between text-xs text-muted" aria-hidden="true">
        <span>{data[0]?.label}</span>
        <span>{data.at(-1)?.label}</span>
      </div>
      <details className="text-sm">
        <summary className="cursor-pointer font-semibold text-brand-dark underline">Show the figures</summary>
        <table className="mt-2 w-full text-left">
          <caption className="sr-only">{title}, by day</caption>
          <thead>
            <tr className="text-muted">
              <th scope="col" className="py-1 pr-2">
                Day (UTC)
              </th>
              <th scope="col" className="py-1 text-right">
                {title}
              </th>
            </tr>
          </thead>
          <tbody>
            {data.map((d) => (
              <tr key={d.label} className="border-t border-gray-100">
                <td className="py-1 pr-2">{d.label}</td>
                <td className="py-1 text-right tabular-nums">{format(d.value)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
