// Sign-in through mailed tickets, end to end: a real browser, the production
// build, and mail delivered over SMTP to a real server (e2e/support).
import { expect, test } from "@playwright/test";

import { mainTextWithoutNumber } from "./support/approval";
import { expireTickets } from "./support/clock";
import { codeIn, linkIn, waitForMail } from "./support/mail";
import { shootWidths } from "./support/screens";
import { address, requestLink } from "./support/sign-in";
import { ORIGIN } from "./support/origin";

const SCREENS = "e2e/.artifacts/screens";

test("sign in by link and land on the page the link promised (subrequest/foo)", async ({ page }) => {
  const email = address("ada");
  await page.goto("/subrequest/foo");
  // Not signed in: the sign-in form, carrying the action.
  await expect(page).toHaveURL(/\/login\?next=subrequest%2Ffoo$/);
  // Where the link leads, in words: no internal path is shown to people.
  await expect(page.getByText("After signing in, you go on to joining the list foo.")).toBeVisible();
  await expect(page.locator("main")).not.toContainText("subrequest/");
  // One address field and one button; the password is asked for only when chosen.
  await expect(page.getByRole("textbox")).toHaveCount(1);
  await expect(page.getByLabel("Password")).toHaveCount(0);
  await expect(page.getByRole("button")).toHaveText(["E-mail me a sign-in link"]);
  await page.screenshot({ path: `${SCREENS}/login.png`, fullPage: true });

  const mail = await requestLink(page, email, page.url());
  // The check page names the address, keeps the destination for another try, and counts down to the next link.
  await expect(page.locator("[data-asked-address]")).toHaveText(email);
  await expect(page.getByRole("link", { name: "Use another one" })).toHaveAttribute("href", "/login?next=subrequest%2Ffoo");
  await expect(page.getByRole("timer")).toHaveText(/You can ask for a new link in 0:0\d\.|You can ask for a new link now\./);
  await expect(page.getByRole("button", { name: "Send a new link" })).toBeEnabled({ timeout: 5_000 });
  await page.screenshot({ path: `${SCREENS}/check-mail.png`, fullPage: true });
  expect(mail.subject).toContain("sign-in link");
  const link = linkIn(mail);
  expect(link.startsWith(`${ORIGIN}/ticket/`)).toBe(true);

  await page.goto(link);
  // The browser that asked typed the address: it sees it in full, as one piece that does not wrap.
  await expect(page.getByRole("heading", { name: `Continue as ${email}`, exact: true })).toBeVisible();
  await expect(page.getByRole("heading").locator(".address")).toHaveAttribute("title", email);
  await page.screenshot({ path: `${SCREENS}/ticket-confirm.png`, fullPage: true });
  await page.getByRole("button", { name: /^Continue as/ }).click();

  await expect(page).toHaveURL(/\/subrequest\/foo$/);
  await expect(page.getByRole("heading", { name: "Join the list foo" })).toBeVisible();
  await expect(page.getByText(`signed in as ${email}`, { exact: false })).toBeVisible();
  await page.getByRole("button", { name: "Request subscription" }).click();
  await expect(page.locator("[data-subscription-state=pending]")).toBeVisible();
  await page.screenshot({ path: `${SCREENS}/subrequest.png`, fullPage: true });

  // The session is a real next-auth database session.
  const session = await (await page.request.get("/api/auth/session")).json();
  expect(session.user.email).toBe(email);
});

test("the check page claims no link when this browser asked for none", async ({ page }) => {
  await page.goto("/login/check");
  await expect(page.getByRole("heading", { name: "No link asked for here" })).toBeVisible();
  await expect(page.getByText("a link is on its way")).toHaveCount(0);
  await page.getByRole("link", { name: "Ask for a sign-in link" }).click();
  await expect(page).toHaveURL(/\/login$/);
});

