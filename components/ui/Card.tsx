import type { ReactNode } from "react";

interface SectionProps {
  /** Names the heading: `${id}-heading`, which labels the section. */
  id: string;
  title: ReactNode;
  /** Shown under the heading when there is nothing to show. */
  empty?: string | null;
  /** Beside the heading, on the same line (a link or a badge). */
  aside?: ReactNode;
  /** The section itself takes the id too, for links to it (`#id`). */
  anchor?: boolean;
  testId?: string;
  children?: ReactNode;
}

/**
 * A section of a page named by its heading, the empty state when there is
 * nothing to show, then its content; its items stand one under the other.
 * For a list whose items are cards themselves.
 */
export function Section(props: SectionProps) {
  return <Labelled {...props} className="flex flex-col gap-3" />;
}

/**
 * One white card of a page: a section named by its heading, the empty state
 * when there is nothing to show, then its content. Its items stand 0.75 rem
 * apart; with `flow` they keep their own margins instead.
 */
export function Card({ flow = false, ...props }: SectionProps & { flow?: boolean }) {
  return <Labelled {...props} className={flow ? "rounded-2xl bg-white p-5 shadow-sm" : "flex flex-col gap-3 rounded-2xl bg-white p-5 shadow-sm"} />;
}

function Labelled({ id, title, empty = null, aside, anchor = false, testId, className, children }: SectionProps & { className: string }) {
  const heading = (
    <h2 id={`${id}-heading`} className="text-lg font-bold">
      {title}
    </h2>
  );
  return (
    <section id={anchor ? id : undefined} aria-labelledby={`${id}-heading`} className={className} data-testid={testId}>
      {aside ? (
        <div className="flex items-center justify-between gap-2">
          {heading}
          {aside}
        </div>
      ) : (
        heading
      )}
      {empty ? <p className="text-sm text-muted">{empty}</p> : null}
      {children}
    </section>
  );
}
