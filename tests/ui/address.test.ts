// How an address is put on a page (app/_components/address.tsx): one piece
// that may break only before its @, read and copied as typed.
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";

import { Address, WithAddress } from "@/app/_components/address";

describe("Address", () => {
  it("splits only at the @, with the whole address in its title and no space added", () => {
    expect(renderToStaticMarkup(createElement(Address, { email: "ada-lovelace@example.com" }))).toBe(
      '<span class="address" title="ada-lovelace@example.com"><span>ada-lovelace</span><wbr/><span>@example.com</span></span>',
    );
  });

  it("in a table cell, one line: no break before the @ either, and still no space added", () => {
    expect(renderToStaticMarkup(createElement(Address, { email: "ada-lovelace@example.com", oneLine: true }))).toBe(
      '<span class="address" title="ada-lovelace@example.com"><span>ada-lovelace</span><span>@example.com</span></span>',
    );
  });

  it("passes data attributes on", () => {
    expect(renderToStaticMarkup(createElement(Address, { email: "a•a@example.com", "data-asked-address": "" } as never))).toContain('data-asked-address=""');
  });
});

describe("WithAddress", () => {
  it("renders the address inside a sentence as an Address, keeping the comma after it on its line", () => {
    const html = renderToStaticMarkup(createElement(WithAddress, { text: "We can send a new one to ada@example.com, taking you there.", email: "ada@example.com" }));
    expect(html).toBe('We can send a new one to <span class="address" title="ada@example.com"><span>ada</span><wbr/><span>@example.com,</span></span> taking you there.');
  });

  it("leaves a sentence without the address as it is", () => {
    expect(renderToStaticMarkup(createElement(WithAddress, { text: "Use the link in the latest mail.", email: null }))).toBe("Use the link in the latest mail.");
    expect(renderToStaticMarkup(createElement(WithAddress, { text: "Use the link in the latest mail.", email: "ada@example.com" }))).toBe("Use the link in the latest mail.");
  });
});
