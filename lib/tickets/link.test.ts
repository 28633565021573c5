import { describe, expect, it } from "vitest";

import { ticketLink } from "./link";
import { generateTicket } from "./token";

describe("Links are built from the configured public URL, never from the request's Host or X-Forwarded-* headers", () => {
  it("uses APP_URL's origin and nothing else", () => {
    const ticket = generateTicket();
    expect(ticketLink("https://auth.example.com", ticket)).toBe(`https://auth.example.com/ticket/${ticket}`);
    expect(ticketLink("http://localhost:3000", ticket)).toBe(`http://localhost:3000/ticket/${ticket}`);
  });

  it("keeps only the origin of the configured URL", () => {
    const ticket = generateTicket();
    expect(ticketLink("https://auth.example.com/some/path?q=1", ticket)).toBe(`https://auth.example.com/ticket/${ticket}`);
  });

  it.each(["", "../../evil", "a/b", "x".repeat(43) + "?next=//evil.example"])("refuses a non-ticket %j", (value) => {
    expect(() => ticketLink("https://auth.example.com", value)).toThrow("not a ticket");
  });
});
