// Links that work only for the person (docs/design.md, "Mail scanners
// click"; docs/decisions/0015-links-work-only-for-the-person.md). For each
// kind of ticket a person asks for: the browser that asked uses it with one
// press; another device gets it only with the number the asking tab shows
// (approving that tab, or moving the link to itself) or with a fresh link
// for the full address; and a third browser that clicks everything — a mail
// scanner — changes nothing and obtains nothing.
import { type BrowserContextOptions, type Page, test as base, expect } from "@playwright/test";

import { ASKER_UA, approvalNumberOn, expectNoSession, openElsewhere as openLinkElsewhere, typeNumber } from "./support/approval";
import { type CaughtMail, codeIn, linkIn, undoCodeIn, waitForMail } from "./support/mail";
import { clickEverything } from "./support/scanner";
import { address, requestLink, signInByLink } from "./support/sign-in";
import { stateOf } from "./support/state";
import { shootWidths } from "./support/screens";

const RULE = 'rule "Mail scanners click"';
/** How many times over the scanner opens a link and presses everything. */
const ROUNDS = 2;
/** LOGIN_MIN_INTERVAL_SECONDS and ACCOUNT_MAIL_MIN_INTERVAL_SECONDS are 2 s in scripts/e2e-server.sh. */
const MAIL_INTERVAL_MS = 2_100;

// Each test asks with addresses of its own: they run side by side.
base.describe.configure({ mode: "parallel" });

/** Every browser a test opens is its own context (its own cookies), closed after the test. */
const test = base.extend<{ browse: (options?: BrowserContextOptions) => Promise<Page> }>({
  // `provide` is Playwright's `use` (the name trips the React hooks lint).
  browse: async ({ browser }, provide) => {
    const opened: Awaited<ReturnType<typeof browser.newContext>>[] = [];
    await provide(async (options = {}) => {
      const context = await browser.newContext(options);
      opened.push(context);
      return context.newPage();
    });
    for (const context of opened) await context.close();
  },
});

/** A ticket the asking browser asked for, and the number that tab shows. */
interface Asked {
  /** The address the link went to. */
  email: string;
  mail: CaughtMail;
  link: string;
  number: string;
  /** When it was asked (ms), for the 2 s between mails to one address. */
  at: number;
  /** Addresses whose accounts, sessions, mail and tickets must not change when another browser only presses. */
  watch: string[];
}

interface Kind {
  title: string;
  approve: string;
  here: string;
  /** The other device may have a fresh link of its own mailed (not for an e-mail change). */
  canLinkHere: boolean;
  /** Asks for the link in `page`, the asking browser, and reads the number that tab shows. */
  ask(page: Page, browse: (options?: BrowserContextOptions) => Promise<Page>): Promise<Asked>;
  /** On the kind's form (its link in a browser that may use it, or /continue): one press, a form filled first; and where it lands. */
  complete(page: Page, asked: Asked): Promise<void>;
  /** After another device approved: where the asking tab goes (a sign-in lands at once; the rest open their form on /continue). */
  continued(page: Page, asked: Asked): Promise<void>;
}

const onContinue = (kind: Pick<Kind, "complete">) => async (page: Page, asked: Asked) => {
  await expect(page).toHaveURL(/\/continue$/, { timeout: 5_000 });
  await kind.complete(page, asked);
};

/** Where the sign-in links here lead: the stored action's page, signed in. */
async function landsOnStoredAction(page: Page) {
  await expect(page).toHaveURL(/\/subrequest\/foo$/, { timeout: 5_000 });
  await expect(page.getByRole("heading", { name: "Join the list foo" })).toBeVisible();
}

const signInLink: Kind = {
  title: "sign-in link",
  approve: "Approve the sign-in on that device",
  here: "Sign in on this device instead",
  canLinkHere: true,
  async ask(page) {
    const email = address("sp-link");
    const mail = await requestLink(page, email, "/login?next=subrequest/foo");
    await expect(page).toHaveURL(/\/login\/check$/);
    return { email, mail, link: linkIn(mail), number: await approvalNumberOn(page), at: Date.now(), watch: [email] };
  },
  async complete(page) {
    await page.getByRole("button", { name: /^Continue as / }).click();
    await landsOnStoredAction(page);
  },
  continued: landsOnStoredAction,
};

