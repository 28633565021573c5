// The registry of stored actions (Sympa's `data`): the pages a ticket may
// send a person to once their session is open. A ticket naming anything else
// is refused when it is made and again when it is used.
import { createActionPathRegistry } from "@/lib/tickets/action-paths";

export const actionPaths = createActionPathRegistry([
  // The person's own account: profile, sessions, ticket history.
  "account",
  // Request a subscription to the list named by the second segment.
  "subrequest/:list",
  // The admin console, so signing in from one of its pages returns there
  // (the pages check the role themselves; a link grants nothing).
  "admin",
  "admin/:section",
  "admin/tickets/:id",
  "admin/users/:id",
  // An app's sign-in through Ticketgate (OpenID Connect, lib/oidc/http.ts):
  // signing in returns to the interaction, which hands the person back to the
  // provider. The id is oidc-provider's (43 URL-safe characters, which may
  // start with "-" or "_").
  { pattern: "oidc/interaction/:uid", params: { uid: /^[A-Za-z0-9_-]{43}$/ } },
]);

/**
 * Where a stored action takes a person, in words for the pages ("join the
 * list foo"), never the path itself. Null for a path the registry does not know.
 */
export function describeAction(path: string | null): string | null {
  if (!path || !actionPaths.check(path).ok) return null;
  const [first, second, third] = path.split("/");
  if (first === "account") return "your account";
  if (first === "subrequest") return `joining the list ${second}`;
  if (first === "oidc") return "signing in to an app";
  if (first === "admin") return second === "tickets" && third ? "a ticket in the admin console" : second === "users" && third ? "a person in the admin console" : "the admin console";
  return null;
}
