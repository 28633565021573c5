// Every form on every page with JavaScript off: the browser posts each one as
// a plain HTML form, and each lands where it should (docs/design.md, "Every
// form is a plain HTML form first"; docs/decisions/0014-forms-that-never-break.md).
// The flows themselves live in e2e/support/flows.ts, shared with
// e2e/before-hydration.spec.ts.
import { type Page, test } from "@playwright/test";

import { withoutJavaScript } from "./support/browse";
import { FLOWS, runFlow } from "./support/flows";

const SCREENS = "e2e/.artifacts/screens";

test.use({ javaScriptEnabled: false });

/** The page at a desktop's and a phone's width. */
async function shoot(page: Page, name: string) {
  const before = page.viewportSize();
  for (const [width, height] of [
    [1280, 900],
    [390, 844],
  ] as const) {
    await page.setViewportSize({ width, height });
    await page.screenshot({ path: `${SCREENS}/no-js-${name}-${width}.png`, fullPage: true });
  }
  if (before) await page.setViewportSize(before);
}

for (const [title, flow] of FLOWS) {
  test(`rule "Every form is a plain HTML form first": without JavaScript, ${title}`, async ({ page, browser }) => {
    await runFlow(flow, { page, browser, how: withoutJavaScript, label: "nojs", shoot });
  });
}
