// The attack suite against the running app (the production build, real mail).
// Each test is named after the rule in docs/design.md ("Security rules") that
// it proves. Related flows live beside their features:
// e2e/sign-in.spec.ts (scanners' GET/HEAD, Host poisoning, open redirects,
// session fixation), tests/attacks (fuzzing the API), tests/db (exactly-once).
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

import { type Page, type Response, expect, test } from "@playwright/test";
import Database from "better-sqlite3";

import { mainTextWithoutNumber } from "./support/approval";
import { allMail, linkIn } from "./support/mail";
import { address, requestLink, signInByLink } from "./support/sign-in";
import { shootWidths } from "./support/screens";
import { ORIGIN } from "./support/origin";

/** Forgets this machine's count of unknown links (the guessing limit), so tests after this one start afresh. */
function forgetGuesses() {
  const db = new Database("data/e2e/app.db");
  try {
    db.prepare(`DELETE FROM "rate_limit_buckets" WHERE "key" LIKE 'ticket:unknown-ip:%'`).run();
  } finally {
    db.close();
  }
}

/**
 * Another site: a page on another origin (127.0.0.1, not localhost) that
 * carries a copy of one of our forms — hidden fields included, as an attacker
 * would scrape them — pointed at our URL, and submits it. The browser then
 * sends the POST with that site's Origin, as it would for a real attack.
 */
async function submitFromEvilSite(page: Page, targetPath: string, fill: Record<string, string> = {}) {
  await page.goto(targetPath);
  const form = await page.locator("form").first().evaluate((element) => element.outerHTML);
  const target = new URL(targetPath, ORIGIN).toString();
  const html = `<!doctype html><html><body>${form.replace(/<form\b[^>]*>/, `<form id="attack" method="POST" enctype="multipart/form-data" action="${target}">`)}
<script>
  const fill = ${JSON.stringify(fill)};
  for (const [name, value] of Object.entries(fill)) document.querySelector('[name="' + name + '"]').value = value;
  document.getElementById("attack").submit();
</script></body></html>`;
  const server = createServer((_req, res) => res.writeHead(200, { "Content-Type": "text/html" }).end(html));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    const evil = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    const [response] = await Promise.all([page.waitForResponse((r) => r.request().method() === "POST" && r.url() === target), page.goto(evil)]);
    expect(response.request().headers().origin ?? (await response.request().headerValue("origin"))).toBe(evil.slice(0, -1));
    return response;
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}


const shoot = shootWidths;

