// Number matching as the flows drive it (docs/design.md, "Mail scanners
// click"): the number the asking tab shows, and the other device's page.
import { type Page, expect } from "@playwright/test";

import { maskEmail } from "@/lib/forms/email";

/** The asking browser says it is Firefox on Linux; the other device runs as Chrome on Windows (the project's device). */
export const ASKER_UA = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";
export const ASKER_NAMED = "Firefox on Linux";

/** The 4-digit number the asking tab shows (app/_components/approval-panel.tsx). */
export async function approvalNumberOn(page: Page): Promise<string> {
  const panel = page.locator("[data-approval-number]");
  await expect(panel).toBeVisible();
  const number = await panel.getAttribute("data-approval-number");
  expect(number).toMatch(/^\d{4}$/);
  return number!;
}

/**
 * The page's main text with the number masked: each request gets its own
 * number (known address or not), so answers are compared without it.
 */
export async function mainTextWithoutNumber(page: Page): Promise<string> {
  const number = await approvalNumberOn(page);
  return (await page.locator("main").innerText()).replaceAll(number, "####");
}

/** Opens `link` in a browser that did not ask for it: the other-device page, naming who asked (`email`'s link). */
export async function openElsewhere(page: Page, link: string, email: string) {
  await page.goto(link);
  const panel = page.locator("[data-elsewhere]");
  await expect(page.getByRole("heading", { name: "This link was asked for on another device" })).toBeVisible();
  // The asking browser, named by the parser (not this browser, and not its raw User-Agent), its address, and whose link it is.
  await expect(panel.locator("[data-asked-browser]")).toHaveText(ASKER_NAMED);
  await expect(panel).not.toContainText("Mozilla/5.0");
  await expect(panel).toContainText("127.0.0.1");
  await expect(panel).toContainText(maskEmail(email));
}

/** Types the asking tab's number on the other device and presses `button` (approve, or go on here). */
export async function typeNumber(page: Page, number: string, button: string) {
  await page.getByLabel("The number shown on that device").fill(number);
  await page.getByRole("button", { name: button }).click();
}

/** No session: the account page sends it to sign in. */
export async function expectNoSession(page: Page) {
  await page.goto("/account");
  await expect(page).toHaveURL(/\/login\?next=account$/);
}
