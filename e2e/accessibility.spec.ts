// The pages, checked by axe-core (WCAG 2.1 A and AA rules) in the real
// browser: no serious or critical violation. A failure lists each rule with
// the elements it found.
import AxeBuilder from "@axe-core/playwright";
import { type Page, expect, test } from "@playwright/test";

import { ADMIN } from "./support/flows";
import { linkIn } from "./support/mail";
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
      for (const line of await violations(page)) found.push(`${path ?? page.url()} at ${width}px: ${line}`);
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
  // The console on a phone: its folded navigation, and the widest table, which scrolls.
  await check(page, ["/admin/tickets"], PHONE);
});
