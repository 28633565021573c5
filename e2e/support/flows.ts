// Every form of the product as a person uses it, written once and run twice:
// with JavaScript off (e2e/no-javascript.spec.ts) and with the page's scripts
// held back until after each press (e2e/before-hydration.spec.ts). Each flow
// presses through `how` and asserts where it lands and what the page says.
import { type Browser, type BrowserContext, type Page, expect } from "@playwright/test";

import { type Browse, withoutJavaScript } from "./browse";
import { expireTickets } from "./clock";
import { codeIn, linkIn, undoCodeIn, waitForMail } from "./mail";
import { address, requestLink, signInByLink } from "./sign-in";

export const ADMIN = "admin@example.com";

export interface FlowContext {
  page: Page;
  how: Browse;
  /** Label for the addresses a flow makes up (which spec, which way of browsing). */
  label: string;
  /** A page in another browser (its own cookies), browsing the same way; closed after the flow. */
  otherBrowser(): Promise<Page>;
  /** Takes the flow's screenshots, when the spec wants them. */
  shoot?: (page: Page, name: string) => Promise<void>;
}

export type Flow = (t: FlowContext) => Promise<void>;

/** Runs a flow on the test's page. Other browsers' contexts inherit the spec's test.use() options. */
export async function runFlow(flow: Flow, { browser, ...t }: Omit<FlowContext, "otherBrowser"> & { browser: Browser }): Promise<void> {
  const opened: BrowserContext[] = [];
  await t.how.prepare(t.page);
  try {
    await flow({
      ...t,
      otherBrowser: async () => {
        const context = await browser.newContext();
        opened.push(context);
        const page = await context.newPage();
        await t.how.prepare(page);
        return page;
      },
    });
  } finally {
    for (const context of opened) await context.close();
  }
}

function button(page: Page, name: string | RegExp) {
  return page.getByRole("button", { name, exact: typeof name === "string" ? true : undefined });
}

/** LOGIN_MIN_INTERVAL_SECONDS and ACCOUNT_MAIL_MIN_INTERVAL_SECONDS are 2 s in scripts/e2e-server.sh. */
const waitOutMailInterval = (page: Page) => page.waitForTimeout(2_100);

// ---------------------------------------------------------------------------
// Signing in
// ---------------------------------------------------------------------------

/** /login (with a stored action) → /login/check → the link → its button → the action's page, whose own form is pressed too. */
export const signInByLinkToStoredAction: Flow = async ({ page, how, label, shoot }) => {
  const email = address(`${label}-link`);
  const mail = await requestLink(page, email, "/login?next=subrequest/foo", how);
  await expect(page).toHaveURL(/\/login\/check$/);
  await how.open(page, linkIn(mail));
  await expect(page.getByRole("heading", { name: /^Continue as / })).toBeVisible();
  await shoot?.(page, "ticket-confirm");
  await how.press(button(page, /^Continue as /));
  // The hidden `next` field travelled with the first form, the ticket with this one.
  await expect(page).toHaveURL(/\/subrequest\/foo$/);
  await expect(page.getByRole("heading", { name: "Join the list foo" })).toBeVisible();
  await how.press(button(page, "Request subscription"));
  await expect(page.locator("[data-subscription-state=pending]")).toContainText("Your request to join foo is pending");
};

/** The code typed on /login/check: a wrong one is counted and shown, the right one signs in. */
export const signInByTypedCode: Flow = async ({ page, how, label }) => {
  const email = address(`${label}-code`);
  const mail = await requestLink(page, email, "/login", how);
  const code = codeIn(mail);
  // One code format everywhere: the mail prints "564-213", the field's example reads the same way.
  expect(mail.text).toContain(`${code.slice(0, 3)}-${code.slice(3)}`);
  await expect(page.getByLabel("Code from the mail")).toHaveAttribute("placeholder", /^\d{3}-\d{3}$/);
  await page.getByLabel("Code from the mail").fill(code === "000000" ? "111111" : "000000");
  await how.press(button(page, "Sign in with the code"));
  await expect(page.getByText("That code is not right. 4 attempts left.")).toBeVisible();
  await expect(page).toHaveURL(/\/login\/check$/);
  await page.getByLabel("Code from the mail").fill(`${code.slice(0, 3)} ${code.slice(3)}`);
  await how.press(button(page, "Sign in with the code"));
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByText(`Signed in as ${email}`)).toBeVisible();
};