test('rule "Cross-site requests change nothing": a cross-site POST of the sign-in form gets the styled 403 page with a way back, and sends no mail', async ({ page }) => {
  const email = address("csrf-login");
  const response = await submitFromEvilSite(page, "/login", { email });
  expect(response.status()).toBe(403);
  expect(response.headers()["content-type"]).toBe("text/html; charset=utf-8");
  // The browser shows our page, not a line of text: a heading, what happened, and a link back to the site.
  await expect(page).toHaveTitle("This form came from another site · Ticketgate");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("This form came from another site");
  await expect(page.locator("[data-refused='403']")).toContainText("Nothing was changed.");
  const back = page.getByRole("link", { name: "Go to Ticketgate" });
  await expect(back).toHaveAttribute("href", `${ORIGIN}/`);
  await shoot(page, "refused-403");
  await back.click();
  await expect(page).toHaveURL(`${ORIGIN}/`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Sign in without a password");
  await page.waitForTimeout(2_000);
  expect(allMail().filter((mail) => mail.to.includes(email))).toEqual([]);
  expect((await page.context().cookies()).find((cookie) => cookie.name === "tg_browser")).toBeUndefined();
});

test("Nothing is consumed, and no session is created, but by a same-origin POST: a cross-site confirm spends nothing", async ({ page }) => {
  const link = linkIn(await requestLink(page, address("csrf-confirm")));
  expect((await submitFromEvilSite(page, link)).status()).toBe(403);
  expect((await page.context().cookies()).find((cookie) => cookie.name === "authjs.session-token")).toBeUndefined();

  // The ticket is still good for the person, from this site.
  await page.goto(link);
  await page.getByRole("button", { name: /^Continue as/ }).click();
  await expect(page).toHaveURL(/\/account$/);
});

test("Sessions: pages that show a ticket send Cache-Control: no-store and a Referrer-Policy that keeps the ticket from other sites", async ({ page, request }) => {
  const link = linkIn(await requestLink(page, address("headers")));
  for (const response of [await request.get(link), await request.head(link), await request.get("/ticket/not-a-ticket")]) {
    expect(response.headers()["cache-control"]).toContain("no-store");
    // same-origin: other sites get no Referer at all; our own forms still get an Origin.
    expect(response.headers()["referrer-policy"]).toBe("same-origin");
  }
});

/** Status, headers and cookies of an answer, minus what differs on every request by nature (the date, cookie values and expiry, the script nonce). */
function shapeOf(response: Response) {
  const headers = response.headers();
  delete headers.date;
  if (headers["content-security-policy"]) headers["content-security-policy"] = headers["content-security-policy"].replace(/'nonce-[^']*'/, "'nonce-…'");
  const cookies = (headers["set-cookie"] ?? "").split("\n").map((cookie) => cookie.replace(/=[^;]*/, "=…").replace(/expires=[^;]*/i, "expires=…"));
  delete headers["set-cookie"];
  return { status: response.status(), headers, cookies };
}

/** Sends one address through a form and records the answer: its shape, the page it leaves, and the time it took. */
async function answerFor(page: Page, path: string, button: string, email: string) {
  await page.goto(path);
  await page.getByLabel("E-mail address").fill(email);
  const started = Date.now();
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === "POST" && new URL(r.url()).pathname === path),
    page.getByRole("button", { name: button }).click(),
  ]);
  // The server's time to answer, as the browser saw it (request sent to first byte), not the page's
  // rendering after it: the rule is about what the server does, and rendering only adds noise.
  const timing = response.request().timing();
  const ms = timing.responseStart >= 0 ? timing.responseStart : Date.now() - started;
  // The sign-in form's answer is a redirect the client router follows after the POST's response;
  // wait for an answer on screen (the same one for every address) rather than for a quiet network.
  await expect(page.getByRole("heading", { name: "Check your mail" }).or(page.locator("[data-answer=sent]"))).toBeVisible();
  // Every request shows a number of its own (for another device), known address or not; the
  // check page names the address that was typed. Nothing else may differ.
  return { shape: shapeOf(response), url: new URL(page.url()).pathname, text: (await mainTextWithoutNumber(page)).replace(email, "<address>"), ms };
}

for (const [flow, path, button] of [
  ["sign-in", "/login", "E-mail me a sign-in link"],
  ["password reset", "/reset", "Mail me a reset link"],
  ["sign-up", "/signup", "Mail me a confirmation link"],
] as const) {
  test(`Same answer, status and headers for known and unknown addresses (${flow})`, async ({ page }) => {
    // An account exists for `known` once it has signed in.
    const known = address(`enum-known-${path.slice(1)}`);
    await page.goto(linkIn(await requestLink(page, known)));
    await page.getByRole("button", { name: /^Continue as/ }).click();
    await expect(page).toHaveURL(/\/account$/);
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForTimeout(2_100);

    const answers = [await answerFor(page, path, button, known), await answerFor(page, path, button, address(`enum-unknown-${path.slice(1)}`))];
    expect(answers[0]!.shape).toEqual(answers[1]!.shape);
    expect(answers[0]!.url).toBe(answers[1]!.url);
    expect(answers[0]!.text).toBe(answers[1]!.text);
    // Both answers wait for the same floor; a bound far below a mail round trip or an argon2 hash, not a speed test.
    expect(Math.abs(answers[0]!.ms - answers[1]!.ms)).toBeLessThan(250);
  });
}