/** /reset or /signup: one address in, the "sent" answer with the number. */
async function askByAddress(page: Page, path: "/reset" | "/signup", button: string, email: string): Promise<Omit<Asked, "watch">> {
  await page.goto(path);
  await page.getByLabel("E-mail address").fill(email);
  const since = Date.now();
  await page.getByRole("button", { name: button }).click();
  await expect(page.locator("[data-answer=sent]")).toBeVisible();
  const mail = await waitForMail(email, since);
  return { email, mail, link: linkIn(mail), number: await approvalNumberOn(page), at: since };
}

async function fillPasswords(page: Page, password: string) {
  await page.getByLabel("New password", { exact: true }).fill(password);
  await page.getByLabel("New password, again").fill(password);
}

const passwordReset: Kind = {
  title: "password reset",
  approve: "Approve on that device",
  here: "Continue on this device instead",
  canLinkHere: true,
  async ask(page, browse) {
    // An account to reset, made in a browser of its own.
    const email = address("sp-reset");
    await signInByLink(await browse(), email);
    return { ...(await askByAddress(page, "/reset", "Mail me a reset link", email)), watch: [email] };
  },
  async complete(page, asked) {
    await expect(page.getByRole("heading", { name: "Choose a new password" })).toBeVisible();
    await fillPasswords(page, "a brand new password");
    await page.getByRole("button", { name: "Set the new password" }).click();
    await expect(page).toHaveURL(/\/account\?password=reset$/);
    await expect(page.getByText(`Signed in as ${asked.email}`)).toBeVisible();
  },
  continued: (page, asked) => onContinue(passwordReset)(page, asked),
};

const newAccount: Kind = {
  title: "new account",
  approve: "Approve on that device",
  here: "Continue on this device instead",
  canLinkHere: true,
  async ask(page) {
    const email = address("sp-signup");
    return { ...(await askByAddress(page, "/signup", "Mail me a confirmation link", email)), watch: [email] };
  },
  async complete(page, asked) {
    await expect(page.getByRole("heading", { name: "Create your account" })).toBeVisible();
    await fillPasswords(page, "my very own password");
    await page.getByRole("button", { name: "Create my account" }).click();
    await expect(page).toHaveURL(/\/account\?welcome=1$/);
    await expect(page.getByText(`Signed in as ${asked.email}`)).toBeVisible();
  },
  continued: (page, asked) => onContinue(newAccount)(page, asked),
};

/** Signed in as a fresh address in `page`, asks on /account to move to another; returns both mails. */
async function askEmailChange(page: Page) {
  const oldEmail = address("sp-old");
  const newEmail = address("sp-new");
  await signInByLink(page, oldEmail);
  await page.getByLabel("New e-mail address").fill(newEmail);
  const since = Date.now();
  await page.getByRole("button", { name: "Change my address" }).click();
  await expect(page.locator("[data-pending-email-change]")).toContainText(newEmail);
  return { oldEmail, newEmail, since, toNew: await waitForMail(newEmail, since), toOld: await waitForMail(oldEmail, since) };
}

const emailChangeConfirm: Kind = {
  title: "e-mail change confirmation (new address)",
  approve: "Approve on that device",
  here: "Continue on this device instead",
  canLinkHere: false,
  async ask(page) {
    const { oldEmail, newEmail, since, toNew } = await askEmailChange(page);
    return { email: newEmail, mail: toNew, link: linkIn(toNew), number: await approvalNumberOn(page), at: since, watch: [oldEmail, newEmail] };
  },
  async complete(page) {
    await expect(page.getByRole("heading", { name: "Confirm your new address" })).toBeVisible();
    await page.getByRole("button", { name: "Confirm the new address" }).click();
    await expect(page).toHaveURL(/\/done\/email-changed$/);
  },
  continued: (page, asked) => onContinue(emailChangeConfirm)(page, asked),
};

const KINDS = [signInLink, passwordReset, newAccount, emailChangeConfirm] as const;

/**
 * Every kind meets the scanner and the approval with its own forms. The paths
 * below work one way whatever the kind (the binding, the number, /continue):
 * each runs for the sign-in, which signs in at once, and for one kind that
 * opens its form instead — so the suite stays within CI's time.
 */
const SHARED_PATHS = {
  withoutJavaScript: [signInLink, passwordReset],
  here: [signInLink, newAccount],
  lock: [signInLink, emailChangeConfirm],
} satisfies Record<string, Kind[]>;
const runs = (path: keyof typeof SHARED_PATHS, kind: Kind) => (SHARED_PATHS[path] as Kind[]).includes(kind);

