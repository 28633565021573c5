// The button pressed before the page's scripts have loaded (a slow phone, a
// slow network): JavaScript is on, but each page's script chunks are held
// back until after its button was pressed, so the browser posts the form as
// plain HTML (docs/design.md, "Every form is a plain HTML form first"). The
// flows are e2e/support/flows.ts, shared with e2e/no-javascript.spec.ts.
import { test } from "@playwright/test";

import { beforeHydration } from "./support/browse";
import {
  FLOWS,
  accountForms,
  adminUser,
  emailChange,
  freshLinkOnUsed,
  passwordReset,
  runFlow,
  signInByLinkToStoredAction,
  signInByTypedCode,
  signUp,
} from "./support/flows";

const CHOSEN = new Set([signInByLinkToStoredAction, signInByTypedCode, freshLinkOnUsed, passwordReset, signUp, emailChange, accountForms, adminUser]);

for (const [title, flow] of FLOWS.filter(([, flow]) => CHOSEN.has(flow))) {
  test(`rule "Every form is a plain HTML form first": pressed before hydration, ${title}`, async ({ page, browser }) => {
    const how = beforeHydration();
    try {
      await runFlow(flow, { page, browser, how, label: "early" });
    } finally {
      how.releaseAll();
    }
  });
}
