// The development outbox page (app/dev/outbox): each mail's text beside its
// HTML, the HTML in a frame that runs nothing, a filter by recipient and a
// "clear" button — plain forms, so they work without JavaScript. Rendered
// here from real .eml files; the page's gate (development, no SMTP_URL, this
// machine) is lib-level and mocked.
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

import { createMailTransport } from "@/lib/mail/transport";

const state = vi.hoisted(() => ({ dir: "", available: true }));

vi.mock("@/lib/env", () => ({ env: () => ({ OUTBOX_DIR: state.dir, APP_URL: "http://localhost:3000" }) }));
vi.mock("@/app/dev/outbox/available", () => ({ outboxAvailable: async () => state.available }));
// The form door (same origin, the schema) is tested with every form; here the action's own work.
vi.mock("@/lib/forms/form-action.server", () => ({ formSubmit: ({ run }: { run: () => Promise<void> }) => run }));
vi.mock("next/navigation", () => ({
  notFound: () => {
    throw new Error("not found");
  },
  redirect: (to: string) => {
    throw new Error(`redirect ${to}`);
  },
}));

const { default: DevOutboxPage } = await import("@/app/dev/outbox/page");
const { clearOutboxAction } = await import("@/app/dev/outbox/actions");

async function render(query: Record<string, string> = {}): Promise<string> {
  return renderToStaticMarkup(createElement("div", null, await DevOutboxPage({ searchParams: Promise.resolve(query) })));
}

describe("the development outbox page", () => {
  beforeAll(async () => {
    state.dir = mkdtempSync(path.join(tmpdir(), "ticketgate-dev-outbox-"));
    const transport = createMailTransport({ outboxDir: state.dir, from: "Ticketgate <no-reply@localhost>" });
    await transport.send({ to: "ada@example.com", subject: "Your sign-in link", text: "Open http://localhost:3000/ticket/abc\n", html: '<p>Open <a href="http://localhost:3000/ticket/abc">the link</a></p><script>alert(1)</script>' });
    await new Promise((resolve) => setTimeout(resolve, 5));
    await transport.send({ to: "bob@example.org", subject: "Reset your password", text: "Choose a new one.\n", html: "<p>Choose</p>" });
    transport.close();
  });
  afterAll(() => rmSync(state.dir, { recursive: true, force: true }));

  it("shows each mail's text beside its HTML, the HTML in a frame that runs nothing", async () => {
    const html = await render();
    expect(html).toContain("Your sign-in link");
    expect(html).toContain("Reset your password");
    // The app's own link in the text is clickable.
    expect(html).toContain('href="http://localhost:3000/ticket/abc"');
    const frames = [...html.matchAll(/<iframe[^>]*>/g)].map((m) => m[0]);
    expect(frames).toHaveLength(2);
    for (const frame of frames) {
      expect(frame).toContain('sandbox=""');
      expect(frame).toContain('referrerPolicy="no-referrer"');
    }
    // The HTML is inside the frame's srcdoc (escaped), never markup of this page.
    expect(html).not.toContain("<script>alert(1)</script>");
    expect(frames[1]).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
  });

  it("filters by recipient with a plain GET form, and says when nothing matches", async () => {
    const html = await render({ to: "BOB@" });
    expect(html).toMatch(/<form[^>]* method="get"[^>]*>/);
    expect(html).toContain('name="to"');
    expect(html).toContain("Reset your password");
    expect(html).not.toContain("Your sign-in link");
    expect(await render({ to: "nobody" })).toContain("No mail to an address containing “nobody”.");
  });

  it("offers a clear button, which empties the outbox and says so", async () => {
    expect(await render()).toContain("Clear the outbox");
    await expect((clearOutboxAction as unknown as () => Promise<void>)()).rejects.toThrow("redirect /dev/outbox?cleared=1");
    expect(readdirSync(state.dir).filter((name) => name.endsWith(".eml"))).toEqual([]);
    const html = await render({ cleared: "1" });
    expect(html).toContain("The outbox is empty.");
    expect(html).toContain("No mail yet.");
  });

  it("does not exist where it is not available (production, SMTP_URL set, another machine)", async () => {
    state.available = false;
    try {
      await expect(render()).rejects.toThrow("not found");
    } finally {
      state.available = true;
    }
  });
});