/** Set a password on /account, sign out, then "Or use your password" on /login: a wrong one is refused, the right one signs in. */
export const signInWithPassword: Flow = async ({ page, how, label }) => {
  const email = address(`${label}-password`);
  await signInByLink(page, email, how);
  // The rule is stated before it is enforced, and password managers get the address to save with the password.
  await expect(page.getByLabel("New password", { exact: true })).toHaveAccessibleDescription(/^At least 10 characters/);
  await expect(page.locator("[data-password-form] input[autocomplete=username]")).toHaveValue(email);
  await page.getByLabel("New password", { exact: true }).fill("a password of my own");
  await page.getByLabel("New password, again").fill("a password of my own");
  await how.press(button(page, "Set password"));
  await expect(page.getByText("Your password is set.")).toBeVisible();
  await how.press(button(page, "Sign out"));
  await expect(page).toHaveURL(/\/login\?signed-out=1$/);

  // One address field: "Use a password instead" adds only the password under it.
  await how.press(page.getByRole("link", { name: "Use a password instead" }));
  await expect(page.getByLabel("E-mail address")).toHaveCount(1);
  for (const [password, lands] of [
    ["not my password", false],
    ["a password of my own", true],
  ] as const) {
    await page.getByLabel("E-mail address").fill(email);
    await page.getByLabel("Password", { exact: true }).fill(password);
    await how.press(button(page, "Sign in"));
    if (lands) {
      await expect(page).toHaveURL(/\/account$/);
      await expect(page.getByText(`Signed in as ${email}`)).toBeVisible();
    } else {
      await expect(page.getByText("That address and password do not match an account with a password.")).toBeVisible();
      // Still the sign-in page (a form posted without JavaScript keeps the page's query).
      await expect(page).toHaveURL(/\/login(\?.*)?$/);
    }
  }
};

// ---------------------------------------------------------------------------
// Links that no longer work
// ---------------------------------------------------------------------------

/**
 * An expired link's "Send me a new link", in the browser that asked: its address in full; a new mail,
 * whose link keeps the stored action. The button stays: pressed again within the wait between two
 * links (no JavaScript), the answer says how long and claims no link; hydrated, a countdown holds it.
 */
export const freshLinkOnExpired: Flow = async ({ page, how, label, shoot }) => {
  const email = address(`${label}-expired`);
  const first = linkIn(await requestLink(page, email, "/login?next=subrequest/bar", how));
  expireTickets(email);
  await how.open(page, first);
  await expect(page.getByRole("heading", { name: "This link has expired" })).toBeVisible();
  await expect(page.locator("main")).toContainText(`We can send a new one to ${email}, taking you to the same place.`);
  await waitOutMailInterval(page);
  const since = Date.now();
  await how.press(button(page, "Send me a new link"));
  await expect(page.getByText("A new link is on its way. Use the link in the newest mail.")).toBeVisible();
  const again = button(page, "Send me a new link");
  await expect(again).toBeVisible();
  if (await again.isEnabled()) {
    // Within LOGIN_MIN_INTERVAL_SECONDS (2 s here) of the last link: nothing is sent, and the button stays.
    await how.press(again);
    await expect(page.getByText(/^A new link cannot be sent yet\. You can ask for one in \d seconds?\.$/)).toBeVisible();
    await expect(again).toBeVisible();
    await shoot?.(page, "ticket-expired-too-soon");
  } else {
    await expect(page.getByRole("timer")).toHaveText(/^You can ask for a new link in 0:0\d\.$/);
  }
  const fresh = linkIn(await waitForMail(email, since));
  expect(fresh).not.toBe(first);
  await how.open(page, fresh);
  await how.press(button(page, /^Continue as /));
  await expect(page).toHaveURL(/\/subrequest\/bar$/);
};

