// Raw form posts to every ticket form, shaped as a browser without
// JavaScript, a mail scanner or a forged page would send them: the form's own
// hidden `$ACTION_…` fields and its `ticket` field, as multipart, with no
// Origin, with `Origin: null`, and with `Origin: null` plus
// `Sec-Fetch-Site: same-origin`. One such post once sent React's server
// render into an endless loop that froze the whole process
// (docs/decisions/0014-forms-that-never-break.md); now each is answered at
// once, never with a 5xx, and the server keeps answering.
import { type APIRequestContext, type Page, expect, test } from "@playwright/test";

import { linkIn, waitForMail } from "./support/mail";
import { address, requestLink, signInByLink } from "./support/sign-in";

// The forms are read as a browser without JavaScript gets them.
test.use({ javaScriptEnabled: false });

const RULE = 'rule "Every form is a plain HTML form first"';

const SHAPES = [
  ["no Origin", {}],
  ["Origin: null", { Origin: "null" }],
  ["Origin: null with Sec-Fetch-Site: same-origin", { Origin: "null", "Sec-Fetch-Site": "same-origin" }],
] as const;
type Shape = (typeof SHAPES)[number];

/** What the ticket page's form posts without JavaScript (the server action's hidden fields and `ticket`), plus `extra`. */
async function fieldsOf(page: Page, link: string, extra: Record<string, string> = {}): Promise<Record<string, string>> {
  await page.goto(link);
  const fields = await page.locator("main form").evaluate((form) => Object.fromEntries(new FormData(form as HTMLFormElement) as unknown as Iterable<[string, string]>));
  expect(Object.keys(fields).filter((name) => name.startsWith("$ACTION_")).length).toBeGreaterThan(0);
  expect(fields.ticket).toBe(link.split("/ticket/")[1]);
  return { ...fields, ...extra };
}

/**
 * Posts `fields` to the ticket page as multipart with `shape`'s headers. The
 * answer must come within 5 s and not be a 5xx, and /api/health must answer
 * 200 within 2 s afterwards: a stalled render would miss both.
 */
async function post(request: APIRequestContext, link: string, fields: Record<string, string>, [name, headers]: Shape) {
  const response = await request.post(link, { multipart: fields, headers, maxRedirects: 0, timeout: 5_000 });
  expect(response.status(), name).toBeLessThan(500);
  const health = await request.get("/api/health", { timeout: 2_000 });
  expect(health.status(), `health after ${name}`).toBe(200);
  return response;
}

/** The two shapes a browser never sends for our own page: no Origin (the action refuses), a bare `Origin: null` (server.ts refuses). */
async function refusedShapes(request: APIRequestContext, link: string, fields: Record<string, string>) {
  const originless = await post(request, link, fields, SHAPES[0]);
  expect(originless.status()).toBe(200);
  expect(await originless.text()).toMatch(/This button only works on this site|This form can only be sent from this site/);
  const bareNull = await post(request, link, fields, SHAPES[1]);
  expect(bareNull.status()).toBe(403);
}

/** A ticket form to post to: its page, the fields to post, and what its page shows while the ticket is unspent. */
interface TicketForm {
  link: string;
  fields: Record<string, string>;
  unspent: RegExp;
}

async function confirmForm(page: Page, email = address("stall-confirm")): Promise<TicketForm> {
  const link = linkIn(await requestLink(page, email));
  return { link, fields: await fieldsOf(page, link), unspent: /^Continue as / };
}

async function freshLinkForm(page: Page): Promise<TicketForm> {
  const link = linkIn(await requestLink(page, address("stall-fresh")));
  await page.goto(link);
  await page.getByRole("button", { name: /^Continue as/ }).click();
  await expect(page).toHaveURL(/\/account$/);
  await page.context().clearCookies();
  return { link, fields: await fieldsOf(page, link), unspent: /^This link was already used$/ };
}

/** The reset link's form, posted with a typo: even an accepted post spends nothing. */
async function resetForm(page: Page): Promise<TicketForm> {
  const email = address("stall-reset");
  await signInByLink(page, email);
  await page.context().clearCookies();
  await page.goto("/reset");
  await page.getByLabel("E-mail address").fill(email);
  const since = Date.now();
  await page.getByRole("button", { name: "Mail me a reset link" }).click();
  const link = linkIn(await waitForMail(email, since));
  return { link, fields: await fieldsOf(page, link, { password: "a brand new password", confirm: "a brand new passwrod" }), unspent: /^Choose a new password$/ };
}

async function signUpForm(page: Page): Promise<TicketForm> {
  const email = address("stall-signup");
  await page.goto("/signup");
  await page.getByLabel("E-mail address").fill(email);
  const since = Date.now();
  await page.getByRole("button", { name: "Mail me a confirmation link" }).click();
  const link = linkIn(await waitForMail(email, since));
  return { link, fields: await fieldsOf(page, link, { password: "my very own password", confirm: "my very own password" }), unspent: /^Create your account$/ };
}

async function emailChangeForm(page: Page, side: "confirm" | "cancel"): Promise<TicketForm> {
  const oldEmail = address(`stall-${side}-old`);
  const newEmail = address(`stall-${side}-new`);
  await signInByLink(page, oldEmail);
  await page.getByLabel("New e-mail address").fill(newEmail);
  const since = Date.now();
  await page.getByRole("button", { name: "Change my address" }).click();
  const link = linkIn(await waitForMail(side === "confirm" ? newEmail : oldEmail, since));
  // Signed out, but still the browser that asked (tg_browser): the confirm link shows it its form.
  await page.context().clearCookies({ name: "authjs.session-token" });
  return { link, fields: await fieldsOf(page, link), unspent: side === "confirm" ? /^Confirm your new address$/ : /^Cancel the address change$/ };
}

const FORMS: readonly (readonly [string, (page: Page) => Promise<TicketForm>])[] = [
  ["the ticket confirm form", (page) => confirmForm(page)],
  ['"Send me a new link" on a used link', freshLinkForm],
  ["the password reset form with a typo", resetForm],
  ["the sign-up confirmation form", signUpForm],
  ["the e-mail change confirm form", (page) => emailChangeForm(page, "confirm")],
  ["the e-mail change cancel form", (page) => emailChangeForm(page, "cancel")],
];

for (const [name, make] of FORMS) {
  test(`${RULE}: raw posts of ${name} without Origin and with Origin: null answer within 5 s, never stall the server, and change nothing`, async ({ page, request }) => {
    const form = await make(page);
    await refusedShapes(request, form.link, form.fields);
    // Refused twice: the link's page is as it was.
    await page.goto(form.link);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(form.unspent);
  });
}

test(`${RULE}: a confirm posted without Origin spends nothing: the person's own press still signs in`, async ({ page, request }) => {
  const email = address("stall-press");
  const form = await confirmForm(page, email);
  await refusedShapes(request, form.link, form.fields);
  await page.goto(form.link);
  await page.getByRole("button", { name: /^Continue as/ }).click();
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByText(`Signed in as ${email}`)).toBeVisible();
});

test(`${RULE}: raw posts of every ticket form with Origin: null and Sec-Fetch-Site: same-origin (a browser on a page that hides its origin) are answered within 5 s, never with a 5xx`, async ({ page, request }) => {
  for (const [name, make] of FORMS) {
    const form = await make(page);
    const response = await post(request, form.link, form.fields, SHAPES[2]);
    expect(response.status(), name).toBeLessThan(500);
    await page.context().clearCookies();
  }
});
