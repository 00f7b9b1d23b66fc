import type { ReactNode } from "react";
import { convertDiamondsToCash, formatDiamonds, formatMoney } from "@/lib/economy";
import { diamondPrice } from "./format";

interface BalanceCardProps {
  headingId: string;
  title: string;
  /** The balance shown, in milli-diamonds. */
  diamondsMinor: bigint;
  /** Test ids of the balance and of its cash line. */
  testId: string;
  cashTestId?: string;
  /** Said after the cash value, on the same line. */
  note?: ReactNode;
  /** What the page adds under the balance (links, reserved diamonds). */
  children?: ReactNode;
}

/** The cyan card at the top of a creator page: a diamond balance and what it is worth, then what the page adds. */
export function BalanceCard({ headingId, title, diamondsMinor, testId, cashTestId, note, children }: BalanceCardProps) {
  return (
    <section className="rounded-3xl bg-gradient-to-br from-cyan-200 to-cyan-400 p-6 text-cyan-950 shadow" aria-labelledby={headingId}>
      <h2 id={headingId} className="text-sm font-bold tracking-wider uppercase">
        {title}
      </h2>
      <p className="text-4xl font-extrabold tabular-nums" data-testid={testId}>
        💎 {formatDiamonds(diamondsMinor)}
      </p>
      <p className="mt-1 text-sm font-medium" data-testid={cashTestId}>
        Worth {formatMoney(convertDiamondsToCash(diamondsMinor).cents, "USD")} at {diamondPrice()} per diamond.{note ? <> {note}</> : null}
      </p>
      {children}
    </section>
  );
}