const shoot = shootWidths;

/** Opens the link in a browser that did not ask: the other-device page, naming who asked. */
const openElsewhere = (page: Page, asked: Asked) => openLinkElsewhere(page, asked.link, asked.email);

const wrongOf = (number: string) => String((Number(number) + 1) % 10_000).padStart(4, "0");

/** Three wrong numbers, each answered with what is left; then even the right one is refused, either way. */
async function lockApproval(page: Page, kind: Kind, asked: Asked) {
  // Tabs of this browser opened before the lock still show the number form: the right number is tried there after it.
  const stale = [await page.context().newPage(), await page.context().newPage()];
  for (const tab of stale) await tab.goto(asked.link);
  const wrong = wrongOf(asked.number);
  for (const answer of [
    "That is not the number. 2 tries left.",
    "That is not the number. 1 try left.",
    "That is not the number, and it was the last try: approving from here is locked for this link. The browser that asked can still use it.",
  ]) {
    await typeNumber(page, wrong, kind.approve);
    await expect(page.getByText(answer)).toBeVisible();
  }
  for (const [tab, button] of [
    [stale[0]!, kind.approve],
    [stale[1]!, kind.here],
  ] as const) {
    await typeNumber(tab, asked.number, button);
    await expect(tab.getByText(/^Approving from here is locked for this link after wrong numbers\./)).toBeVisible();
    await tab.close();
  }
  // Looked at afresh, the page no longer asks for a number.
  await page.goto(asked.link);
  await expect(page.getByRole("heading", { name: "This link was asked for on another device" })).toBeVisible();
  await expect(page.getByLabel("The number shown on that device")).toHaveCount(0);
  await expectNoSession(page);
}

async function waitOutMailInterval(page: Page, since: number) {
  const left = since + MAIL_INTERVAL_MS - Date.now();
  if (left > 0) await page.waitForTimeout(left);
}