test("E-mail input: exactly one address; lists, arrays, quoted local parts with @, look-alike @ signs and CR/LF are refused by the server", async ({ browser }) => {
  // JavaScript off: the page's own checks cannot run, the form posts whatever it holds, and the server alone decides.
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  const since = Date.now();
  const attacks: [string, string[]][] = [
    ["list", ["victim@example.com, attacker@example.com"]],
    ["list with ;", ["victim@example.com;attacker@example.com"]],
    ["header injection", ["victim@example.com\r\nBcc: attacker@example.com"]],
    ["quoted local part with @", ['"attacker@evil.example"@example.com']],
    ["look-alike @", ["victim\uff20example.com"]],
    ["display name", ["Victim <attacker@example.com>"]],
    ["IP literal", ["victim@[127.0.0.1]"]],
    ["NUL", ["victim@example.com\u0000attacker@example.com"]],
    ["array", ["victim@example.com", "attacker@example.com"]],
  ];
  // Control: without JavaScript the form does reach the server, and a plain address goes through.
  await page.goto("/login");
  await page.getByLabel("E-mail address").fill(address("no-js"));
  await page.getByRole("button", { name: "E-mail me a sign-in link" }).click();
  await expect(page.getByRole("heading", { name: "Check your mail" })).toBeVisible();

  for (const [name, values] of attacks) {
    await page.goto("/login");
    // Replace the field with raw text areas (they keep CR/LF and anything else), one per value.
    await page.evaluate((vals) => {
      const input = document.querySelector('input[name="email"]')!;
      for (const value of vals) {
        const area = document.createElement("textarea");
        area.name = "email";
        area.value = value;
        input.before(area);
      }
      input.remove();
    }, values);
    await page.getByRole("button", { name: "E-mail me a sign-in link" }).click();
    await expect(page.getByRole("alert"), name).toBeVisible();
    await expect(page, name).toHaveURL(/\/login$/);
  }
  // Nothing was sent to anyone named in any of them.
  await page.waitForTimeout(2_000);
  expect(allMail().filter((mail) => Date.parse(mail.receivedAt) >= since && mail.to.some((to) => /victim|attacker/.test(to)))).toEqual([]);
  await context.close();
});