test("rule \"Nothing is consumed, and no session is created, by GET or HEAD\": a mail scanner's GET and HEAD leave the link usable", async ({ page, playwright }) => {
  const email = address("scanned");
  const link = linkIn(await requestLink(page, email));

  // A scanner: no cookies, no JavaScript, GET and HEAD.
  const scanner = await playwright.request.newContext({ userAgent: "SafeLinks-Scanner/1.0" });
  const get = await scanner.get(link);
  expect(get.status()).toBe(200);
  expect(get.headers()["cache-control"]).toContain("no-store");
  expect(get.headers()["referrer-policy"]).toBe("same-origin");
  expect(get.headers()["set-cookie"] ?? "").not.toContain("authjs.session-token");
  const head = await scanner.head(link);
  expect(head.status()).toBe(200);
  await scanner.dispose();

  await page.goto(link);
  await page.getByRole("button", { name: /^Continue as/ }).click();
  await expect(page).toHaveURL(/\/account$/);
  // The history shows the scanner's looks, and the use.
  const history = page.locator("[data-ticket-status=closed]").first();
  // The asker's own look before pressing the button is folded into the use.
  await expect(history).not.toContainText("Opened without signing in");
  // A header no parser places is "an unknown browser": what a client sends there is never shown to the person.
  await expect(history).toContainText("Opened in another browser (a mail scanner, or your other device) · ");
  await expect(history).toContainText("an unknown browser");
  await expect(history).not.toContainText("SafeLinks-Scanner");
  await expect(history).toContainText("Used to sign in");
  await page.screenshot({ path: `${SCREENS}/account.png`, fullPage: true });
});

test("a used link says when and from where it was used, and offers a new one", async ({ page, browser }) => {
  const email = address("reuse");
  const link = linkIn(await requestLink(page, email));
  await page.goto(link);
  await page.getByRole("button", { name: /^Continue as/ }).click();
  await expect(page).toHaveURL(/\/account$/);

  const other = await browser.newPage();
  await other.goto(link);
  await expect(other.getByRole("heading", { name: "This link was already used" })).toBeVisible();
  await expect(other.getByText(/It was used on .* UTC from 127\.0\.0\.1/)).toBeVisible();
  // Not the browser that asked: the address masked, and a new link only for the address typed in full.
  await expect(other.locator("main")).not.toContainText(email);
  await expect(other.getByLabel("Your e-mail address")).toBeVisible();
  await expect(other.getByRole("button", { name: "Send a new link to this device" })).toBeVisible();
  await shootWidths(other, "ticket-used-elsewhere");
  // Nobody was signed in by opening it.
  expect((await (await other.request.get("/api/auth/session")).json()) ?? null).toBeNull();
  await other.close();
});

test("an expired link offers a new one that keeps the action and works; the button stays, held by a countdown", async ({ page }) => {
  const email = address("late");
  const first = await requestLink(page, email, "/login?next=subrequest/bar");
  expireTickets(email);

  await page.goto(linkIn(first));
  await expect(page.getByRole("heading", { name: "This link has expired" })).toBeVisible();
  // The browser that asked sees its address in full.
  await expect(page.locator("main")).toContainText(`We can send a new one to ${email}`);
  const again = page.getByRole("button", { name: "Send me a new link" });
  // LOGIN_MIN_INTERVAL_SECONDS (2 s in the e2e configuration) applies to new links too: counted down, then the button works.
  await expect(page.getByRole("timer")).toHaveText(/^You can ask for a new link (in 0:0\d|now)\.$/);
  await expect(again).toBeEnabled({ timeout: 5_000 });
  await expect(page.getByRole("timer")).toHaveText("You can ask for a new link now.");
  await shootWidths(page, "ticket-expired");
  const since = Date.now();
  await again.click();
  await expect(page.getByText("A new link is on its way. Use the link in the newest mail.")).toBeVisible();
  // The button stays, held until another link may be asked for.
  await expect(again).toBeDisabled();
  await expect(page.getByRole("timer")).toHaveText(/^You can ask for a new link in 0:0\d\.$/);
  await shootWidths(page, "ticket-expired-sent");
  await expect(again).toBeEnabled({ timeout: 5_000 });

  const fresh = await waitForMail(email, since);
  expect(linkIn(fresh)).not.toBe(linkIn(first));
  await page.goto(linkIn(fresh));
  await page.getByRole("button", { name: /^Continue as/ }).click();
  await expect(page).toHaveURL(/\/subrequest\/bar$/);

  // Used now, opened again where it was asked for: it says so, and offers a new link without implying this one works.
  await page.goto(linkIn(fresh));
  await expect(page.getByRole("heading", { name: "This link was already used" })).toBeVisible();
  await expect(page.locator("main")).not.toContainText(/resend|check your mail/i);
  await expect(page.getByRole("button", { name: "Send me a new link" })).toBeVisible();
});