for (const kind of KINDS) {
  test.describe(kind.title, () => {
    test(`${RULE}: ${kind.title}: a third browser that clicks everything obtains nothing and changes nothing; the browser that asked then uses the link with one press`, async ({ browse }) => {
      const asker = await browse({ userAgent: ASKER_UA });
      const asked = await kind.ask(asker, browse);
      const before = stateOf(asked.watch);

      const scanner = await browse();
      const pressed = await clickEverything(scanner.context(), asked.link, ROUNDS);
      // It did reach the buttons, each of them, every round.
      for (const label of [kind.approve, kind.here, ...(kind.canLinkHere ? ["Send a link to this device"] : [])]) {
        expect(pressed.filter((line) => line.startsWith(`${label} →`)), label).toHaveLength(ROUNDS);
      }
      await expectNoSession(scanner);
      expect(stateOf(asked.watch)).toEqual(before);

      await asker.goto(asked.link);
      await kind.complete(asker, asked);

      // The used link's page offers a new link; the scanner, pressing it, gets none mailed (it has no address to type).
      if (kind === signInLink) {
        const used = stateOf(asked.watch);
        const again = await clickEverything(scanner.context(), asked.link, 1);
        expect(again.filter((line) => line.startsWith("Send a new link to this device →"))).toHaveLength(1);
        await expectNoSession(scanner);
        expect(stateOf(asked.watch)).toEqual(used);
      }
    });

    test(`${RULE}: ${kind.title}: another device types the asking tab's number and approves; it gets no session, and the asking tab goes on by itself`, async ({ browse }) => {
      const asker = await browse({ userAgent: ASKER_UA });
      const asked = await kind.ask(asker, browse);
      const other = await browse();
      await openElsewhere(other, asked);
      if (kind === signInLink) await shoot(other, "other-device-panel");
      if (kind === signInLink) await shoot(asker, "asking-tab-number");
      await typeNumber(other, asked.number, kind.approve);
      await expect(other.getByRole("heading", { name: "Approved" })).toBeVisible();
      if (kind === signInLink) await shoot(other, "approved");
      await kind.continued(asker, asked);
      await expectNoSession(other);
    });

    if (runs("withoutJavaScript", kind)) test(`${RULE}: ${kind.title}: without JavaScript in the asking tab, "I approved it there — continue here" goes on once the other device approved`, async ({ browse }) => {
      const asker = await browse({ userAgent: ASKER_UA, javaScriptEnabled: false });
      const asked = await kind.ask(asker, browse);
      // Pressed too early: not yet, and the number is still there to type.
      await asker.getByRole("button", { name: "I approved it there — continue here" }).click();
      await expect(asker.getByText("Not approved yet. Open the link on your other device and type the number shown here.")).toBeVisible();
      expect(await approvalNumberOn(asker)).toBe(asked.number);
      const other = await browse();
      await openElsewhere(other, asked);
      await typeNumber(other, asked.number, kind.approve);
      await expect(other.getByRole("heading", { name: "Approved" })).toBeVisible();
      await asker.getByRole("button", { name: "I approved it there — continue here" }).click();
      await kind.continued(asker, asked);
      await expectNoSession(other);
    });

    if (runs("here", kind)) test(`${RULE}: ${kind.title}: "${kind.here}" with the asking tab's number, and the other device goes on itself`, async ({ browse }) => {
      const asker = await browse({ userAgent: ASKER_UA });
      const asked = await kind.ask(asker, browse);
      const other = await browse();
      await openElsewhere(other, asked);
      await typeNumber(other, asked.number, kind.here);
      // A sign-in link signs in here at once; the other kinds open their form here, on the link's page.
      if (kind === signInLink) {
        await landsOnStoredAction(other);
      } else {
        await expect(other).toHaveURL(asked.link);
        await kind.complete(other, asked);
      }
    });

    // After the lock the asking browser still goes on: by its one press, and for a sign-in by the typed code.
    for (const way of !runs("lock", kind) ? [] : kind === signInLink ? (["code"] as const) : (["press"] as const)) {
      test(`${RULE}: ${kind.title}: wrong numbers say how many tries are left; after 3 approving from there is locked, even with the right number, and the asking browser still uses the link (${way === "press" ? "its one press" : "the typed code"})`, async ({ browse }) => {
        const asker = await browse({ userAgent: ASKER_UA });
        const asked = await kind.ask(asker, browse);
        const other = await browse();
        await openElsewhere(other, asked);
        await lockApproval(other, kind, asked);
        if (way === "press") {
          await asker.goto(asked.link);
          await kind.complete(asker, asked);
        } else {
          // Still on "check your mail", where the code is typed.
          await asker.getByLabel("Code from the mail").fill(codeIn(asked.mail));
          await asker.getByRole("button", { name: "Sign in with the code" }).click();
          await kind.continued(asker, asked);
        }
      });
    }

    if (kind.canLinkHere) {
      test(`${RULE}: ${kind.title}: the asking tab is gone; "Send a link to this device" with the full address mails a link that works here with one press, and a wrong address is refused and sends nothing`, async ({ browse }) => {
        const asker = await browse({ userAgent: ASKER_UA });
        const asked = await kind.ask(asker, browse);
        await asker.context().close();
        const other = await browse();
        await openElsewhere(other, asked);

        const notTheirs = address("sp-not-the-address");
        const before = stateOf([asked.email, notTheirs]);
        await other.getByLabel("Your e-mail address").fill(notTheirs);
        await other.getByRole("button", { name: "Send a link to this device" }).click();
        await expect(other.getByText("That is not the address this link was sent to.")).toBeVisible();
        expect(stateOf([asked.email, notTheirs])).toEqual(before);

        await waitOutMailInterval(other, asked.at);
        await other.getByLabel("Your e-mail address").fill(asked.email);
        const since = Date.now();
        await other.getByRole("button", { name: "Send a link to this device" }).click();
        // The link this page is about was replaced by the one just asked for here: the page says a link
        // for this device is on its way (not only "a newer link was sent"), names the address typed,
        // and counts down until another may be asked for (2 s here), holding the button meanwhile.
        await expect(other.getByRole("heading", { name: "A link for this device is on its way" })).toBeVisible();
        await expect(other.locator("main")).toContainText(`that works in this browser to ${asked.email}. Open it here; this one no longer works.`);
        const timer = other.getByRole("timer");
        const again = other.getByRole("button", { name: "Send a new link to this device" });
        await expect(timer).toHaveText(/^You can ask for a new link in 0:0[0-2]\.$|^Type the address this link was sent to/);
        // Read together: while time is left, the button is held.
        expect(await other.locator("form[data-fresh-link]").evaluate((form) => Number(form.querySelector<HTMLElement>("[role=timer]")!.dataset.wait) === 0 || form.querySelector("button")!.disabled)).toBe(true);
        await expect(timer).toHaveText("Type the address this link was sent to, and a new link comes for this device.", { timeout: 5_000 });
        await expect(again).toBeEnabled();
        if (kind === signInLink) await shoot(other, "link-here-sent");
        const fresh = linkIn(await waitForMail(asked.email, since));
        expect(fresh).not.toBe(asked.link);
        await other.goto(fresh);
        await kind.complete(other, asked);
      });
    }
  });
}

