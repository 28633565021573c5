import { describe, expect, it } from "vitest";

import { escapeHtml } from "./layout";
import { formatCode, loginLinkEmail, loginLinkEmailPreview } from "./login-link";

const url = "https://auth.example.com/ticket/AbCdEfGhIjKlMnOpQrStUv";

describe("loginLinkEmail", () => {
  it("names the app in the subject", () => {
    expect(loginLinkEmail({ url, code: "123456", expiresInMinutes: 15 }).subject).toBe("Your sign-in link for Ticketgate");
    expect(loginLinkEmail({ url, code: "123456", expiresInMinutes: 15, appName: "Example" }).subject).toBe("Your sign-in link for Example");
  });

  it("the text part has the link on a line of its own, the code as 123-456, the expiry and the ignore note", () => {
    const { text } = loginLinkEmail({ url, code: "123456", expiresInMinutes: 15 });
    expect(text.split("\n")).toContain(url);
    expect(text).toContain("Or type this code on the device where you asked: 123-456");
    expect(text).toContain("expire in 15 minutes");
    expect(text).toContain("If you did not ask for this, you can ignore this mail; nobody can sign in without this link.");
    expect(text).not.toContain("request came from");
  });

  it("the HTML part has the link as a button and as text, and the code", () => {
    const { html } = loginLinkEmail({ url, code: "123456", expiresInMinutes: 15 });
    expect(html.match(new RegExp(`href="${url}"`, "g"))).toHaveLength(2);
    expect(html).toContain(`>${url}</a>`);
    expect(html).toContain("123-456");
    expect(html).toContain('<html lang="en"');
    expect(html).toContain("<title>Your sign-in link for Ticketgate</title>");
  });

  it("names the requesting address when given, in both parts", () => {
    const mail = loginLinkEmail({ url, code: "123456", expiresInMinutes: 15, requestedFromIp: "192.0.2.10" });
    expect(mail.text).toContain("This request came from the address 192.0.2.10.");
    expect(mail.html).toContain("192.0.2.10");
  });

  it("escapes a URL with markup and quotes in the HTML part", () => {
    const evil = `https://auth.example.com/ticket/x"><script>alert('x')</script>`;
    const { html, text } = loginLinkEmail({ url: evil, code: "123456", expiresInMinutes: 15 });
    expect(html).not.toContain("<script>");
    expect(html).not.toContain(`x"><`);
    expect(html).toContain(`href="https://auth.example.com/ticket/x&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"`);
    // The text part is plain text: the link stays as it was.
    expect(text).toContain(evil);
  });

  it("escapes the IP, the code and the app name in the HTML part", () => {
    const { html } = loginLinkEmail({
      url,
      code: `<b>"1"</b>`,
      expiresInMinutes: 15,
      appName: `Gate <img src=x onerror="alert(1)">`,
      requestedFromIp: `<script>alert("ip")</script>`,
    });
    expect(html).not.toContain("<script>");
    expect(html).not.toContain("<img");
    expect(html).not.toContain("<b>");
    expect(html).toContain("&lt;script&gt;alert(&quot;ip&quot;)&lt;/script&gt;");
    expect(html).toContain("Gate &lt;img src=x onerror=&quot;alert(1)&quot;&gt;");
  });

  it("keeps line breaks out of the subject and the text lines", () => {
    const mail = loginLinkEmail({ url, code: "123456", expiresInMinutes: 15, appName: "Gate\r\nBcc: victim@example.com", requestedFromIp: "192.0.2.1\r\nInjected: yes" });
    expect(mail.subject).not.toMatch(/[\r\n]/);
    expect(mail.text).not.toContain("\nBcc:");
    expect(mail.text).not.toContain("\nInjected:");
  });

  it("refuses a link that is not http(s), without quoting it", () => {
    expect(() => loginLinkEmail({ url: "javascript:alert(1)", code: "123456", expiresInMinutes: 15 })).toThrow(/http\(s\)/);
    expect(() => loginLinkEmail({ url: "ftp://host/ticket/secret-ticket-value", code: "123456", expiresInMinutes: 15 })).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining("secret-ticket-value") }),
    );
  });

  it("renders the preview props", () => {
    const mail = loginLinkEmail(loginLinkEmailPreview);
    expect(mail.text).toContain(loginLinkEmailPreview.url);
    expect(mail.text).toContain("123-456");
  });
});

describe("helpers", () => {
  it("escapeHtml escapes the five HTML specials", () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe("&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;");
  });

  it("formatCode splits even-length codes in halves and leaves others alone", () => {
    expect(formatCode("123456")).toBe("123-456");
    expect(formatCode("12345678")).toBe("1234-5678");
    expect(formatCode("12345")).toBe("12345");
    expect(formatCode("123-456")).toBe("123-456");
  });
});