test("a newer link supersedes the older one", async ({ page }) => {
  const email = address("twice");
  const first = await requestLink(page, email);
  // LOGIN_MIN_INTERVAL_SECONDS is short in the e2e configuration.
  await page.waitForTimeout(2_100);
  const second = await requestLink(page, email);
  await page.goto(linkIn(first));
  await expect(page.getByRole("heading", { name: "A newer link was sent" })).toBeVisible();
  await page.screenshot({ path: `${SCREENS}/ticket-superseded.png`, fullPage: true });
  await page.goto(linkIn(second));
  await expect(page.getByRole("button", { name: /^Continue as/ })).toBeVisible();
});

test("an unknown or malformed link gets the generic page", async ({ page }) => {
  for (const id of ["A".repeat(43), "not-a-ticket", "%2F%2Fevil.example"]) {
    await page.goto(`/ticket/${id}`);
    await expect(page.getByRole("heading", { name: "This link is not valid" })).toBeVisible();
  }
  await page.screenshot({ path: `${SCREENS}/ticket-unknown.png`, fullPage: true });
});

test("sign in with the typed code in six boxes: typing moves on and sends at the sixth digit, a pasted code fills them all", async ({ page }) => {
  const email = address("code");
  const mail = await requestLink(page, email);
  const code = codeIn(mail);
  const wrong = code === "000000" ? "111111" : "000000";
  const boxes = page.getByRole("group", { name: "6-digit code" }).getByRole("textbox");
  await expect(boxes).toHaveCount(6);
  // Typed digit by digit: each moves to the next box, the sixth sends the form.
  await boxes.first().click();
  await page.keyboard.type(wrong);
  await expect(page.getByText("That code is not right. 4 attempts left.")).toBeVisible();
  await shootWidths(page, "code-wrong");
  // Pasted as the mail prints it ("564-213"): all six filled, sent at once.
  await boxes.first().evaluate((box, text) => {
    const data = new DataTransfer();
    data.setData("text", text);
    box.dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }));
  }, `${code.slice(0, 3)}-${code.slice(3)}`);
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByText(`Signed in as ${email}`)).toBeVisible();
  // The code spent the ticket: the link no longer works.
  await page.goto(linkIn(mail));
  await expect(page.getByRole("heading", { name: "This link was already used" })).toBeVisible();
});

test("the code stops working after five wrong attempts", async ({ page }) => {
  const email = address("guess");
  const code = codeIn(await requestLink(page, email));
  const wrong = code === "000000" ? "111111" : "000000";
  for (let i = 0; i < 5; i++) {
    await page.getByLabel("Code from the mail").fill(wrong);
    await page.getByRole("button", { name: "Sign in with the code" }).click();
    await expect(page.locator("#code-error")).toBeVisible();
  }
  await expect(page.getByText("Too many wrong codes")).toBeVisible();
  await page.getByLabel("Code from the mail").fill(code);
  await page.getByRole("button", { name: "Sign in with the code" }).click();
  await expect(page.getByText("Too many wrong codes")).toBeVisible();
  await expect(page).toHaveURL(/\/login\/check$/);
});

