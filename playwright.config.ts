import { defineConfig, devices } from "@playwright/test";

const port = Number(process.env.E2E_PORT ?? 3100);
const smtpPort = Number(process.env.E2E_SMTP_PORT ?? 2526);

/**
 * Specs that read or change what the whole server shares — the admin
 * overview's counts, the guessing limit of the one client address all tests
 * come from, raw posts that load the process, extra instances — run first,
 * one at a time. The other flows each use addresses of their own and run two
 * at a time after them.
 */
const ALONE = ["**/admin.spec.ts", "**/attacks.spec.ts", "**/instances.spec.ts", "**/no-stall.spec.ts", "**/smoke.spec.ts"];

/**
 * End-to-end flows in Debian's Chromium (Playwright's own browser download
 * does not work everywhere). The app runs as a production build on a fresh
 * SQLite file; scripts/test-all.sh builds it first.
 */
export default defineConfig({
  testDir: "e2e",
  testMatch: "**/*.spec.ts",
  outputDir: "e2e/.artifacts/results",
  fullyParallel: false,
  workers: 2,
  retries: 0,
  timeout: 60_000,
  reporter: [["list"], ["html", { open: "never", outputFolder: "e2e/.artifacts/report" }]],
  use: {
    baseURL: `http://localhost:${port}`,
    // Pages the flows look at are saved by the flows themselves (e2e/.artifacts/screens); a
    // screenshot and a trace of every test cost a quarter of the run. E2E_TRACE=1 keeps failures' traces.
    screenshot: "only-on-failure",
    trace: process.env.E2E_TRACE ? "retain-on-failure" : "off",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    },
  },
  projects: [
    { name: "alone", testMatch: ALONE, workers: 1, use: { ...devices["Desktop Chrome"], channel: undefined } },
    { name: "desktop", testIgnore: ALONE, dependencies: ["alone"], use: { ...devices["Desktop Chrome"], channel: undefined } },
  ],
  webServer: [
    {
      // A real SMTP server that catches the app's mail for the tests to read.
      command: `npx tsx e2e/support/mail-catcher.ts ${smtpPort} e2e/.artifacts/mail`,
      port: smtpPort,
      timeout: 30_000,
      reuseExistingServer: false,
    },
    {
      command: `bash scripts/e2e-server.sh ${port} ${smtpPort}`,
      url: `http://localhost:${port}/api/health`,
      timeout: 120_000,
      reuseExistingServer: false,
      stdout: "pipe",
      stderr: "pipe",
    },
  ],
});
