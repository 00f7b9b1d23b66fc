"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

/** The console's sections. Each page under app/operator/ adds itself here. */
export const OPERATOR_SECTIONS = [
  { href: "/operator", label: "Overview" },
  { href: "/operator/transfers", label: "Transfers" },
  { href: "/operator/purchases", label: "Purchases" },
  { href: "/operator/flags", label: "Fraud flags" },
  { href: "/operator/withdrawals", label: "Withdrawals" },
  { href: "/operator/treasure", label: "Treasure boxes" },
] as const;

function isCurrent(pathname: string, href: string): boolean {
  return href === "/operator" ? pathname === href : pathname === href || pathname.startsWith(`${href}/`);
}

/** Tabs between the console's sections; scrolls sideways on a phone. */
export function OperatorNav() {
  const pathname = usePathname();
  return (
    <nav aria-label="Economy console" className="-mx-4 overflow-x-auto px-4">
      <ul className="flex gap-2 text-sm font-semibold whitespace-nowrap">
        {OPERATOR_SECTIONS.map((section) => {
          const current = isCurrent(pathname, section.href);
          return (
            <li key={section.href}>
              <Link
                href={section.href}
                aria-current={current ? "page" : undefined}
                className={`inline-block rounded-full px-4 py-2 ${current ? "bg-gray-900 text-white" : "bg-white text-gray-800 shadow-sm hover:bg-gray-100"}`}
              >
                {section.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
