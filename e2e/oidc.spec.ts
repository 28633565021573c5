// Signing in to another app through Ticketgate (OpenID Connect, issue 16): a
// real relying party (e2e/support/relying-party.ts) sends the browser to
// Ticketgate, the person signs in by the mailed link, consents once, and the
// app shows their e-mail; then the app signs them out (RP-initiated logout).
// The consent step also without JavaScript, where the form's answer must
// reach the app's origin despite CSP form-action.
import AxeBuilder from "@axe-core/playwright";
import { type Page, expect, test } from "@playwright/test";

import { withoutJavaScript } from "./support/browse";
import { ADMIN } from "./support/flows";
import { linkIn } from "./support/mail";
import { type RelyingParty, startRelyingParty } from "./support/relying-party";
import { shootWidths } from "./support/screens";
import { address, requestLink, signInByLink } from "./support/sign-in";

/** Serious and critical axe violations (WCAG 2.1 A and AA), as e2e/accessibility.spec.ts counts them. */
async function violations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  return result.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

let rp: RelyingParty;
test.beforeAll(async () => {
  rp = await startRelyingParty(`Example app ${Date.now()}`);
});
test.afterAll(async () => rp?.close());

test("an app signs a person in through the mailed link, shows their e-mail, and signs them out", async ({ page }) => {
  const email = address("oidc");
  await page.goto(rp.url);
  await page.getByRole("link", { name: "Sign in with Ticketgate" }).click();
  // Ticketgate's own sign-in, which says where it goes on to.
  await expect(page).toHaveURL(/\/login\?next=oidc%2Finteraction%2F/);
  await expect(page.getByText("After signing in, you go on to signing in to an app.")).toBeVisible();
  const mail = await requestLink(page, email, page.url());
  await page.goto(linkIn(mail));
  await page.getByRole("button", { name: /^Continue as/ }).click();
  // First time with this app: consent.
  await expect(page.getByRole("heading", { name: /^Sign in to Example app/ })).toBeVisible();
  await expect(page.getByText("see your e-mail address")).toBeVisible();
  expect(await violations(page)).toEqual([]);
  await shootWidths(page, "oidc-consent");
  await page.getByRole("button", { name: "Allow", exact: true }).click();
  await expect(page).toHaveURL(`${rp.url}/`);
  await expect(page.getByRole("heading", { name: `Signed in as ${email}` })).toBeVisible();

  // Remembered: listed on /account.
  await page.goto("/account");
  await expect(page.locator("[data-apps]")).toContainText("Example app");

  // RP-initiated logout: Ticketgate asks, then returns to the app's address and is signed out itself.
  await page.goto(rp.url);
  await page.getByRole("link", { name: "Sign out" }).click();
  await expect(page.getByRole("heading", { name: "Sign out of Ticketgate?" })).toBeVisible();
  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await expect(page).toHaveURL(`${rp.url}/signed-out`);
  await page.goto("/account");
  await expect(page).toHaveURL(/\/login\?next=account/);
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the consent form works as a plain HTML form and the browser reaches the app", async ({ page }) => {
    const email = address("oidc-nojs");
    await page.goto(`${rp.url}/login`, { waitUntil: "domcontentloaded" });
    await expect(page).toHaveURL(/\/login\?next=oidc%2Finteraction%2F/);
    const mail = await requestLink(page, email, page.url(), withoutJavaScript);
    await withoutJavaScript.open(page, linkIn(mail));
    await withoutJavaScript.press(page.getByRole("button", { name: /^Continue as/ }));
    await expect(page.getByRole("heading", { name: /^Sign in to Example app/ })).toBeVisible();
    await withoutJavaScript.press(page.getByRole("button", { name: "Allow", exact: true }));
    await expect(page.getByRole("heading", { name: `Signed in as ${email}` })).toBeVisible();
  });
});

test("the console's Apps page lists the app and has no serious accessibility violation", async ({ page }) => {
  await signInByLink(page, ADMIN);
  await page.goto("/admin/apps");
  await expect(page.locator(`[data-app^="Example app"]`).first()).toBeVisible();
  expect(await violations(page)).toEqual([]);
  await page.setViewportSize({ width: 390, height: 844 });
  expect(await violations(page)).toEqual([]);
  await shootWidths(page, "admin-apps");
});
