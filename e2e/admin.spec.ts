// The admin console end to end: a real browser, the production build, real
// mail over SMTP. ADMIN_EMAILS=admin@example.com in scripts/e2e-server.sh.
import { type Browser, expect, test } from "@playwright/test";

import { linkIn, waitForMail } from "./support/mail";
import { address, requestLink } from "./support/sign-in";

const SCREENS = "e2e/.artifacts/screens";
const ADMIN = "admin@example.com";

/** Signs `email` in by the mailed link, in a fresh browser context. */
async function signedIn(browser: Browser, email: string, options: Parameters<Browser["newContext"]>[0] = {}) {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  await page.goto(linkIn(await requestLink(page, email)));
  await page.getByRole("button", { name: /^Continue as/ }).click();
  await expect(page).toHaveURL(/\/account$/);
  return { context, page };
}

test('rule "Ticket values: … stored only as a hash" (the console shows a hash prefix, never the ticket): an admin finds a ticket by address and cancels it; the requester is mailed the reason and the link says cancelled', async ({ browser }) => {
  // Someone asks for a sign-in link and has not used it yet.
  const requester = address("requester");
  const theirs = await browser.newContext();
  const theirPage = await theirs.newPage();
  const link = linkIn(await requestLink(theirPage, requester));

  const { context, page } = await signedIn(browser, ADMIN);
  // The account page offers the console to administrators.
  await page.getByRole("link", { name: "Open the admin console" }).click();
  await expect(page).toHaveURL(/\/admin$/);
  await page.goto("/admin/tickets");
  await page.getByLabel("Address contains").fill(requester.slice(0, 20).toUpperCase());
  await page.getByRole("button", { name: "Filter" }).click();
  // The filters are in the URL, so the page can be linked.
  await expect(page).toHaveURL(/\/admin\/tickets\?.*q=requester/i);
  const row = page.locator("tr", { hasText: requester });
  await expect(row).toHaveCount(1);
  await expect(row.locator(".badge")).toHaveText("open");
  // Never the ticket itself.
  expect(await page.content()).not.toContain(link.split("/ticket/")[1]);
  await row.getByRole("link", { name: requester }).click();

  await expect(page.getByRole("heading", { name: `login ticket for ${requester}` })).toBeVisible();
  await expect(page.locator("tr[data-event=issued]")).toHaveCount(1);
  expect(await page.content()).not.toContain(link.split("/ticket/")[1]);
  // An empty reason is refused in the browser, with the schema's words, and nothing is sent.
  await page.getByRole("button", { name: "Cancel this ticket and mail the reason" }).click();
  await expect(page.getByText("Give a reason of at least 3 characters")).toBeVisible();

  const since = Date.now();
  const reason = "This request did not come from you, so we cancelled the link.";
  await page.getByLabel(/^Reason/).fill(reason);
  await page.getByRole("button", { name: "Cancel this ticket and mail the reason" }).click();
  await expect(page.getByRole("status")).toHaveText(`Cancelled. ${requester} has been mailed the reason.`);
  await expect(page.getByTestId("ticket-state")).toHaveText("revoked");
  await expect(page.locator("tr[data-event=revoked]")).toContainText(reason);

  const mail = await waitForMail(requester, since);
  expect(mail.subject).toContain("cancelled");
  expect(mail.text).toContain(reason);
  expect(mail.text).not.toContain(link);

  await theirPage.goto(link);
  await expect(theirPage.getByRole("heading", { name: "This link was cancelled" })).toBeVisible();
  await theirs.close();

  // The audit log says who did it.
  await page.goto("/admin/audit");
  await expect(page.locator("tr[data-action='ticket.cancel']").first()).toContainText(ADMIN);
  await context.close();
});

