"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

const LINKS = [
  { href: "/admin", label: "Overview" },
  { href: "/admin/tickets", label: "Tickets" },
  { href: "/admin/users", label: "Users" },
  { href: "/admin/sessions", label: "Sessions" },
  { href: "/admin/projects", label: "API projects" },
  { href: "/admin/apps", label: "Apps" },
  { href: "/admin/mail", label: "Mail" },
  { href: "/admin/audit", label: "Audit log" },
];

export function AdminNav({ email, source }: { email: string; source: string }) {
  const pathname = usePathname();
  return (
    <nav className="admin-nav" aria-label="Administration">
      <span className="admin-nav-title">Administration</span>
      {LINKS.map((link) => {
        const current = link.href === "/admin" ? pathname === "/admin" : pathname === link.href || pathname.startsWith(`${link.href}/`);
        return (
          <Link key={link.href} href={link.href} aria-current={current ? "page" : undefined}>
            {link.label}
          </Link>
        );
      })}
      <div className="admin-who">
        Signed in as <strong title={email}>{email}</strong>
        Administrator {source === "configuration" ? "from configuration" : "by role"}
      </div>
    </nav>
  );
}
