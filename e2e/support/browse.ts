// How a flow opens pages and presses buttons. The same flow bodies
// (e2e/support/flows.ts) run with JavaScript off (e2e/no-javascript.spec.ts)
// and with JavaScript on but the page's scripts held back until after each
// press (e2e/before-hydration.spec.ts): both times every form has to work as
// a plain HTML form.
import { type Locator, type Page, type Route, expect } from "@playwright/test";

export interface Browse {
  /** Called on every page a flow uses, before its first navigation. */
  prepare(page: Page): Promise<void>;
  /** Opens a path or URL. Never waits for `load`: held scripts would keep it from firing. */
  open(page: Page, url: string): Promise<void>;
  /** Presses a submit button. */
  press(button: Locator): Promise<void>;
}

/** JavaScript is off in the context (test.use({ javaScriptEnabled: false })): the browser posts the form itself. */
export const withoutJavaScript: Browse = {
  prepare: async () => {},
  open: async (page, url) => {
    await page.goto(url, { waitUntil: "domcontentloaded" });
  },
  press: (button) => button.click(),
};

/** The pages the ordinary specs browse with: default waits, scripts load as they come. */
export const plainly: Browse = {
  prepare: async () => {},
  open: async (page, url) => {
    await page.goto(url);
  },
  press: (button) => button.click(),
};

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/**
 * Holds a page's script chunks. Each document's chunks are held until the
 * button on it has been pressed: `epoch` counts presses, and a chunk asked for
 * before press n waits for gate n. So each press happens before its page
 * could hydrate, and the scripts still arrive afterwards, as on a slow phone.
 */
class ScriptGate {
  private epoch = 0;
  private readonly gates = [deferred()];
  private readonly held = [0];

  async hold(route: Route): Promise<void> {
    const epoch = this.epoch;
    this.held[epoch]! += 1;
    await this.gates[epoch]!.promise;
    // The document that asked may be gone by now; that is the point.
    await route.continue().catch(() => {});
  }

  /** Scripts of the page as it is now that are still held back. */
  heldNow(): number {
    return this.held[this.epoch]!;
  }

  /** Starts a new epoch for the next document and returns a function that lets the current one's scripts go. */
  next(): () => void {
    const current = this.gates[this.epoch]!;
    this.epoch += 1;
    this.gates.push(deferred());
    this.held.push(0);
    return current.resolve;
  }

  releaseAll(): void {
    for (const gate of this.gates) gate.resolve();
  }
}

/** JavaScript on, each page's scripts held until after its button was pressed: the press before hydration. */
export function beforeHydration(): Browse & { releaseAll(): void } {
  const gates = new Map<Page, ScriptGate>();
  return {
    prepare: async (page) => {
      const gate = new ScriptGate();
      gates.set(page, gate);
      // Scripts only: held style sheets would hold the page's inline scripts, and with them the whole parse.
      await page.route(
        (url) => url.pathname.startsWith("/_next/static/chunks/") && url.pathname.endsWith(".js"),
        (route) => gate.hold(route),
      );
    },
    open: withoutJavaScript.open,
    press: async (button) => {
      const page = button.page();
      const gate = gates.get(page);
      if (!gate) throw new Error("beforeHydration: prepare(page) was not called for this page");
      await expect(button).toBeVisible();
      // The page has scripts, JavaScript runs, and they have not arrived: it cannot have hydrated.
      expect(gate.heldNow(), "script chunks held back on this page").toBeGreaterThan(0);
      // The document may still be streaming in (the button arrived before the rest): wait for the parse to end, then not further.
      await page.waitForFunction(() => document.readyState !== "loading");
      expect(await page.evaluate(() => document.readyState)).toBe("interactive");
      const release = gate.next();
      await button.click();
      release();
    },
    releaseAll: () => {
      for (const gate of gates.values()) gate.releaseAll();
    },
  };
}