/** A used link's page, in another browser: the address masked; typed in full, "Send a new link to this device" mails one that works there with one press. */
export const freshLinkOnUsed: Flow = async (t) => {
  const { page, how, label } = t;
  const email = address(`${label}-used`);
  const link = linkIn(await requestLink(page, email, "/login", how));
  await how.open(page, link);
  await how.press(button(page, /^Continue as /));
  await expect(page).toHaveURL(/\/account$/);

  const other = await t.otherBrowser();
  await how.open(other, link);
  await expect(other.getByRole("heading", { name: "This link was already used" })).toBeVisible();
  await expect(other.locator("main")).not.toContainText(email);
  await waitOutMailInterval(other);
  const since = Date.now();
  // This browser did not ask: only the full address, typed, gets it a link of its own.
  await other.getByLabel("Your e-mail address").fill(email);
  await how.press(button(other, "Send a new link to this device"));
  await expect(other.getByText("A link for this device is on its way. Open it here, in this browser.")).toBeVisible();
  // The answer says how long until another (2 s here): in words without JavaScript, counting down once hydrated.
  await expect(other.getByRole("timer")).toHaveText(/^You can ask for a new link in (about \d seconds?|0:0\d)\.$|^Type the address this link was sent to, and a new link comes for this device\.$/);
  if (how === withoutJavaScript) await expect(other.getByRole("timer")).toHaveText(/^You can ask for a new link in about [12] seconds?\.$/);
  await how.open(other, linkIn(await waitForMail(email, since)));
  await how.press(button(other, /^Continue as /));
  await expect(other).toHaveURL(/\/account$/);
};

/**
 * A live link opened in another browser, the asking one gone: "Send a link to this device" with the
 * full address. The link's page then says a link for this device is on its way, with the wait before
 * another (in words without JavaScript); the new link works there with one press.
 */
export const linkHereOnElsewhere: Flow = async (t) => {
  const { page, how, label } = t;
  const email = address(`${label}-here`);
  const link = linkIn(await requestLink(page, email, "/login", how));
  const other = await t.otherBrowser();
  await how.open(other, link);
  await expect(other.getByRole("heading", { name: "This link was asked for on another device" })).toBeVisible();
  await waitOutMailInterval(other);
  const since = Date.now();
  await other.getByLabel("Your e-mail address").fill(email);
  await how.press(button(other, "Send a link to this device"));
  await expect(other.getByRole("heading", { name: "A link for this device is on its way" })).toBeVisible();
  await expect(other.locator("main")).toContainText(`We sent a new sign-in link that works in this browser to ${email}.`);
  await expect(other.getByRole("timer")).toHaveText(/^You can ask for a new link in (about \d seconds?|0:0\d)\.$|^Type the address this link was sent to, and a new link comes for this device\.$/);
  if (how === withoutJavaScript) await expect(other.getByRole("timer")).toHaveText(/^You can ask for a new link in about [12] seconds?\.$/);
  await how.open(other, linkIn(await waitForMail(email, since)));
  await how.press(button(other, /^Continue as /));
  await expect(other).toHaveURL(/\/account$/);
};

// ---------------------------------------------------------------------------
// Accounts
// ---------------------------------------------------------------------------