test("the header says who is signed in, on every page; sign out from it ends the session for good and says so", async ({ page }) => {
  const header = page.getByRole("banner");
  await page.goto("/");
  await expect(header.getByRole("link", { name: "Sign in" })).toBeVisible();
  const email = address("bye");
  await page.goto(linkIn(await requestLink(page, email)));
  await page.getByRole("button", { name: /^Continue as/ }).click();
  await expect(page).toHaveURL(/\/account$/);
  const cookie = (await page.context().cookies()).find((c) => c.name === "authjs.session-token");
  expect(cookie).toMatchObject({ httpOnly: true, sameSite: "Lax" });
  await page.goto("/subrequest/foo");
  await expect(header.locator("[data-header-email]")).toHaveText(email);
  await expect(header.getByRole("link", { name: "Account" })).toBeVisible();
  // Not an administrator: no way into the console.
  await expect(header.getByRole("link", { name: "Admin" })).toHaveCount(0);
  await expect(header.getByRole("link", { name: "Sign in" })).toHaveCount(0);

  await header.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login\?signed-out=1$/);
  await expect(page.getByRole("status").filter({ hasText: "You are signed out." })).toBeVisible();
  await expect(header.getByRole("link", { name: "Sign in" })).toBeVisible();
  // The old cookie, replayed, opens nothing: the row is gone.
  await page.context().addCookies([{ ...cookie!, expires: -1 }]);
  await page.goto("/account");
  await expect(page).toHaveURL(/\/login\?next=account$/);
});

test("rule \"Links are built from the configured public URL, never from the request's Host or X-Forwarded-* headers\": links are built from APP_URL even when the request claims another host", async ({ browser }) => {
  const context = await browser.newContext({ extraHTTPHeaders: { "X-Forwarded-Host": "evil.example", "X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.66" } });
  const page = await context.newPage();
  const email = address("poison");
  const mail = await requestLink(page, email);
  expect(linkIn(mail).startsWith(`${ORIGIN}/ticket/`)).toBe(true);
  expect(mail.raw).not.toContain("evil.example");
  // X-Forwarded-For is not trusted (TRUST_PROXY is off): the mail names the real peer.
  expect(mail.text).not.toContain("203.0.113.66");
  await context.close();
});

test("the answer is the same for an address with an account and one without", async ({ page }) => {
  const known = address("known");
  await page.goto(linkIn(await requestLink(page, known)));
  await page.getByRole("button", { name: /^Continue as/ }).click();
  await expect(page).toHaveURL(/\/account$/);
  await page.getByRole("button", { name: "Sign out" }).click();

  const answers: string[] = [];
  for (const email of [known, address("unknown")]) {
    await page.waitForTimeout(2_100);
    await page.goto("/login");
    await page.getByLabel("E-mail address").fill(email);
    await page.getByRole("button", { name: "E-mail me a sign-in link" }).click();
    await expect(page).toHaveURL(/\/login\/check$/);
    // Every request shows a number of its own (for another device), known address or not,
    // and the address the person typed; nothing else may differ.
    await expect(page.locator("[data-asked-address]")).toHaveText(email);
    answers.push((await mainTextWithoutNumber(page)).replace(email, "<address>"));
  }
  expect(answers[0]).toBe(answers[1]);
});

test("rule \"Stored actions are relative paths from a registry\": open-redirect payloads in ?next= are dropped, the person lands on their account", async ({ page }) => {
  for (const payload of ["//evil.example", "https://evil.example/", "/\\evil.example", "%2F%2Fevil.example", "javascript:alert(1)"]) {
    const email = address("redirect");
    await page.context().clearCookies();
    const mail = await requestLink(page, email, `/login?next=${encodeURIComponent(payload)}`);
    await page.goto(linkIn(mail));
    await page.getByRole("button", { name: /^Continue as/ }).click();
    await expect(page).toHaveURL(`${ORIGIN}/account`);
  }
});

test("rule \"Sessions: new id at every sign-in\": a session id planted before sign-in is not kept (fixation)", async ({ page }) => {
  const planted = "planted-by-an-attacker-0000000000000000000";
  await page.context().addCookies([{ name: "authjs.session-token", value: planted, url: ORIGIN }]);
  await page.goto(linkIn(await requestLink(page, address("fixation"))));
  await page.getByRole("button", { name: /^Continue as/ }).click();
  await expect(page).toHaveURL(/\/account$/);
  const cookie = (await page.context().cookies()).find((c) => c.name === "authjs.session-token");
  expect(cookie?.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
  expect(cookie?.value).not.toBe(planted);
});
