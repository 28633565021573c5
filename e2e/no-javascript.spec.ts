// Every form on every page with JavaScript off: the browser posts each one as
// a plain HTML form, and each lands where it should (docs/design.md, "Every
// form is a plain HTML form first"; docs/decisions/0014-forms-that-never-break.md).
// The flows themselves live in e2e/support/flows.ts, shared with
// e2e/before-hydration.spec.ts.
import { type Page, test } from "@playwright/test";

import { withoutJavaScript } from "./support/browse";
import { FLOWS, runFlow } from "./support/flows";
import { shootWidths } from "./support/screens";


test.use({ javaScriptEnabled: false });

/** Without JavaScript, the screenshots say so in their names. */
const shoot = (page: Page, name: string) => shootWidths(page, `no-js-${name}`);

for (const [title, flow] of FLOWS) {
  test(`rule "Every form is a plain HTML form first": without JavaScript, ${title}`, async ({ page, browser }) => {
    await runFlow(flow, { page, browser, how: withoutJavaScript, label: "nojs", shoot });
  });
}