/** /reset, then the reset link's form: a typo is shown inline and spends nothing, the right password lands on /account. */
export const passwordReset: Flow = async ({ page, how, label, shoot }) => {
  const email = address(`${label}-reset`);
  await signInByLink(page, email, how);
  await how.press(button(page, "Sign out"));
  await expect(page).toHaveURL(/\/login\?signed-out=1$/);

  await how.open(page, "/reset");
  await page.getByLabel("E-mail address").fill(email);
  const since = Date.now();
  await how.press(button(page, "Mail me a reset link"));
  await expect(page.locator("[data-answer=sent]")).toHaveText("If that address has an account, a link to choose a new password is on its way. Check your mail.");
  const link = linkIn(await waitForMail(email, since));

  await how.open(page, link);
  await expect(page.getByRole("heading", { name: "Choose a new password" })).toBeVisible();
  await page.getByLabel("New password", { exact: true }).fill("a brand new password");
  await page.getByLabel("New password, again").fill("a brand new passwrod");
  await how.press(button(page, "Set the new password"));
  await expect(page.locator("#confirm-error")).toHaveText("The two passwords are not the same");
  // Still the form, on the link's own page: the typo spent nothing.
  await expect(page).toHaveURL(link);
  await expect(page.getByRole("heading", { name: "Choose a new password" })).toBeVisible();
  await shoot?.(page, "reset-typo");
  await page.getByLabel("New password", { exact: true }).fill("a brand new password");
  await page.getByLabel("New password, again").fill("a brand new password");
  await how.press(button(page, "Set the new password"));
  await expect(page).toHaveURL(/\/account\?password=reset$/);
  await expect(page.getByText("Your new password is set. Every other session was signed out.")).toBeVisible();
  await expect(page.getByText(`Signed in as ${email}`)).toBeVisible();
};

/** /signup, then the confirmation link's form: the account exists and is signed in. */
export const signUp: Flow = async ({ page, how, label }) => {
  const email = address(`${label}-signup`);
  await how.open(page, "/signup");
  await page.getByLabel("E-mail address").fill(email);
  const since = Date.now();
  await how.press(button(page, "Mail me a confirmation link"));
  await expect(page.locator("[data-answer=sent]")).toContainText("Check your mail.");
  const mail = await waitForMail(email, since);
  expect(mail.subject).toBe("Confirm your new Ticketgate account");

  await how.open(page, linkIn(mail));
  await expect(page.getByRole("heading", { name: "Create your account" })).toBeVisible();
  await page.getByLabel("New password", { exact: true }).fill("my very own password");
  await page.getByLabel("New password, again").fill("my very own password");
  await how.press(button(page, "Create my account"));
  await expect(page).toHaveURL(/\/account\?welcome=1$/);
  await expect(page.getByText("Your account is ready.")).toBeVisible();
  await expect(page.getByText(`Signed in as ${email}`)).toBeVisible();
};

/** Asks on /account to move to `newEmail`; returns the two mails. */
async function requestEmailChange({ page, how }: FlowContext, oldEmail: string, newEmail: string) {
  await page.getByLabel("New e-mail address").fill(newEmail);
  const since = Date.now();
  await how.press(button(page, "Change my address"));
  await expect(page.locator("[data-pending-email-change]")).toContainText(`Waiting for confirmation from ${newEmail}`);
  return { toNew: await waitForMail(newEmail, since), toOld: await waitForMail(oldEmail, since) };
}

/** E-mail change: asked for on /account, confirmed from the new address, then cancelled and undone from the old one. */
export const emailChange: Flow = async (t) => {
  const { page, how, label } = t;
  const oldEmail = address(`${label}-mover`);
  const newEmail = address(`${label}-moved`);
  await signInByLink(page, oldEmail, how);
  const { toNew, toOld } = await requestEmailChange(t, oldEmail, newEmail);
  expect(toNew.subject).toBe("Confirm your new address for Ticketgate");

  await how.open(page, linkIn(toNew));
  await expect(page.getByRole("heading", { name: "Confirm your new address" })).toBeVisible();
  await how.press(button(page, "Confirm the new address"));
  await expect(page).toHaveURL(/\/done\/email-changed$/);
  await expect(page.getByRole("heading", { name: "Your address was changed" })).toBeVisible();
  await how.open(page, "/account");
  await expect(page.getByText(`Signed in as ${newEmail}`)).toBeVisible();

  // The undo link is bound to no browser: the code printed in the old address's mail gates it.
  await how.open(page, linkIn(toOld));
  await expect(page.getByRole("heading", { name: "Cancel the address change" })).toBeVisible();
  await page.getByLabel("The code from the mail").fill(undoCodeIn(toOld));
  await how.press(button(page, "Cancel the change"));
  await expect(page).toHaveURL(/\/done\/email-change-undone\?sessions=\d+&password=0&tokens=0$/);
  await expect(page.locator("[data-done] .lead")).toContainText(/signed out, the account had no password to remove and there was no personal API token to revoke\. Sign in with a link mailed to this address\.$/);
  await expect(page.getByRole("heading", { name: "The change was undone" })).toBeVisible();
  // Undoing signs everyone out.
  await how.open(page, "/account");
  await expect(page).toHaveURL(/\/login\?next=account$/);
};

