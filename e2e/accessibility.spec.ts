// The pages, checked by axe-core (WCAG 2.1 A and AA rules) in the real
// browser: no serious or critical violation, and no sideways scrolling at the
// widths checked. A failure lists each rule with the elements it found.
import AxeBuilder from "@axe-core/playwright";
import { type Page, expect, test } from "@playwright/test";

import { ADMIN } from "./support/flows";
import { linkIn, undoCodeIn, waitForMail } from "./support/mail";
import { address, requestLink } from "./support/sign-in";

const WIDTHS = [
  [1280, 900],
  [390, 844],
] as const;

/** The serious and critical violations on the page as it is now, one line per rule. */
async function violations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  return result.violations
    .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
    .map((violation) => `${violation.id} (${violation.impact}): ${violation.nodes.map((node) => node.target.join(" ")).join(", ")}`);
}

const DESKTOP = [WIDTHS[0]] as const;
const PHONE = [WIDTHS[1]] as const;

/**
 * Opens each path (or checks the page where it is, for null) at the given
 * widths and collects what axe finds. Each check takes a second or more, so
 * every page is checked at both widths once, in whichever flow reaches it
 * first, and the flows are few (the whole CI has a time budget).
 */
async function check(page: Page, paths: (string | null)[], widths: readonly (readonly [number, number])[] = DESKTOP): Promise<void> {
  const found: string[] = [];
  for (const [width, height] of widths) {
    await page.setViewportSize({ width, height });
    for (const path of paths) {
      if (path) await page.goto(path);
      await expect(page.locator("main")).toBeVisible();
      // After a client-side navigation (a form's redirect) the <title> follows the page: wait for it, axe checks it.
      await expect(page).toHaveTitle(/\S/);
      for (const line of await violations(page)) found.push(`${path ?? page.url()} at ${width}px: ${line}`);
      // Nothing sticks out sideways at either width (a wide table scrolls inside its own panel).
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      if (overflow > 0) found.push(`${path ?? page.url()} at ${width}px: the page scrolls sideways by ${overflow}px`);
    }
  }
  expect(found).toEqual([]);
}

test.describe.configure({ timeout: 120_000 });

test("the pages anyone can open have no serious accessibility violation", async ({ page }) => {
  await check(page, ["/login", "/login?with=password"], WIDTHS);
  await check(page, ["/", "/signup", "/reset", "/no-such-page", "/ticket/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"], WIDTHS);
  // The check page with nothing asked is one card like those above (its full form is checked at both widths below).
  await check(page, ["/login/check"]);
});

test("the sign-in path and the account page have no serious accessibility violation", async ({ page }) => {
  const email = address("a11y");
  const link = linkIn(await requestLink(page, email));
  await check(page, [null], WIDTHS); // the check page, with the address, the countdown and the code boxes
  await page.goto(link);
  await check(page, [null], WIDTHS); // the confirm page
  await page.getByRole("button", { name: /^Continue as/ }).click();
  await expect(page).toHaveURL(/\/account$/);
  await check(page, ["/account"], WIDTHS);
  // The used link, where it was asked for: the failure page with its "Send me a new link" form and countdown.
  await page.goto(link);
  await expect(page.getByRole("button", { name: "Send me a new link" })).toBeVisible();
  await check(page, [null], WIDTHS);
});

test("the admin console has no serious accessibility violation", async ({ page }) => {
  await page.goto(linkIn(await requestLink(page, ADMIN)));
  await page.getByRole("button", { name: /^Continue as/ }).click();
  await expect(page).toHaveURL(/\/account$/);
  await check(page, ["/admin", "/admin/tickets", "/admin/users", "/admin/sessions", "/admin/projects", "/admin/mail", "/admin/audit"]);
  // A ticket's page and a user's page, reached from their lists.
  await page.goto("/admin/tickets");
  const ticket = await page.locator("tbody tr a").first().getAttribute("href");
  await page.goto("/admin/users");
  const user = await page.locator("tbody tr a[href^='/admin/users/']").first().getAttribute("href");
  await check(page, [ticket, user]);
  // The console on a phone: its folded navigation, and the widest table, which scrolls.
  await check(page, ["/admin/tickets"], PHONE);
});

test("the other pages a person meets — a link opened elsewhere, a link for this device, the password and address forms, the pages after — have no serious accessibility violation", async ({ page, browser }) => {
  // A sign-in link opened in another browser, then "Send a link to this device" there.
  const email = address("a11y-elsewhere");
  const link = linkIn(await requestLink(page, email));
  const other = await (await browser.newContext()).newPage();
  await other.goto(link);
  await expect(other.getByRole("heading", { name: "This link was asked for on another device" })).toBeVisible();
  await check(other, [null], WIDTHS);
  await other.waitForTimeout(2_100);
  await other.getByLabel("Your e-mail address").fill(email);
  await other.getByRole("button", { name: "Send a link to this device" }).click();
  await expect(other.getByRole("heading", { name: "A link for this device is on its way" })).toBeVisible();
  await check(other, [null], WIDTHS);
  await other.context().close();

  // A new account's link: the password form.
  const fresh = address("a11y-signup");
  await page.goto("/signup");
  await check(page, [null]);
  await page.getByLabel("E-mail address").fill(fresh);
  const since = Date.now();
  await page.getByRole("button", { name: "Mail me a confirmation link" }).click();
  await expect(page.locator("[data-answer=sent]")).toBeVisible();
  await page.goto(linkIn(await waitForMail(fresh, since)));
  await expect(page.getByLabel("New password", { exact: true })).toBeVisible();
  await check(page, [null], WIDTHS);

  // Signed in: a stored action's page, the done pages, /continue with nothing to continue.
  await page.goto(linkIn(await requestLink(page, email)));
  await page.getByRole("button", { name: /^Continue as/ }).click();
  await check(page, ["/subrequest/foo", "/done/email-changed", "/continue"]);

  // An e-mail change: the confirmation page, the undo page, and the page after the undo.
  const moved = address("a11y-moved");
  await page.goto("/account");
  await page.getByLabel("New e-mail address").fill(moved);
  const asked = Date.now();
  await page.getByRole("button", { name: "Change my address" }).click();
  await expect(page.locator("[data-pending-email-change]")).toBeVisible();
  const toNew = await waitForMail(moved, asked);
  const toOld = await waitForMail(email, asked);
  await page.goto(linkIn(toNew));
  await expect(page.getByRole("heading", { name: "Confirm your new address" })).toBeVisible();
  await check(page, [null], WIDTHS);
  await page.getByRole("button", { name: "Confirm the new address" }).click();
  await expect(page.getByRole("heading", { name: "Your address was changed" })).toBeVisible();
  await page.goto(linkIn(toOld));
  await expect(page.getByRole("heading", { name: "Cancel the address change" })).toBeVisible();
  await check(page, [null], WIDTHS);
  await page.getByLabel("The code from the mail").fill(undoCodeIn(toOld));
  await page.getByRole("button", { name: "Cancel the change" }).click();
  await expect(page.getByRole("heading", { name: "The change was undone" })).toBeVisible();
  await check(page, [null], WIDTHS);
});
