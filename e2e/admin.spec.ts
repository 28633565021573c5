// The admin console end to end: a real browser, the production build, real
// mail over SMTP. ADMIN_EMAILS=admin@example.com in scripts/e2e-server.sh.
import { type Browser, expect, test } from "@playwright/test";

import { ASKER_UA, approvalNumberOn, expectNoSession, openElsewhere, typeNumber } from "./support/approval";
import { linkIn, waitForMail } from "./support/mail";
import { address, requestLink } from "./support/sign-in";
import { ORIGIN } from "./support/origin";

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
  // So does the header, on every page.
  await expect(page.getByRole("banner").getByRole("link", { name: "Admin" })).toBeVisible();
  await page.getByRole("link", { name: "Open the admin console" }).click();
  await expect(page).toHaveURL(/\/admin$/);
  // Counts choose their word ("1 ticket kept", "2 tickets kept").
  await expect(page.getByText(/^[\d,]+ tickets? kept\. Times are UTC\.$/)).toBeVisible();
  await expect(page.locator("main")).not.toContainText(/\b1 tickets\b|\b1 sign-in links\b/);
  await page.goto("/admin/tickets");
  // Kinds and destinations in words, never their stored names.
  await expect(page.locator("main")).not.toContainText(/password_reset|new_account|email_change|subrequest\//);
  await page.getByLabel("Address contains").fill(requester.slice(0, 20).toUpperCase());
  await page.getByRole("button", { name: "Filter" }).click();
  // The filters are in the URL, so the page can be linked.
  await expect(page).toHaveURL(/\/admin\/tickets\?.*q=requester/i);
  const row = page.locator("tr", { hasText: requester });
  await expect(row).toHaveCount(1);
  await expect(row.locator(".badge")).toHaveText("Open");
  // Never the ticket itself.
  expect(await page.content()).not.toContain(link.split("/ticket/")[1]);
  await row.getByRole("link", { name: requester }).click();

  await expect(page.getByRole("heading", { name: `Sign-in link for ${requester}` })).toBeVisible();
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
  await expect(page.getByTestId("ticket-state")).toHaveText("Cancelled");
  await expect(page.locator("tr[data-event=revoked]")).toContainText(reason);

  const mail = await waitForMail(requester, since);
  expect(mail.subject).toContain("cancelled");
  expect(mail.text).toContain(reason);
  expect(mail.text).not.toContain(link);

  await theirPage.goto(link);
  await expect(theirPage.getByRole("heading", { name: "This link was cancelled" })).toBeVisible();
  await theirs.close();

  // The audit log says who did it, in words.
  await page.goto("/admin/audit");
  const audited = page.locator("tr[data-action='ticket.cancel']").first();
  await expect(audited).toContainText(ADMIN);
  await expect(audited).toContainText("Cancelled a ticket");
  await expect(audited).toContainText(`Sign-in link for ${requester}: ${reason}`);
  await expect(page.locator("main")).not.toContainText(/ticket\.cancel|user\.disable|api_key|\blogin for\b/);
  // So does the outbox: each mail by what it is.
  await expect(async () => {
    // Marked sent a moment after the catcher has it.
    await page.goto("/admin/mail?state=sent");
    await expect(page.locator("tr", { hasText: requester }).locator("[data-template=ticket-cancelled]")).toHaveText("Link cancelled", { timeout: 1_000 });
  }).toPass({ timeout: 10_000 });
  await expect(page.locator("main")).not.toContainText(/login-link|ticket-cancelled/);
  await context.close();
});