/** "Withdraw the change" on /account: the pending change is gone and its link says so. */
export const withdrawEmailChange: Flow = async (t) => {
  const { page, how, label } = t;
  const oldEmail = address(`${label}-withdraw`);
  await signInByLink(page, oldEmail, how);
  const { toNew } = await requestEmailChange(t, oldEmail, address(`${label}-withdrawn`));
  await how.press(button(page, "Withdraw the change"));
  await expect(page.locator("[data-done=change-withdrawn]")).toBeVisible();
  await expect(page.locator("[data-pending-email-change]")).toHaveCount(0);
  await expect(page.getByLabel("New e-mail address")).toBeVisible();
  await how.open(page, linkIn(toNew));
  await expect(page.getByRole("heading", { name: "This link was cancelled" })).toBeVisible();
};

/** Every other form of /account: sessions, password, API tokens, "this wasn't me", sign out. */
export const accountForms: Flow = async (t) => {
  const { page, how, label } = t;
  const email = address(`${label}-account`);
  await signInByLink(page, email, how);
  const elsewhere = [await t.otherBrowser(), await t.otherBrowser()];
  for (const other of elsewhere) await signInByLink(other, email, how);
  await how.open(page, "/account");

  const sessions = page.locator("section[aria-labelledby=sessions]");
  await expect(sessions.getByRole("button", { name: "Sign out there" })).toHaveCount(2);
  await how.press(sessions.getByRole("button", { name: "Sign out there" }).first());
  // Each button's work is confirmed in a status message (announced by screen readers).
  await expect(page.locator("[data-done=session-ended]")).toHaveText("That session is signed out.");
  await expect(sessions.getByRole("button", { name: "Sign out there" })).toHaveCount(1);
  await how.press(button(page, "Sign out everywhere else"));
  await expect(page.locator("[data-done=others-ended]")).toHaveAttribute("role", "status");
  await expect(sessions.getByRole("button", { name: "Sign out there" })).toHaveCount(0);
  await expect(sessions.locator("li")).toHaveCount(1);
  for (const other of elsewhere) {
    await how.open(other, "/account");
    await expect(other).toHaveURL(/\/login\?next=account$/);
  }

  // A mistake is said under the field it is about, as on the other forms.
  await page.getByLabel("New password", { exact: true }).fill("first password here");
  await page.getByLabel("New password, again").fill("first password hare");
  await how.press(button(page, "Set password"));
  await expect(page.locator("#confirm-error")).toHaveText("The two passwords are not the same");
  await expect(page.getByLabel("New password, again")).toHaveAttribute("aria-invalid", "true");
  await page.getByLabel("New password", { exact: true }).fill("first password here");
  await page.getByLabel("New password, again").fill("first password here");
  await how.press(button(page, "Set password"));
  await expect(page.getByText("Your password is set.")).toBeVisible();
  await how.open(page, "/account");
  await page.getByLabel("Current password").fill("first password here");
  await page.getByLabel("New password", { exact: true }).fill("second password now");
  await page.getByLabel("New password, again").fill("second password now");
  await how.press(button(page, "Change password"));
  await expect(page.getByText("Your password was changed. Every other session was signed out.")).toBeVisible();

  await page.getByLabel("Token name").fill("nightly backup");
  await how.press(button(page, "Create token"));
  await expect(page.locator("[data-new-token]")).toHaveText(/^tgp_[A-Za-z0-9_-]{43}$/);
  await expect(page.locator("[data-api-token=live]")).toHaveCount(1);
  await how.press(page.locator("[data-api-token=live]").getByRole("button", { name: "Revoke" }));
  await expect(page.locator("[data-done=token-revoked]")).toBeVisible();
  // A revoked token leaves the list.
  await expect(page.locator("[data-api-token]")).toHaveCount(0);

  // Someone else asks for a link to this address; the owner cancels it from the history.
  const stranger = await t.otherBrowser();
  const theirs = linkIn(await requestLink(stranger, email, "/login", how));
  await how.open(page, "/account");
  const open = page.locator("[data-ticket-status=open]");
  await expect(open).toHaveCount(1);
  await how.press(open.getByRole("button", { name: "This wasn't me — cancel it" }));
  await expect(page.locator("[data-done=link-cancelled]")).toHaveText("The link was cancelled: nobody can use it now.");
  await expect(open).toHaveCount(0);
  await how.open(stranger, theirs);
  await expect(stranger.getByRole("heading", { name: "This link was cancelled" })).toBeVisible();

  await how.press(button(page, "Sign out"));
  await expect(page).toHaveURL(/\/login\?signed-out=1$/);
  await how.open(page, "/account");
  await expect(page).toHaveURL(/\/login\?next=account$/);
};

