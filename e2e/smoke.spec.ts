import { expect, test } from "@playwright/test";

test("the home page says what the product is", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Sign in without a password");
  await expect(page.getByText("opening a link never spends it")).toBeVisible();
  await page.screenshot({ path: "e2e/.artifacts/screens/home.png", fullPage: true });
});

test("the health endpoint reports the database and the mail queue", async ({ request }) => {
  const response = await request.get("/api/health");
  expect(response.status()).toBe(200);
  expect(response.headers()["cache-control"]).toBe("no-store");
  const health = (await response.json()) as { mail: { oldestDueSeconds: number | null } };
  expect(health).toMatchObject({ status: "ok", database: { engine: "sqlite", reachable: true }, mail: { due: expect.any(Number), failed: 0 } });
  expect(health.mail.oldestDueSeconds === null || typeof health.mail.oldestDueSeconds === "number").toBe(true);
});