test("a cross-site post of an admin form is refused and changes nothing", async ({ browser }) => {
  const requester = address("csrf");
  // The link is bound to the browser that asked: that is where its owner opens it.
  const theirs = await browser.newContext();
  const owner = await theirs.newPage();
  const link = linkIn(await requestLink(owner, requester));

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
  await expect(page.getByTestId("ticket-state")).toHaveText("Open");
  await owner.goto(link);
  await expect(owner.getByRole("button", { name: /^Continue as/ })).toBeVisible();

  // The very same post from the site itself goes through, so the refusal above was about the origin.
  const genuine = await page.request.post(page.url(), { multipart: fields, headers: { Origin: ORIGIN }, maxRedirects: 0 });
  expect(genuine.status()).toBeLessThan(400);
  await page.reload();
  await expect(page.getByTestId("ticket-state")).toHaveText("Cancelled");
  await owner.goto(link);
  await expect(owner.getByRole("heading", { name: "This link was cancelled" })).toBeVisible();
  await theirs.close();
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
  await page.getByRole("button", { name: "E-mail me a sign-in link" }).click();
  // The answer sets the cookie the link is bound to: leaving before it arrives would lose it.
  await expect(page.getByRole("heading", { name: "Check your mail" })).toBeVisible();
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

  // An administrator by configuration is warned that the role goes with the address.
  await page.goto("/account");
  await expect(page.locator("[data-admin-by-address]")).toContainText("The role goes with the address");

  // The key works against the API.
  const created = await page.request.post("/v1/tickets", { headers: { Authorization: `Bearer ${value}` }, data: { uses: 1, ttl: 60 } });
  expect(created.status()).toBe(200);

  // A very long address (60 characters and more) in the newest row of the tickets table.
  const long = address("a-very-long-address-of-someone.with-a-department");
  expect(long.length).toBeGreaterThanOrEqual(60);
  const asker = await browser.newContext();
  await requestLink(await asker.newPage(), long);
  await asker.close();

  for (const [width, height] of [
    [1280, 900],
    [390, 844],
  ] as const) {
    await page.setViewportSize({ width, height });
    await page.goto("/admin/tickets");
    const cell = page.locator(`tbody .address[title="${long}"]`);
    await expect(cell).toHaveCount(1);
    // The address never wraps: one line, cut with an ellipsis where it is too long.
    expect(await cell.evaluate((node) => node.getClientRects().length), `${width} px: the address is one box`).toBe(1);
    expect(await cell.evaluate((node) => Math.round(node.getBoundingClientRect().height) <= Math.ceil(parseFloat(getComputedStyle(node).lineHeight)) + 1), `${width} px: the address is one line`).toBe(true);
    // At 1280 px the whole table fits its panel: nothing scrolls sideways.
    if (width === 1280) expect(await page.locator(".table-scroll").evaluate((node) => node.scrollWidth - node.clientWidth), "the tickets table fits 1280 px").toBeLessThanOrEqual(0);
    for (const [path, shot] of [
      ["/admin", "overview"],
      ["/admin/tickets", "tickets"],
      ["/admin/users", "users"],
      ["/admin/audit", "audit"],
    ] as const) {
      await page.goto(path);
      await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
      await page.screenshot({ path: `${SCREENS}/admin-${shot}-${width}.png`, fullPage: true });
      // Browsers are named ("Chrome on Linux"), the raw header only in a tooltip.
      await expect(page.locator("main")).not.toContainText("Mozilla/");
      if (width === 1280) expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth), `${path} fits 1280 px`).toBeLessThanOrEqual(0);
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

// In the console's file: the overview counts opens across the whole server, so this runs with no other flow beside it (playwright.config.ts).
test('rule "Mail scanners click": after another device approved, the person\'s account and the admin\'s ticket page say so; the overview counts opens by browsers that did not ask, not by the one that did', async ({ browser }) => {
  const contexts: Awaited<ReturnType<Browser["newContext"]>>[] = [];
  const browse = async (options: Parameters<Browser["newContext"]>[0] = {}) => {
    contexts.push(await browser.newContext(options));
    return contexts.at(-1)!.newPage();
  };
  /** A sign-in link asked for by a Firefox tab, and the number it shows. */
  const ask = async () => {
    const asker = await browse({ userAgent: ASKER_UA });
    const email = address("history");
    const link = linkIn(await requestLink(asker, email, "/login?next=subrequest/foo"));
    return { asker, email, link, number: await approvalNumberOn(asker) };
  };
  const asked = await ask();
  const other = await browse();
  await openElsewhere(other, asked.link, asked.email);
  await typeNumber(other, asked.number, "Approve the sign-in on that device");
  await expect(other.getByRole("heading", { name: "Approved" })).toBeVisible();
  await expect(asked.asker).toHaveURL(/\/subrequest\/foo$/, { timeout: 5_000 });
  await expectNoSession(other);

  await asked.asker.goto("/account");
  const used = asked.asker.locator("[data-ticket-status=closed]").first();
  await expect(used).toContainText("Opened in another browser (a mail scanner, or your other device)");
  await expect(used).toContainText("Approved from another device");

  const { context: adminContext, page: admin } = await signedIn(browser, ADMIN);
  contexts.push(adminContext);
  await admin.goto(`/admin/tickets?email=${encodeURIComponent(asked.email)}`);
  await admin.getByRole("link", { name: asked.email }).click();
  await expect(admin.locator("tr[data-event=opened_elsewhere]").first()).toContainText("Opened in a browser that did not ask for it");
  await expect(admin.locator("tr[data-event=approved]")).toContainText("Approved from another device (number matched)");

  const openedElsewhere = async () => {
    await admin.goto("/admin");
    return Number((await admin.getByTestId("opened-elsewhere").innerText()).split(" of ")[0]!.replace(/\D/g, ""));
  };
  const second = await ask();
  const count = await openedElsewhere();
  await second.asker.goto(second.link);
  await expect(second.asker.getByRole("button", { name: /^Continue as / })).toBeVisible();
  expect(await openedElsewhere()).toBe(count);
  await other.goto(second.link);
  await expect(other.getByRole("heading", { name: "This link was asked for on another device" })).toBeVisible();
  expect(await openedElsewhere()).toBe(count + 1);
  // The second asking tab would keep asking whether it was approved.
  for (const context of contexts) await context.close();
});
