import Link from "next/link";

import { signOutAction } from "@/app/_components/sign-out-action";
import { isAdmin } from "@/lib/admin/admin.server";
import { auth } from "@/lib/sessions/auth.server";

/**
 * The header on every page: signed out, a way to sign in; signed in, whose
 * session this is, the account page, the console for administrators, and
 * signing out (a plain form: it works before the page's scripts).
 */
export async function SiteHeader() {
  const user = (await auth())?.user;
  const admin = user ? await isAdmin() : false;
  return (
    <header className="site-header">
      <Link href="/" className="brand">
        Ticketgate
      </Link>
      <nav className="site-nav" aria-label="Site">
        {user ? (
          <>
            <span className="site-user" data-header-email>
              {user.email}
            </span>
            <Link href="/account">Account</Link>
            {admin ? <Link href="/admin">Admin</Link> : null}
            <form action={signOutAction}>
              <button type="submit" className="link-button">
                Sign out
              </button>
            </form>
          </>
        ) : (
          <Link href="/login">Sign in</Link>
        )}
      </nav>
    </header>
  );
}
