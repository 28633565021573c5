// Signing in as the flows do: a fresh address per test, a link asked for on
// /login and read from the mail the app really sent.
import { type Page, expect } from "@playwright/test";

import { type Browse, plainly } from "./browse";
import { type CaughtMail, linkIn, waitForMail } from "./mail";

let counter = 0;

/** A fresh address per call: rate limits and supersede are per address. */
export function address(label: string): string {
  return `${label}-${Date.now()}-${++counter}@example.com`;
}

/**
 * Asks for a sign-in link on `startAt` (a /login URL) and returns its mail. A
 * second link to one address within LOGIN_MIN_INTERVAL_SECONDS (2 s in
 * scripts/e2e-server.sh) is refused; then it waits that out and asks again.
 * The administrator's address is shared by tests running in parallel, which
 * may take the next slot first, so it keeps asking for a while.
 * `how` opens and presses (e2e/support/browse.ts: without JavaScript, before hydration).
 */
export async function requestLink(page: Page, email: string, startAt = "/login", how: Browse = plainly): Promise<CaughtMail> {
  for (let attempt = 1; ; attempt++) {
    await how.open(page, startAt);
    await page.getByLabel("E-mail address").fill(email);
    const since = Date.now();
    await how.press(page.getByRole("button", { name: "E-mail me a sign-in link" }));
    const sent = page.getByRole("heading", { name: "Check your mail" });
    const tooSoon = page.getByText("A link was sent a moment ago");
    const tooMany = page.getByText("Too many links were asked for");
    await expect(sent.or(tooSoon).or(tooMany)).toBeVisible();
    if (await sent.isVisible()) return waitForMail(email, since);
    if ((await tooMany.isVisible()) || attempt >= MAX_ATTEMPTS) throw new Error(`no link for ${email}: still rate-limited after ${attempt} attempts`);
    await page.waitForTimeout(2_100 + Math.floor(Math.random() * 500));
  }
}

/** Tries for a link to one address: enough for the tests that share the administrator's address. */
const MAX_ATTEMPTS = 8;

/** Signs in by the mailed link and lands on /account. */
export async function signInByLink(page: Page, email: string, how: Browse = plainly): Promise<void> {
  await how.open(page, linkIn(await requestLink(page, email, "/login", how)));
  await how.press(page.getByRole("button", { name: /^Continue as/ }));
  await expect(page).toHaveURL(/\/account/);
}
