import { describe, expect, it } from "vitest";

import { crossSiteRefusal, renderRefusal } from "./refusal-page";

describe("the refusal page", () => {
  it("is a page with a heading and a way back to the site, not a line of text", () => {
    const html = renderRefusal(crossSiteRefusal("https://auth.example.com"));
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html).toContain("<h1>This form came from another site</h1>");
    expect(html).toContain('<a class="button" href="https://auth.example.com/">Go to Ticketgate</a>');
    expect(html).toContain("Nothing was changed.");
  });

  it("escapes what it is given", () => {
    const html = renderRefusal({ status: 400, title: "<script>x</script>", message: `"&'`, back: { href: 'https://a.example/"x', label: "<b>" } });
    expect(html).not.toContain("<script>x");
    expect(html).toContain("&#60;script&#62;x&#60;/script&#62;");
    expect(html).toContain('href="https://a.example/&#34;x"');
  });
});