// ---------------------------------------------------------------------------
// The admin console (ADMIN_EMAILS=admin@example.com in scripts/e2e-server.sh)
// ---------------------------------------------------------------------------

/** Finds a requester's ticket, cancels it with a reason; then "Clean up now". */
export const adminCancelAndCleanUp: Flow = async (t) => {
  const { page, how, label } = t;
  const requester = address(`${label}-requester`);
  const theirs = await t.otherBrowser();
  const link = linkIn(await requestLink(theirs, requester, "/login", how));

  await signInByLink(page, ADMIN, how);
  await how.open(page, `/admin/tickets?email=${encodeURIComponent(requester)}`);
  const href = await page.getByRole("link", { name: requester }).getAttribute("href");
  await how.open(page, href!);
  await expect(page.getByRole("heading", { name: `Sign-in link for ${requester}` })).toBeVisible();
  const since = Date.now();
  await page.getByLabel(/^Reason/).fill("Cancelled while testing forms without scripts.");
  await how.press(button(page, "Cancel this ticket and mail the reason"));
  await expect(page.getByRole("status")).toHaveText(`Cancelled. ${requester} has been mailed the reason.`);
  await expect(page.getByTestId("ticket-state")).toHaveText("Cancelled");
  expect((await waitForMail(requester, since)).text).toContain("Cancelled while testing forms without scripts.");
  await how.open(theirs, link);
  await expect(theirs.getByRole("heading", { name: "This link was cancelled" })).toBeVisible();

  await how.open(page, "/admin");
  await how.press(button(page, "Clean up now"));
  await expect(page.getByRole("status")).toHaveText(/^(Removed \d+ tickets? that ended more than \d+ days? ago(?: \(.+\))?; also .*|Nothing to remove: no ticket ended more than \d+ days? ago\.)$/);
};

