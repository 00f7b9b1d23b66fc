import type { Metadata, Viewport } from "next";
import { TopNav } from "@/components/layout/TopNav";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Coin Economy", template: "%s · Coin Economy" },
  description: "A simulator of a creator-gifting coin economy: coins, gifts, diamonds and payouts on one exact ledger.",
};

export const viewport: Viewport = { width: "device-width", initialScale: 1, themeColor: "#fe2c55" };

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-dvh">
        <a
          href="#main"
          className="sr-only focus:not-sr-only focus:absolute focus:top-2 focus:left-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2"
        >
          Skip to content
        </a>
        <TopNav />
        <main id="main" className="mx-auto w-full max-w-5xl px-4 pt-6 pb-24 sm:pb-6">
          {children}
        </main>
      </body>
    </html>
  );
}