test("a cross-site post of an admin form is refused and changes nothing", async ({ browser }) => {
  const requester = address("csrf");
  const theirs = await browser.newContext();
  const link = linkIn(await requestLink(await theirs.newPage(), requester));
  await theirs.close();

  const { context, page } = await signedIn(browser, ADMIN);
  await page.goto(`/admin/tickets?email=${encodeURIComponent(requester)}`);
  await page.getByRole("link", { name: requester }).click();
  await expect(page.getByRole("heading", { name: "History" })).toBeVisible();
  // A full page load, so the form carries the fields a post without JavaScript sends.
  await page.goto(page.url());
  await page.getByLabel(/^Reason/).fill("cross-site attempt");
  // Exactly what the form posts without JavaScript (the server action's own fields included),
  // sent with the admin's cookies — as a forged form on another site would be.
  const fields = await page.locator("form[data-form=cancelTicket]").evaluate((form) => Object.fromEntries(new FormData(form as HTMLFormElement) as unknown as Iterable<[string, string]>));
  expect(fields.reason).toBe("cross-site attempt");
  expect(Object.keys(fields).some((name) => name.startsWith("$ACTION"))).toBe(true);
  const forged = await page.request.post(page.url(), { multipart: fields, headers: { Origin: "http://evil.example" }, maxRedirects: 0 });
  // Refused in front of Next (server.ts).
  expect(forged.status()).toBe(403);
  // A post with no Origin at all gets past that layer; the action's own isSameOrigin() refuses it.
  const originless = await page.request.post(page.url(), { multipart: fields, maxRedirects: 0 });
  expect(originless.status()).toBeLessThan(500);
  await page.reload();
  await expect(page.getByTestId("ticket-state")).toHaveText("open");
  const owner = await browser.newPage();
  await owner.goto(link);
  await expect(owner.getByRole("button", { name: /^Continue as/ })).toBeVisible();

  // The very same post from the site itself goes through, so the refusal above was about the origin.
  const genuine = await page.request.post(page.url(), { multipart: fields, headers: { Origin: "http://localhost:3100" }, maxRedirects: 0 });
  expect(genuine.status()).toBeLessThan(400);
  await page.reload();
  await expect(page.getByTestId("ticket-state")).toHaveText("revoked");
  await owner.goto(link);
  await expect(owner.getByRole("heading", { name: "This link was cancelled" })).toBeVisible();
  await owner.close();
  await context.close();
});

test("disabling a user signs them out everywhere at once, and is in the audit log", async ({ browser }) => {
  const email = address("disable-me");
  const user = await signedIn(browser, email);
  const { context, page } = await signedIn(browser, ADMIN);
  await page.goto(`/admin/users?q=${encodeURIComponent(email)}`);
  await page.getByRole("link", { name: email }).click();
  await expect(page.getByRole("heading", { name: email })).toBeVisible();
  await expect(page.locator("section[aria-labelledby=sessions] tbody tr")).toHaveCount(1);
  page.once("dialog", (dialog) => dialog.accept());
  await page.getByRole("button", { name: "Disable account" }).click();
  await expect(page.getByTestId("user-disabled")).toBeVisible();
  await expect(page.getByText("No live sessions.")).toBeVisible();

  await user.page.goto("/account");
  await expect(user.page).toHaveURL(/\/login\?next=account$/);
  await page.goto("/admin/audit");
  await expect(page.locator("tr[data-action='user.disable']").first()).toContainText(`${email}: 1 session ended`);
  await user.context.close();
  await context.close();
});

