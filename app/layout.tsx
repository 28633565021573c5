import type { Metadata } from "next";
import type { ReactNode } from "react";

import { SiteHeader } from "@/app/_components/site-header";

import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Ticketgate", template: "%s · Ticketgate" },
  description: "Passwordless sign-in and password reset on one-time tickets, self-hosted.",
};

// Every page is rendered per request: its scripts carry that response's
// Content-Security-Policy nonce (lib/http/security-headers.ts).
export const dynamic = "force-dynamic";

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <SiteHeader />
        <main className="site-main">{children}</main>
      </body>
    </html>
  );
}
