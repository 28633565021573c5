import { expect, test } from "@playwright/test";

import { signInByLink } from "./support/sign-in";

/** HEALTH_TOKEN in scripts/e2e-server.sh. */
const HEALTH_TOKEN = "e2e-health-token-e2e-health-token-e2e";

test("the home page says what the product is", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Sign in without a password");
  await expect(page.getByText("opening a link never spends it")).toBeVisible();
  // It speaks to the people who sign in: the two ways in, as buttons.
  await expect(page.locator("main").getByRole("link", { name: "Sign in", exact: true })).toHaveAttribute("href", "/login");
  await expect(page.locator("main").getByRole("link", { name: "Create an account" })).toHaveAttribute("href", "/signup");
  // A favicon and an app icon, served.
  const icon = await page.locator("link[rel=icon]").first().getAttribute("href");
  expect(icon).toBeTruthy();
  const served = await page.request.get(icon!);
  expect(served.status()).toBe(200);
  expect(served.headers()["content-type"]).toMatch(/^image\//);
  const touch = await page.locator("link[rel=apple-touch-icon]").getAttribute("href");
  const png = await page.request.get(touch!);
  expect(png.status()).toBe(200);
  expect(png.headers()["content-type"]).toBe("image/png");
  await page.screenshot({ path: "e2e/.artifacts/screens/home.png", fullPage: true });
});

// The mail queue's figures would tell, with a slow relay, whether a reset request queued a mail (an enumeration oracle).
test('rule "Same answer for known and unknown addresses": the health endpoint tells anyone up or down; the mail queue only to monitoring with its token and to administrators', async ({ request, page }) => {
  const anyone = await request.get("/api/health");
  expect(anyone.status()).toBe(200);
  expect(anyone.headers()["cache-control"]).toBe("no-store");
  expect(await anyone.json()).toEqual({ status: "ok", database: { engine: "sqlite", reachable: true } });
  const wrongToken = await request.get("/api/health", { headers: { Authorization: `Bearer ${HEALTH_TOKEN}x` } });
  expect(await wrongToken.json()).not.toHaveProperty("mail");

  const expectFull = (health: { mail?: Record<string, unknown> }) => {
    expect(health).toMatchObject({ status: "ok", database: { engine: "sqlite", reachable: true }, mail: { due: expect.any(Number), failed: 0 } });
    expect(Object.keys(health.mail ?? {}).sort()).toEqual(["due", "failed", "oldestDueSeconds"]);
  };
  expectFull(await (await request.get("/api/health", { headers: { Authorization: `Bearer ${HEALTH_TOKEN}` } })).json());

  await signInByLink(page, "plain-health@example.com");
  expect(await (await page.request.get("/api/health")).json()).not.toHaveProperty("mail");
  await page.context().clearCookies();
  await signInByLink(page, "admin@example.com");
  expectFull(await (await page.request.get("/api/health")).json());
});
