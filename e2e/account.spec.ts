// The account lifecycle end to end: password reset (old sessions really stop
// working), a new account with a password, an e-mail change confirmed and then
// cancelled from the old address — a real browser, the production build, and
// mail delivered over SMTP to the test's catcher.
import { type Browser, type Page, expect, test } from "@playwright/test";

import { maskEmail } from "@/lib/forms/email";

import { allMail, linkIn, undoCodeIn, waitForMail } from "./support/mail";
import { address, requestLink, signInByLink } from "./support/sign-in";
import { shootWidths } from "./support/screens";

const SCREENS = "e2e/.artifacts/screens";

/** The first mail to `to` since `since` whose subject starts with `subject`. */
async function waitForSubject(to: string, subject: string, since: number) {
  for (let i = 0; i < 150; i++) {
    const found = allMail().find((m) => m.to.includes(to) && m.subject.startsWith(subject) && Date.parse(m.receivedAt) >= since);
    if (found) return found;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no mail "${subject}" to ${to}`);
}

async function signInWithPassword(page: Page, email: string, password: string) {
  await page.goto("/login?with=password");
  await page.getByLabel("E-mail address").fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
}

async function secondBrowser(browser: Browser, email: string) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signInByLink(page, email);
  return { context, page };
}

test("rule \"Nothing is consumed, and no session is created, by GET or HEAD\" — password reset: GET spends nothing, a typo spends nothing, the reset signs out every other session", async ({ page, browser, playwright }) => {
  const email = address("reset");
  await signInByLink(page, email);
  const other = await secondBrowser(browser, email);
  await expect(page.getByText(`Signed in as ${email}`)).toBeVisible();

  // Ask for a reset from a signed-out browser.
  const asker = await browser.newContext();
  const resetPage = await asker.newPage();
  await resetPage.goto("/reset");
  await resetPage.getByLabel("E-mail address").fill(email);
  const since = Date.now();
  await resetPage.getByRole("button", { name: "Mail me a reset link" }).click();
  await expect(resetPage.getByText("If that address has an account, a link to choose a new password is on its way.")).toBeVisible();
  await resetPage.screenshot({ path: `${SCREENS}/reset-request.png`, fullPage: true });
  const mail = await waitForMail(email, since);
  expect(mail.subject).toBe("Choose a new password for Ticketgate");
  const link = linkIn(mail);

  // A mail scanner's GET changes nothing and the page is not cacheable.
  const scanner = await playwright.request.newContext();
  const get = await scanner.get(link);
  expect(get.status()).toBe(200);
  expect(get.headers()["cache-control"]).toContain("no-store");
  expect(get.headers()["referrer-policy"]).toBe("same-origin");
  await scanner.dispose();

  await resetPage.goto(link);
  await expect(resetPage.getByRole("heading", { name: "Choose a new password" })).toBeVisible();
  // Mismatched passwords: refused in the browser and on the server, the link still works.
  await resetPage.getByLabel("New password", { exact: true }).fill("a brand new password");
  await resetPage.getByLabel("New password, again").fill("a different password");
  await resetPage.getByRole("button", { name: "Set the new password" }).click();
  await expect(resetPage.getByText("The two passwords are not the same")).toBeVisible();
  await resetPage.screenshot({ path: `${SCREENS}/reset-form-error.png`, fullPage: true });
  await resetPage.getByLabel("New password, again").fill("a brand new password");
  await resetPage.getByRole("button", { name: "Set the new password" }).click();
  await expect(resetPage).toHaveURL(/\/account\?password=reset$/);
  await expect(resetPage.getByText("Your new password is set. Every other session was signed out.")).toBeVisible();
  await resetPage.screenshot({ path: `${SCREENS}/reset-done.png`, fullPage: true });

  // The sessions opened before the reset are gone, in both other browsers.
  await other.page.goto("/account");
  await expect(other.page).toHaveURL(/\/login\?next=account$/);
  await page.goto("/account");
  await expect(page).toHaveURL(/\/login\?next=account$/);

  // The owner is told, with the address the reset came from.
  const notice = await waitForSubject(email, "Your password was changed", since);
  expect(notice.text).toContain("The change came from the address 127.0.0.1.");

  // The link is spent.
  await resetPage.goto(link);
  await expect(resetPage.getByRole("heading", { name: "This link was already used" })).toBeVisible();

  // The new password signs in; a wrong one gets the one answer for every failure.
  await signInWithPassword(page, email, "not the password");
  await expect(page.getByText("That address and password do not match an account with a password.")).toBeVisible();
  await page.screenshot({ path: `${SCREENS}/login-password-wrong.png`, fullPage: true });
  await signInWithPassword(page, email, "a brand new password");
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByText(`Signed in as ${email}`)).toBeVisible();
  // The history and sessions name browsers the way people do, never the raw User-Agent header.
  await expect(page.locator("main")).not.toContainText("Mozilla/");
  await expect(page.locator("main")).toContainText(/Chrome( \(headless\))? on (Linux|Windows|macOS)/);
  await other.context.close();
  await asker.close();
});

test("rule \"Same answer, status and headers for known and unknown addresses\" — reset answers the same for an unknown address, and says 'too soon' for both", async ({ page }) => {
  const answers: string[] = [];
  await page.goto("/login");
  const known = address("known");
  await signInByLink(page, known);
  await page.getByRole("button", { name: "Sign out" }).click();
  // The second request must land within ACCOUNT_MAIL_MIN_INTERVAL_SECONDS (2 s) of the first: it
  // waits, filled in, in a second tab, and is sent the moment the first is answered.
  const again = await page.context().newPage();
  for (const email of [known, address("unknown")]) {
    for (const tab of [page, again]) {
      await tab.goto("/reset");
      await tab.getByLabel("E-mail address").fill(email);
    }
    await page.getByRole("button", { name: "Mail me a reset link" }).click();
    answers.push(await page.locator("[data-answer=sent]").innerText());
    await again.getByRole("button", { name: "Mail me a reset link" }).click();
    await expect(again.getByText("A reset link for this address was asked for moments ago.")).toBeVisible();
  }
  await again.close();
  expect(answers[0]).toBe(answers[1]);
});

test("new account: the account exists only after the link is confirmed with a password", async ({ page }) => {
  const email = address("newbie");
  await page.goto("/signup");
  await page.getByLabel("E-mail address").fill(email);
  const since = Date.now();
  await page.getByRole("button", { name: "Mail me a confirmation link" }).click();
  await expect(page.locator("[data-answer=sent]")).toContainText("Check your mail");
  await page.screenshot({ path: `${SCREENS}/signup-sent.png`, fullPage: true });
  const mail = await waitForMail(email, since);
  expect(mail.subject).toBe("Confirm your new Ticketgate account");

  // Not yet an account: the password does not sign in.
  await signInWithPassword(page, email, "my very own password");
  await expect(page.getByText("That address and password do not match")).toBeVisible();

  await page.goto(linkIn(mail));
  await expect(page.getByRole("heading", { name: "Create your account" })).toBeVisible();
  await page.screenshot({ path: `${SCREENS}/signup-confirm.png`, fullPage: true });
  await page.getByLabel("New password", { exact: true }).fill("my very own password");
  await page.getByLabel("New password, again").fill("my very own password");
  await page.getByRole("button", { name: "Create my account" }).click();
  await expect(page).toHaveURL(/\/account\?welcome=1$/);
  await expect(page.getByText("Your account is ready.")).toBeVisible();
  await expect(page.getByText(`Signed in as ${email}`)).toBeVisible();

  await page.getByRole("button", { name: "Sign out" }).click();
  await signInWithPassword(page, email, "my very own password");
  await expect(page).toHaveURL(/\/account$/);

  // Asking again for an existing address: the same answer; the owner gets a notice, not a link.
  await page.goto("/signup");
  await page.getByLabel("E-mail address").fill(email);
  const again = Date.now();
  await page.getByRole("button", { name: "Mail me a confirmation link" }).click();
  await expect(page.locator("[data-answer=sent]")).toContainText("Check your mail");
  const notice = await waitForMail(email, again);
  expect(notice.subject).toBe("You already have a Ticketgate account");
  expect(notice.text).not.toMatch(/\/ticket\//);
});

test("e-mail change: pending until confirmed from the new address, then undone from the old one", async ({ page }) => {
  const oldEmail = address("mover");
  const newEmail = address("moved");
  await signInByLink(page, oldEmail);

  await page.getByLabel("New e-mail address").fill(newEmail);
  const since = Date.now();
  await page.getByRole("button", { name: "Change my address" }).click();
  await expect(page.locator("[data-pending-email-change]")).toContainText(newEmail);
  await page.screenshot({ path: `${SCREENS}/email-change-pending.png`, fullPage: true });
  const toNew = await waitForMail(newEmail, since);
  const toOld = await waitForMail(oldEmail, since);
  expect(toNew.subject).toBe("Confirm your new address for Ticketgate");
  expect(toOld.subject).toBe("Your Ticketgate address is being changed");
  // Nothing changed yet.
  await expect(page.getByText(`Signed in as ${oldEmail}`)).toBeVisible();

  // The old mailbox reads the new address masked: it may not be the owner's any more.
  expect(toOld.text).toContain(maskEmail(newEmail));
  expect(toOld.text).not.toContain(newEmail);

  await page.goto(linkIn(toNew));
  await expect(page.getByRole("heading", { name: "Confirm your new address" })).toBeVisible();
  // The account that asked typed the new address: it sees it whole.
  await expect(page.locator("[data-new-address]")).toHaveText(newEmail);
  await page.screenshot({ path: `${SCREENS}/email-change-confirm.png`, fullPage: true });
  await page.getByRole("button", { name: "Confirm the new address" }).click();
  await expect(page.getByRole("heading", { name: "Your address was changed" })).toBeVisible();
  await page.goto("/account");
  await expect(page.getByText(`Signed in as ${newEmail}`)).toBeVisible();
  // Whoever holds the new address sets a password and makes a token: undoing takes both away, and says so.
  await page.getByLabel("New password", { exact: true }).fill("set through the new address");
  await page.getByLabel("New password, again").fill("set through the new address");
  await page.getByRole("button", { name: "Set password" }).click();
  await expect(page.getByText("Your password is set.")).toBeVisible();
  await page.getByLabel("Token name").fill("theirs");
  await page.getByRole("button", { name: "Create token" }).click();
  await expect(page.locator("[data-new-token]")).toBeVisible();

  // The old address had not asked: with the code its mail prints, cancelling undoes the change and signs everyone out.
  await page.goto(linkIn(toOld));
  await expect(page.getByRole("heading", { name: "Cancel the address change" })).toBeVisible();
  // Masked so that two addresses never look alike ("m•••…d@example.com"), and never the whole of it.
  await expect(page.locator("[data-new-address]")).toHaveAttribute("title", maskEmail(newEmail));
  await expect(page.locator("main")).toContainText(`Someone asked to move your account to ${maskEmail(newEmail)}. Cancelling`);
  await expect(page.locator("main")).not.toContainText(newEmail);
  await shootWidths(page, "email-change-undo");
  await page.getByLabel("The code from the mail").fill(undoCodeIn(toOld));
  await page.getByRole("button", { name: "Cancel the change" }).click();
  await expect(page.getByRole("heading", { name: "The change was undone" })).toBeVisible();
  await expect(page.locator("[data-done] .lead")).toHaveText(
    "Your account uses this address again. To shut out whoever changed it, 1 session was signed out, the password was removed and 1 personal API token was revoked. Sign in with a link mailed to this address, then set a new password on your account page.",
  );
  await page.screenshot({ path: `${SCREENS}/email-change-undone.png`, fullPage: true });
  await page.goto("/account");
  await expect(page).toHaveURL(/\/login\?next=account$/);
  await signInByLink(page, oldEmail);
  await expect(page.getByText(`Signed in as ${oldEmail}`)).toBeVisible();
});

test("e-mail change: withdrawn from the account page, the confirmation link stops working", async ({ page }) => {
  const oldEmail = address("withdraw");
  const newEmail = address("withdrawn");
  await signInByLink(page, oldEmail);
  await page.getByLabel("New e-mail address").fill(newEmail);
  const since = Date.now();
  await page.getByRole("button", { name: "Change my address" }).click();
  const toNew = await waitForMail(newEmail, since);
  await page.getByRole("button", { name: "Withdraw the change" }).click();
  await expect(page.locator("[data-pending-email-change]")).toHaveCount(0);
  await page.goto(linkIn(toNew));
  await expect(page.getByRole("heading", { name: "This link was cancelled" })).toBeVisible();
});

test("password on the account page, and personal API tokens shown once, used, and revoked", async ({ page, request }) => {
  const email = address("tokens");
  await signInByLink(page, email);
  await page.getByLabel("New password", { exact: true }).fill("account page password");
  await page.getByLabel("New password, again").fill("account page password");
  await page.getByRole("button", { name: "Set password" }).click();
  await expect(page.getByText("Your password is set.")).toBeVisible();

  await page.getByLabel("Token name").fill("backup script");
  await page.getByRole("button", { name: "Create token" }).click();
  const token = await page.locator("[data-new-token]").innerText();
  expect(token).toMatch(/^tgp_[A-Za-z0-9_-]{43}$/);
  // A copy button puts the token on the clipboard.
  await page.context().grantPermissions(["clipboard-read", "clipboard-write"]);
  await page.getByRole("button", { name: "Copy token" }).click();
  await expect(page.getByRole("button", { name: "Copied" })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(token);
  await page.screenshot({ path: `${SCREENS}/account-tokens.png`, fullPage: true });
  await page.reload();
  // Shown once: after a reload only the prefix is left.
  await expect(page.locator("[data-new-token]")).toHaveCount(0);
  await expect(page.locator("[data-api-token=live]")).toContainText(token.slice(0, 10));
  await expect(page.locator("[data-api-token=live]")).toContainText(/never used/i);

  // A script uses it: /api/me answers who it belongs to, and the account page shows the use.
  const me = await request.get("/api/me", { headers: { Authorization: `Bearer ${token}` } });
  expect(me.status()).toBe(200);
  expect(await me.json()).toMatchObject({ email });
  expect((await request.get("/api/me", { headers: { Authorization: `Bearer ${token}x` } })).status()).toBe(401);
  expect((await request.get("/api/me")).status()).toBe(401);
  await page.reload();
  await expect(page.locator("[data-api-token=live]")).not.toContainText(/never used/i);

  await page.locator("[data-api-token=live]").getByRole("button", { name: "Revoke" }).click();
  // Said, and announced; the token leaves the list.
  await expect(page.getByRole("status")).toHaveText("The token was revoked. Anything still using it is refused.");
  await expect(page.locator("[data-api-token]")).toHaveCount(0);
  // Revoked means refused.
  const after = await request.get("/api/me", { headers: { Authorization: `Bearer ${token}` } });
  expect(after.status()).toBe(401);
  expect(after.headers()["www-authenticate"]).toContain("Bearer");
});

test("the account's history: the newest links shown, older ones folded; states in plain words, the same in the badge and the history", async ({ page }) => {
  const email = address("history-fold");
  await signInByLink(page, email);
  // Five more links for the same address: the page shows the newest five and folds the sixth.
  for (let i = 0; i < 5; i++) await requestLink(page, email);
  await page.goto("/account");
  const history = page.locator("section[aria-labelledby=history]");
  const older = history.locator("details.older-history");
  await expect(older).toHaveCount(1);
  await expect(older).not.toHaveAttribute("open", /.*/);
  await expect(older.locator("summary")).toHaveText("Older links (1)");
  await expect(history.locator(":scope > ul > li")).toHaveCount(5);
  // Each newer request replaced the one before: "Replaced" in the badge, "Replaced by a newer link" in the history.
  const replaced = history.locator(":scope > ul > li[data-ticket-status=superseded]").first();
  await expect(replaced.locator(".badge")).toHaveText("Replaced");
  await expect(replaced.locator(".events")).toContainText("Replaced by a newer link");
  await expect(history).not.toContainText(/superseded|closed|revoked/);
  // The link that signed in: "Used" in the badge, "Used to sign in" in its (folded) history.
  await older.locator("summary").click();
  await expect(older.locator("li[data-ticket-status=closed] .badge")).toHaveText("Used");
  await expect(older.locator("li[data-ticket-status=closed] .events")).toContainText("Used to sign in");
});
