import { describe, expect, it } from "vitest";

import { accountExistsEmail, accountExistsEmailPreview } from "./account-exists";
import { emailChangeNewEmail, emailChangeNewEmailPreview } from "./email-change-new";
import { emailChangeOldEmail, emailChangeOldEmailPreview } from "./email-change-old";
import { emailChangeTakenEmail } from "./email-change-taken";
import { newAccountEmail, newAccountEmailPreview } from "./new-account";
import { passwordChangedEmail, passwordChangedEmailPreview } from "./password-changed";
import { passwordResetEmail, passwordResetEmailPreview } from "./password-reset";

const url = "https://auth.example.com/ticket/AbCdEfGhIjKlMnOpQrStUv";
const evil = `<script>alert("x")</script>`;

describe("account mails", () => {
  it("the link mails put the link on a line of its own and in the HTML twice (button and text)", () => {
    for (const mail of [passwordResetEmail({ url, expiresInMinutes: 60 }), newAccountEmail({ url, expiresInMinutes: 1440 }), emailChangeNewEmail({ url, expiresInDays: 3 }), emailChangeOldEmail({ url, expiresInDays: 3, maskedNewEmail: "n••••••••••••s@example.org", code: "K7PD-M3QX" })]) {
      expect(mail.text.split("\n")).toContain(url);
      expect(mail.html.match(new RegExp(`href="${url}"`, "g"))).toHaveLength(2);
      expect(mail.html).toContain('<html lang="en"');
    }
  });

  it("says how long each link works", () => {
    expect(passwordResetEmail({ url, expiresInMinutes: 60 }).text).toContain("expires in 1 hour");
    expect(newAccountEmail({ url, expiresInMinutes: 1440 }).text).toContain("expires in 24 hours");
    expect(emailChangeNewEmail({ url, expiresInDays: 3 }).text).toContain("expires in 3 days");
    expect(emailChangeOldEmail({ url, expiresInDays: 1, maskedNewEmail: "n••••••••••••s@example.org", code: "K7PD-M3QX" }).text).toContain("works for 1 day");
  });

  it("the password-changed notice names the time and the address it came from, and links to act on it — never a ticket", () => {
    const mail = passwordChangedEmail({ how: "reset", at: new Date("2026-11-24T09:05:00Z"), ip: "198.51.100.7", requestedFromIp: "192.0.2.10", appUrl: "https://auth.example.com" });
    expect(mail.subject).toBe("Your password was changed for Ticketgate");
    expect(mail.text).toContain("2026-11-24 09:05 UTC");
    expect(mail.text).toContain("The change came from the address 198.51.100.7.");
    expect(mail.text).toContain("The reset link had been asked for from the address 192.0.2.10.");
    expect(mail.text).toContain("Every session was signed out");
    expect(mail.text).toContain("Reset the password: https://auth.example.com/reset");
    expect(mail.text).toContain("Review your sessions: https://auth.example.com/account");
    expect([...mail.html.matchAll(/href="([^"]*)"/g)].map((m) => m[1])).toEqual(["https://auth.example.com/reset", "https://auth.example.com/account"]);
    expect(mail.text).not.toContain("/ticket/");
  });

  it('rule "Credentials end together": the password-changed notice says how many personal API tokens were revoked, and nothing about tokens when none were', () => {
    const at = new Date("2026-11-24T09:05:00Z");
    expect(passwordChangedEmail({ how: "changed", at, revokedApiTokens: 3, appUrl: "https://auth.example.com" }).text).toContain("3 personal API tokens of yours were revoked: scripts that used them need new ones");
    expect(passwordChangedEmail({ how: "changed", at, revokedApiTokens: 1, appUrl: "https://auth.example.com" }).text).toContain("1 personal API token of yours was revoked: scripts that used it need a new one");
    expect(passwordChangedEmail({ how: "reset", at, revokedApiTokens: 0, appUrl: "https://auth.example.com" }).text).not.toContain("API token");
    expect(passwordChangedEmail({ how: "reset", at, appUrl: "https://auth.example.com" }).text).not.toContain("API token");
  });

  it("every security notice carries links to act on it: a password set, changed or reset, and the address being changed", () => {
    for (const how of ["set", "changed", "reset"] as const) {
      const mail = passwordChangedEmail({ how, at: new Date("2026-11-24T09:05:00Z"), appUrl: "https://auth.example.com" });
      expect(mail.text, how).toContain("Reset the password: https://auth.example.com/reset");
      expect(mail.text, how).toContain("Review your sessions: https://auth.example.com/account");
    }
    const moving = emailChangeOldEmail({ url, expiresInDays: 3, maskedNewEmail: "n••••••••••••s@example.org", code: "K7PD-M3QX", appUrl: "https://auth.example.com" });
    expect(moving.text).toContain("Review your sessions: https://auth.example.com/account");
    expect(moving.html).toContain('href="https://auth.example.com/account"');
  });

  it("notices without a ticket carry no ticket link", () => {
    expect(accountExistsEmail({ appUrl: "https://auth.example.com" }).text).not.toContain("/ticket/");
    expect(accountExistsEmail({ appUrl: "https://auth.example.com" }).text).toContain("https://auth.example.com/reset");
    expect(emailChangeTakenEmail({}).html).not.toContain("href=");
  });

  it("escapes every value in the HTML part and keeps line breaks out of the subject and text", () => {
    const mails = [
      passwordResetEmail({ url: `${url}"><b>`, expiresInMinutes: 60, requestedFromIp: evil, appName: `Gate\r\nBcc: x@example.com ${evil}` }),
      passwordChangedEmail({ how: "changed", at: new Date(), ip: evil, appName: evil, requestedFromIp: `${evil}\r\nInjected: yes`, appUrl: "https://auth.example.com" }),
      newAccountEmail({ url, expiresInMinutes: 60, requestedFromIp: evil }),
      emailChangeOldEmail({ url, expiresInDays: 3, maskedNewEmail: evil, code: evil, requestedFromIp: `1.2.3.4\r\nInjected: yes` }),
      emailChangeTakenEmail({ requestedFromIp: evil }),
      accountExistsEmail({ appUrl: "https://auth.example.com", requestedFromIp: evil }),
    ];
    for (const mail of mails) {
      expect(mail.html).not.toContain("<script>");
      expect(mail.html).not.toContain('"><b>');
      expect(mail.subject).not.toMatch(/[\r\n]/);
      expect(mail.text).not.toContain("\nBcc:");
      expect(mail.text).not.toContain("\nInjected:");
    }
  });

  it("refuses a link that is not http(s)", () => {
    expect(() => passwordResetEmail({ url: "javascript:alert(1)", expiresInMinutes: 60 })).toThrow(/http\(s\)/);
  });

  it("renders the previews", () => {
    expect(passwordResetEmail(passwordResetEmailPreview).subject).toContain("new password");
    expect(passwordChangedEmail(passwordChangedEmailPreview).text).toContain("192.0.2.10");
    expect(newAccountEmail(newAccountEmailPreview).text).toContain(newAccountEmailPreview.url);
    expect(accountExistsEmail(accountExistsEmailPreview).subject).toContain("already have");
    expect(emailChangeNewEmail(emailChangeNewEmailPreview).text).toContain(emailChangeNewEmailPreview.url);
    expect(emailChangeOldEmail(emailChangeOldEmailPreview).text).toContain("n••••••••••••s@example.org");
  });
});
