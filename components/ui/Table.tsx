import type { ReactNode } from "react";

export interface Column {
  label: string;
  /** A column of figures: right-aligned. */
  numeric?: boolean;
}

interface TableProps {
  columns: Column[];
  /** Read by screen readers only, unless `showCaption`. */
  caption?: ReactNode;
  showCaption?: boolean;
  /** Small upper-case column names and rows ruled by the body (the creator pages' tables); otherwise each row draws its own rule. */
  caps?: boolean;
  /** Tighter rows (a table tucked under a chart). */
  dense?: boolean;
  className?: string;
  testId?: string;
  /** The rows. */
  children: ReactNode;
}

/** A table of rows under named columns; the last column has no right padding. */
export function Table({
  columns,
  caption,
  showCaption = false,
  caps = false,
  dense = false,
  className = "w-full text-left text-sm",
  testId,
  children,
}: TableProps) {
  return (
    <table className={className} data-testid={testId}>
      {caption ? <caption className={showCaption ? "mb-1 text-left font-semibold" : "sr-only"}>{caption}</caption> : null}
      <thead className={caps ? "text-xs tracking-wider text-muted uppercase" : undefined}>
        <tr className={caps ? undefined : "text-muted"}>
          {columns.map((column, i) => (
            <th key={column.label} scope="col" className={headerClass(column, i === columns.length - 1, dense)}>
              {column.label}
            </th>
          ))}
        </tr>
      </thead>
      <tbody className={caps ? "divide-y divide-gray-100" : undefined}>{children}</tbody>
    </table>
  );
}

function headerClass(column: Column, last: boolean, dense: boolean): string {
  return [dense ? "py-1" : "py-2", last ? null : "pr-2", column.numeric ? "text-right" : null].filter(Boolean).join(" ");
}