test.describe("e-mail change undo (old address)", () => {
  /** Asks for a change in `page` and confirms it there: the account has the new address; the undo link is in the old mailbox. */
  async function confirmedChange(page: Page) {
    const change = await askEmailChange(page);
    await page.goto(linkIn(change.toNew));
    await page.getByRole("button", { name: "Confirm the new address" }).click();
    await expect(page).toHaveURL(/\/done\/email-changed$/);
    return { ...change, undo: linkIn(change.toOld), code: undoCodeIn(change.toOld) };
  }

  async function undoWithCode(page: Page, change: { undo: string; code: string; oldEmail: string; newEmail: string }) {
    await page.goto(change.undo);
    await page.getByLabel("The code from the mail").fill(change.code);
    await page.getByRole("button", { name: "Cancel the change" }).click();
    await expect(page).toHaveURL(/\/done\/email-change-undone\?sessions=\d+&password=[01]&tokens=\d+$/);
    await expect(page.getByRole("heading", { name: "The change was undone" })).toBeVisible();
    expect(stateOf([change.oldEmail, change.newEmail])).toMatchObject({ [change.oldEmail]: { user: { email: change.oldEmail } }, [change.newEmail]: { user: null } });
  }

  test(`${RULE}: e-mail change undo: every browser, the asking one too, must type the code printed in the old address's mail; without it or with a wrong one nothing changes; with it the change is undone`, async ({ browse }) => {
    const asker = await browse({ userAgent: ASKER_UA });
    const change = await confirmedChange(asker);
    // Not one press even where the change was asked for: the asker may be the intruder this link stops.
    await asker.goto(change.undo);
    await expect(asker.getByLabel("The code from the mail")).toBeVisible();

    const other = await browse();
    await other.goto(change.undo);
    await expect(other.getByRole("heading", { name: "Cancel the address change" })).toBeVisible();
    await shoot(other, "undo-code");
    const before = stateOf([change.oldEmail, change.newEmail]);
    // Empty, past the browser's own check: the server refuses it (and counts no try).
    await other.locator("main form").evaluate((form) => ((form as HTMLFormElement).noValidate = true));
    await other.getByRole("button", { name: "Cancel the change" }).click();
    await expect(other.getByText("Type the 8-character code from the mail, like K7PD-M3QX.")).toBeVisible();
    await other.getByLabel("The code from the mail").fill(change.code === "AAAA-AAAA" ? "BBBB-BBBB" : "AAAA-AAAA");
    await other.getByRole("button", { name: "Cancel the change" }).click();
    await expect(other.getByText("That is not the code in the mail. 4 tries left.")).toBeVisible();
    await shoot(other, "undo-code-wrong");
    expect(stateOf([change.oldEmail, change.newEmail])).toEqual(before);

    await undoWithCode(other, change);
    // Undoing signs everyone out, the browser that asked for the change included.
    await expectNoSession(asker);
  });

  test(`${RULE}: e-mail change undo: a third browser that clicks everything on the old address's link obtains nothing and changes nothing; the person's code still undoes the change`, async ({ browse }) => {
    const asker = await browse({ userAgent: ASKER_UA });
    const change = await confirmedChange(asker);
    const before = stateOf([change.oldEmail, change.newEmail]);

    const scanner = await browse();
    const pressed = await clickEverything(scanner.context(), change.undo, ROUNDS);
    expect(pressed.filter((line) => line.startsWith("Cancel the change →"))).toHaveLength(ROUNDS);
    await expectNoSession(scanner);
    expect(stateOf([change.oldEmail, change.newEmail])).toEqual(before);
    await asker.goto("/account");
    await expect(asker.getByText(`Signed in as ${change.newEmail}`)).toBeVisible();

    await undoWithCode(await browse(), change);
  });
});
