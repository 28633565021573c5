/** The action path (lib/action-paths.ts) sign-in returns to: the app's pending sign-in (lib/oidc/http.ts). */
export function interactionActionPathFor(uid: string): string {
  return `oidc/interaction/${uid}`;
}
