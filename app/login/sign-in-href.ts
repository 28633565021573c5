// The sign-in page's address in one mode, keeping where to go afterwards.
// A plain module: server pages and the client form both build it.
export type SignInMode = "link" | "password";

export function signInHref(mode: SignInMode, next: string | null): string {
  const query = new URLSearchParams();
  if (mode === "password") query.set("with", "password");
  if (next) query.set("next", next);
  const text = query.toString();
  return text ? `/login?${text}` : "/login";
}
