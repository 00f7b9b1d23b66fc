"use client";

import Link from "next/link";
import { useRef, useState } from "react";
import { Leaderboard, type LeaderRow } from "./Leaderboard";

export interface LeaderTab {
  id: string;
  label: string;
  rows: LeaderRow[];
  empty: string;
  testId: string;
}

/** Top gifters in tabs (WAI-ARIA tabs: arrow keys, Home and End move between them). */
export function LeaderTabs({ tabs, creatorName }: { tabs: LeaderTab[]; creatorName: string }) {
  const [selected, setSelected] = useState(0);
  const buttons = useRef<Array<HTMLButtonElement | null>>([]);
  function onKeyDown(event: React.KeyboardEvent) {
    const last = tabs.length - 1;
    const next =
      event.key === "ArrowRight"
        ? selected === last
          ? 0
          : selected + 1
        : event.key === "ArrowLeft"
          ? selected === 0
            ? last
            : selected - 1
          : event.key === "Home"
            ? 0
            : event.key === "End"
              ? last
              : null;
    if (next === null) return;
    event.preventDefault();
    setSelected(next);
    buttons.current[next]?.focus();
  }
  return (
    <section aria-labelledby="leaders" className="rounded-2xl bg-white p-4 shadow-sm">
      <h2 id="leaders" className="font-bold">
        Top gifters
      </h2>
      <div role="tablist" aria-label={`Top gifters of ${creatorName}`} className="mt-2 flex gap-1 rounded-full bg-gray-100 p-1 text-sm" onKeyDown={onKeyDown}>
        {tabs.map((tab, index) => (
          <button
            key={tab.id}
            ref={(el) => {
              buttons.current[index] = el;
            }}
            type="button"
            role="tab"
            id={`leaders-tab-${tab.id}`}
            aria-controls={`leaders-panel-${tab.id}`}
            aria-selected={index === selected}
            tabIndex={index === selected ? 0 : -1}
            onClick={() => setSelected(index)}
            className={`flex-1 rounded-full px-3 py-1.5 font-semibold ${index === selected ? "bg-white shadow-sm" : "text-muted hover:text-ink"}`}
          >
            {tab.label}
          </button>
        ))}
      </div>
      {tabs.map((tab, index) => (
        <div key={tab.id} role="tabpanel" id={`leaders-panel-${tab.id}`} aria-labelledby={`leaders-tab-${tab.id}`} hidden={index !== selected} tabIndex={0}>
          <Leaderboard rows={tab.rows} empty={tab.empty} testId={tab.testId} />
        </div>
      ))}
      <p className="mt-2 text-xs text-muted">
        Weeks start on Monday 00:00 UTC. Prefer not to be listed by name?{" "}
        <Link href="/wallet#rankings" className="font-semibold text-brand-dark underline">
          Appear as anonymous
        </Link>
      </p>
    </section>
  );
}
