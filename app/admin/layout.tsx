import type { Metadata } from "next";
import type { ReactNode } from "react";

import { adminForLayout, isAdmin } from "@/lib/admin/admin.server";

import { AdminNav } from "@/app/admin/_components/admin-nav";
import "./admin.css";

/** The console's titles, for administrators only (each page's title: adminPageMetadata). */
export async function generateMetadata(): Promise<Metadata> {
  if (!(await isAdmin())) return {};
  return { title: { default: "Administration", template: "%s · Administration · Ticketgate" }, robots: { index: false, follow: false } };
}
export const dynamic = "force-dynamic";

/**
 * The console's frame. It checks the role itself so that a non-administrator
 * gets the site's ordinary 404, never a page with the console's navigation;
 * every page and server action checks again on its own. An anonymous visitor
 * gets no frame: the page sends them to sign in, returning to that page.
 */
export default async function AdminLayout({ children }: { children: ReactNode }) {
  const admin = await adminForLayout();
  if (!admin) return children;
  return (
    <div className="admin-shell">
      <AdminNav email={admin.email} source={admin.source} />
      <div className="admin-content">{children}</div>
    </div>
  );
}