test("the console does not exist for a signed-in non-admin, and sends anonymous visitors to sign in and back", async ({ browser, page }) => {
  const anonymous = await page.goto("/admin/tickets");
  expect(anonymous?.status()).toBe(200);
  await expect(page).toHaveURL(/\/login\?next=admin%2Ftickets$/);
  // The admin signs in from there and lands where they were going.
  await page.getByLabel("E-mail address").fill(ADMIN);
  const since = Date.now();
  await page.getByRole("button", { name: "Mail me a sign-in link" }).click();
  await page.goto(linkIn(await waitForMail(ADMIN, since)));
  await page.getByRole("button", { name: /^Continue as/ }).click();
  await expect(page).toHaveURL(/\/admin\/tickets$/);
  await expect(page.getByRole("navigation", { name: "Administration" })).toBeVisible();

  const { context, page: userPage } = await signedIn(browser, address("nosy"));
  await expect(userPage.getByRole("link", { name: "Open the admin console" })).toHaveCount(0);
  for (const path of ["/admin", "/admin/tickets", "/admin/users", "/admin/audit", "/admin/projects", "/admin/mail"]) {
    const response = await userPage.goto(path);
    expect(response?.status(), path).toBe(404);
    await expect(userPage.getByRole("navigation", { name: "Administration" })).toHaveCount(0);
  }
  await userPage.screenshot({ path: `${SCREENS}/admin-404.png`, fullPage: true });
  await context.close();
});

test("API project: the key is shown once; screenshots of the console at 1280 and 390 wide", async ({ browser }) => {
  const { context, page } = await signedIn(browser, ADMIN, { viewport: { width: 1280, height: 900 } });
  const name = `crm-${Date.now()}`;
  await page.goto("/admin/projects");
  await page.getByLabel("Name").fill(name);
  await page.getByRole("button", { name: "Create project and key" }).click();
  const key = page.locator("[data-new-key] code");
  await expect(key).toHaveText(/^tg_[A-Za-z0-9_-]{43}$/);
  const value = await key.innerText();
  await page.screenshot({ path: `${SCREENS}/admin-projects-1280.png`, fullPage: true });
  await page.reload();
  await expect(page.locator(`[data-project='${name}']`)).toBeVisible();
  expect(await page.content()).not.toContain(value);

  // The key works against the API.
  const created = await page.request.post("/v1/tickets", { headers: { Authorization: `Bearer ${value}` }, data: { uses: 1, ttl: 60 } });
  expect(created.status()).toBe(200);

  for (const [width, height] of [
    [1280, 900],
    [390, 844],
  ] as const) {
    await page.setViewportSize({ width, height });
    for (const [path, shot] of [
      ["/admin", "overview"],
      ["/admin/tickets", "tickets"],
      ["/admin/users", "users"],
      ["/admin/audit", "audit"],
    ] as const) {
      await page.goto(path);
      await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
      await page.screenshot({ path: `${SCREENS}/admin-${shot}-${width}.png`, fullPage: true });
    }
    await page.goto("/admin/tickets");
    await page.locator("tbody tr a").first().click();
    await expect(page.getByRole("heading", { name: "History" })).toBeVisible();
    await page.screenshot({ path: `${SCREENS}/admin-ticket-${width}.png`, fullPage: true });
    // Nothing sticks out sideways on a phone: wide tables scroll inside their panel.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
  }
  await context.close();
});

test("the outbox is visible to administrators: counts by state, what is due, and mail that failed for good", async ({ browser }) => {
  const { context, page } = await signedIn(browser, ADMIN);
  await page.goto("/admin/mail?state=sent");
  await expect(page.getByRole("heading", { name: "Mail", exact: true })).toBeVisible();
  // This run has sent mail already (every sign-in above), and the table lists it without bodies or links.
  const sent = Number((await page.locator("[data-state=sent] .stat-value").innerText()).replace(/\D/g, ""));
  expect(sent).toBeGreaterThan(0);
  await expect(page.locator("tr[data-mail=sent]").first()).toBeVisible();
  expect(await page.content()).not.toMatch(/\/ticket\/[A-Za-z0-9_-]{43}/);
  await page.getByRole("link", { name: /Failed for good/ }).click();
  await expect(page).toHaveURL(/state=failed/);
  await page.screenshot({ path: `${SCREENS}/admin-mail.png`, fullPage: true });
  await context.close();
});