/** A user's page: sign their session out, grant and remove the administrator role, disable and enable the account. */
export const adminUser: Flow = async (t) => {
  const { page, how, label } = t;
  const email = address(`${label}-managed`);
  const user = await t.otherBrowser();
  await signInByLink(user, email, how);

  await signInByLink(page, ADMIN, how);
  await how.open(page, `/admin/users?q=${encodeURIComponent(email)}`);
  const href = await page.getByRole("link", { name: email }).getAttribute("href");
  await how.open(page, href!);
  await expect(page.getByRole("heading", { name: email })).toBeVisible();

  const sessions = page.locator("section[aria-labelledby=sessions]");
  await expect(sessions.locator("tbody tr")).toHaveCount(1);
  await how.press(sessions.getByRole("button", { name: "Sign out" }));
  await expect(page.getByText("No live sessions.")).toBeVisible();
  await how.open(user, "/account");
  await expect(user).toHaveURL(/\/login\?next=account$/);

  const role = page.locator("section[aria-labelledby=role]");
  await how.press(role.getByRole("button", { name: "Make administrator" }));
  await expect(role.getByRole("button", { name: "Remove administrator role" })).toBeVisible();
  await expect(page.getByText("admin · by role")).toBeVisible();
  await how.press(role.getByRole("button", { name: "Remove administrator role" }));
  await expect(role.getByRole("button", { name: "Make administrator" })).toBeVisible();

  const access = page.locator("section[aria-labelledby=access]");
  await how.press(access.getByRole("button", { name: "Disable account" }));
  await expect(page.getByTestId("user-disabled")).toBeVisible();
  await how.press(access.getByRole("button", { name: "Enable account" }));
  await expect(page.getByTestId("user-disabled")).toHaveCount(0);
  await expect(access.getByRole("button", { name: "Disable account" })).toBeVisible();
};

/** API projects: create one (its key shown once), update its limits, create a second key and revoke one. */
export const adminProjects: Flow = async ({ page, how, label }) => {
  await signInByLink(page, ADMIN, how);
  const name = `${label.toLowerCase().replace(/[^a-z0-9]/g, "")}-${Date.now()}`;
  await how.open(page, "/admin/projects");
  await page.locator("form[data-form=createProject]").getByLabel("Name").fill(name);
  await how.press(button(page, "Create project and key"));
  await expect(page.getByRole("status").filter({ hasText: `Project ${name} created with its first key.` })).toBeVisible();
  await expect(page.locator("form[data-form=createProject] [data-new-key] code")).toHaveText(/^tg_[A-Za-z0-9_-]{43}$/);

  const project = page.locator(`[data-project='${name}']`);
  await expect(project).toContainText("live of 100,000");
  await project.getByLabel("Live tickets at most").fill("7");
  await how.press(project.getByRole("button", { name: "Save limits" }));
  await expect(project).toContainText("live of 7");
  await expect(project.getByRole("status").filter({ hasText: `Saved ${name}.` })).toBeVisible();

  await expect(project.locator("tbody tr")).toHaveCount(1);
  await how.press(project.getByRole("button", { name: "Create key" }));
  await expect(project.locator("[data-new-key] code")).toHaveText(/^tg_[A-Za-z0-9_-]{43}$/);
  await expect(project.locator("tbody tr")).toHaveCount(2);
  await how.press(project.getByRole("button", { name: "Revoke" }).first());
  await expect(project.locator(".badge.revoked")).toHaveCount(1);
};

/** Every flow, with the title its tests carry. */
export const FLOWS: readonly (readonly [string, Flow])[] = [
  ["sign-in link on /login (with a stored action), the link's button, the stored action's own form", signInByLinkToStoredAction],
  ["the typed code on /login/check, wrong then right", signInByTypedCode],
  ["password sign-in on /login, after setting one on /account", signInWithPassword],
  ["an expired link's \"Send me a new link\", too soon and then in time", freshLinkOnExpired],
  ["a used link's \"Send a new link to this device\", in another browser", freshLinkOnUsed],
  ["a live link's \"Send a link to this device\", in another browser", linkHereOnElsewhere],
  ["password reset: /reset, then the link's form with a typo, then right", passwordReset],
  ["sign-up: /signup, then the confirmation form", signUp],
  ["e-mail change: asked on /account, confirmed from the new address, undone from the old", emailChange],
  ["e-mail change withdrawn on /account", withdrawEmailChange],
  ["account forms: sessions, password, API tokens, \"this wasn't me\", sign out", accountForms],
  ["admin: cancel a ticket with a reason, clean up now", adminCancelAndCleanUp],
  ["admin: sign a session out, grant and remove admin, disable and enable a user", adminUser],
  ["admin: create a project, update it, create and revoke a key", adminProjects],
];
