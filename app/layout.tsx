import type { Metadata } from "next";
import Link from "next/link";
import type { ReactNode } from "react";

import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Ticketgate", template: "%s · Ticketgate" },
  description: "Passwordless sign-in and password reset on one-time tickets, self-hosted.",
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <header className="site-header">
          <Link href="/" className="brand">
            Ticketgate
          </Link>
        </header>
        <main className="site-main">{children}</main>
      </body>
    </html>
  );
}
