// A mail scanner as security gateways run them (docs/design.md, "Mail
// scanners click"): a real browser with JavaScript, its own cookies, that
// opens a link and then, on every page it reaches, ticks every box, fills
// every empty field with what the page itself offers (its placeholder),
// and presses every button — submitting forms past the browser's own checks.
// It knows nothing the page does not show. Nothing here knows our pages.
import type { BrowserContext, Page } from "@playwright/test";

const CONTROLS = "button, input[type=submit], input[type=button], input[type=image], [role=button]";
/** Presses per page visit, so a page that keeps growing buttons cannot keep the scan going for ever. */
const MAX_PRESSES = 20;

/** Counts the page's requests in flight, to wait for a press's answer without fixed sleeps. */
function trackNetwork(page: Page) {
  let inflight = 0;
  let started = 0;
  let lastChange = Date.now();
  const begin = () => {
    inflight += 1;
    started += 1;
    lastChange = Date.now();
  };
  const end = () => {
    inflight = Math.max(0, inflight - 1);
    lastChange = Date.now();
  };
  page.on("request", begin);
  page.on("requestfinished", end);
  page.on("requestfailed", end);
  return {
    started: () => started,
    /** Waits for the requests a press started (if it started any within 1 s) to end, and 150 ms of quiet. */
    async settle(startedBefore: number): Promise<void> {
      const deadline = Date.now() + 10_000;
      const firstBy = Date.now() + 1_000;
      for (;;) {
        const now = Date.now();
        const began = started > startedBefore;
        if (now > deadline || (!began && now > firstBy)) return;
        if (began && inflight === 0 && now - lastChange >= 150) return;
        await page.waitForTimeout(50);
      }
    },
  };
}

/**
 * Fills every form on the page with what it finds and presses control
 * number `index` (in document order). Runs in the page. Returns the
 * control's label, or null when the page has no such control.
 */
function fillAndPress(args: { index: number; selector: string }): string | null {
  const controls = Array.from(document.querySelectorAll<HTMLElement>(args.selector));
  const control = controls[args.index];
  if (!control) return null;
  for (const form of Array.from(document.forms)) {
    // The browser's own checks (required, pattern) would stop a submit; a scanner's robot does not stop.
    form.noValidate = true;
    for (const element of Array.from(form.elements)) {
      if (element instanceof HTMLInputElement) {
        if (element.type === "checkbox") element.checked = true;
        else if (element.type === "radio") {
          if (!form.querySelector(`input[type=radio][name="${CSS.escape(element.name)}"]:checked`)) element.checked = true;
        } else if (element.type !== "hidden" && !element.value && element.placeholder) element.value = element.placeholder;
      } else if (element instanceof HTMLTextAreaElement && !element.value && element.placeholder) element.value = element.placeholder;
      else if (element instanceof HTMLSelectElement && element.selectedIndex < 0 && element.options.length > 0) element.selectedIndex = 0;
    }
  }
  const label = (control.textContent ?? "").trim() || control.getAttribute("value") || control.getAttribute("aria-label") || control.tagName.toLowerCase();
  const button = control as HTMLButtonElement | HTMLInputElement;
  if (button.disabled) return `${label} (disabled)`;
  const form = "form" in button ? button.form : null;
  if (form && (button.type === "submit" || button.type === "image")) form.requestSubmit(button);
  else control.click();
  return label;
}

/**
 * Opens `url` in `context` and clicks everything, `rounds` times over (each
 * round from the link again, presses going on through whatever page each
 * press leads to). Accepts every dialog. Returns what it pressed, as
 * "label → path" lines, so a test can show the scan did reach the buttons.
 */
export async function clickEverything(context: BrowserContext, url: string, rounds = 3): Promise<string[]> {
  const page = await context.newPage();
  page.on("dialog", (dialog) => void dialog.accept().catch(() => {}));
  const network = trackNetwork(page);
  const pressed: string[] = [];
  try {
    for (let round = 0; round < rounds; round++) {
      await page.goto(url);
      await network.settle(network.started() - 1);
      for (let index = 0; index < MAX_PRESSES; index++) {
        const before = network.started();
        // A press may have started a navigation that takes the page away under us: then once more, on the new page.
        const press = () => page.evaluate(fillAndPress, { index, selector: CONTROLS });
        const label = await press().catch(async () => {
          await page.waitForLoadState();
          return press();
        });
        if (label === null) break;
        await network.settle(before);
        await page.waitForLoadState();
        pressed.push(`${label} → ${new URL(page.url()).pathname}`);
      }
    }
  } finally {
    await page.close();
  }
  return pressed;
}