test("Bad input gets a clear 4xx, never a 500 and never a half-written row: 2,000 malformed POSTs to every page", async ({ request }) => {
  test.setTimeout(180_000);
  const db = new Database("data/e2e/app.db", { readonly: true });
  const count = (table: string) => (db.prepare(`SELECT COUNT(*) AS n FROM "${table}"`).get() as { n: number }).n;
  const before = { tickets: count("tickets"), mail: count("mail_messages"), sessions: count("sessions"), users: count("users") };
  let seed = 7;
  const random = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
  const paths = ["/login", "/login/check", "/ticket/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "/ticket/x", "/account", "/subrequest/foo", "/", "/api/auth/signout", "/api/health"];
  const types = ["multipart/form-data; boundary=x", "multipart/form-data", "application/x-www-form-urlencoded", "text/plain;charset=UTF-8", "application/json", "", "multipart/form-data; boundary="];
  const bodies = [
    () => "--x\r\nContent-Disposition: form-data; name=\"email\"\r\n\r\na@b.c\r\n--x--",
    () => "--x\r\nContent-Disposition: form-data; name=\"email\"\r\n\r\na@b.c",
    () => "garbage",
    () => "--x\r\n\r\n\r\n--x--",
    () => Buffer.from(Array.from({ length: 200 }, () => random(256))).toString("latin1"),
    () => '["$K1",{"a":1}]',
    () => "[".repeat(2_000),
    () => "email=" + "a".repeat(random(5_000)),
    () => "",
  ];
  const failures: string[] = [];
  for (let i = 0; i < 2_000; i++) {
    const path = paths[random(paths.length)]!;
    const type = types[random(types.length)]!;
    const headers: Record<string, string> = { Origin: ORIGIN };
    if (type) headers["Content-Type"] = type;
    if (random(3) === 0) headers["Next-Action"] = random(2) ? "0".repeat(42) : "x";
    const response = await request.post(path, { headers, data: bodies[random(bodies.length)]!(), maxRedirects: 0, failOnStatusCode: false });
    if (response.status() >= 500) failures.push(`${response.status()} ${path} ${type} ${JSON.stringify(headers["Next-Action"] ?? "")}`);
  }
  forgetGuesses();
  expect([...new Set(failures)]).toEqual([]);
  expect({ tickets: count("tickets"), mail: count("mail_messages"), sessions: count("sessions"), users: count("users") }).toEqual(before);
  db.close();
});

test("Rate limits per client IP: ticket guessing is throttled, known links included, until the hour is over", async ({ page, request }) => {
  forgetGuesses();
  try {
    const link = linkIn(await requestLink(page, address("guess")));
    // 50 guesses (the e2e server's TICKET_GUESSES_PER_IP_PER_HOUR): each a well-formed ticket that does not exist.
    for (let i = 0; i < 50; i++) {
      const guess = `/ticket/${Buffer.from(`guess-${i}-${Date.now()}`.padEnd(32, "x")).toString("base64url").slice(0, 43)}`;
      await request.get(guess);
    }
    // Now even the real link is not looked up: a guesser learns nothing from the difference.
    await page.goto(link);
    await expect(page.getByRole("heading", { name: "Too many links that do not work" })).toBeVisible();
    await expect(page.getByText(/links are paused here for (\d+ minutes?|an hour)/)).toBeVisible();
    await expect(page.getByRole("button", { name: /^Continue as/ })).toHaveCount(0);
  } finally {
    forgetGuesses();
  }
  // Once the count is gone, the same link works: throttling spent nothing.
  const mails = allMail().filter((mail) => /guess-/.test(mail.to.join()));
  await page.goto(linkIn(mails.at(-1)!));
  await page.getByRole("button", { name: /^Continue as/ }).click();
  await expect(page).toHaveURL(/\/account$/);
});

/** Status, <title> and the main content (React's empty Suspense markers aside): what a visitor can tell pages apart by. */
async function pageAt(page: Page, path: string) {
  const response = await page.goto(path);
  const main = (await page.locator("main").innerHTML()).replace(/<!--\/?\$-->/g, "");
  return { status: response?.status(), title: await page.title(), main };
}

test("the console does not exist for a signed-in non-administrator: /admin and /admin/tickets answer with the site's 404 page", async ({ page }) => {
  await signInByLink(page, address("nosy"));
  const unknown = await pageAt(page, "/no-such-page");
  expect(unknown.status).toBe(404);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("This page does not exist");
  // A way home.
  await expect(page.locator("main").getByRole("link", { name: "Go to the home page" })).toHaveAttribute("href", "/");
  await shoot(page, "not-found-404");
  for (const path of ["/admin", "/admin/tickets"]) {
    const admin = await pageAt(page, path);
    expect({ status: admin.status, main: admin.main }, path).toEqual({ status: unknown.status, main: unknown.main });
    await expect(page.getByRole("navigation", { name: "Administration" })).toHaveCount(0);
  }
});

test("the console does not exist for a signed-in non-administrator: /admin and /admin/tickets carry the 404 page's <title>", async ({ page }) => {
  await signInByLink(page, address("nosy-title"));
  const unknown = await pageAt(page, "/no-such-page");
  expect(unknown.title).toBe("Page not found · Ticketgate");
  for (const path of ["/admin", "/admin/tickets"]) expect((await pageAt(page, path)).title, path).toBe(unknown.title);
});
