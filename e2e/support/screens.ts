// Screenshots the flows save for people to look at (e2e/.artifacts/screens).
import type { Page } from "@playwright/test";

export const SCREENS = "e2e/.artifacts/screens";

/** The page as it is, at a desktop's and a phone's width, as `<name>-1280.png` and `<name>-390.png`; the viewport is put back after. */
export async function shootWidths(page: Page, name: string): Promise<void> {
  const before = page.viewportSize();
  for (const [width, height] of [
    [1280, 900],
    [390, 844],
  ] as const) {
    await page.setViewportSize({ width, height });
    await page.screenshot({ path: `${SCREENS}/${name}-${width}.png`, fullPage: true });
  }
  if (before) await page.setViewportSize(before);
}
