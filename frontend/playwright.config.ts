import { defineConfig } from "@playwright/test";

import { ARTIFACTS_DIR, chromiumPath, servicesRequired } from "./e2e/support/environment";

// End-to-end tests: Debian's Chromium (never a downloaded browser) against a real server
// the global setup seeds and starts (e2e/support/server.ts). One worker by default: the
// server and its data are shared, and specs that write (createOrder) would change the
// numbers another spec is comparing; SHOPX_E2E_WORKERS=2 to try more.
export default defineConfig({
  testDir: "./e2e",
  outputDir: `${ARTIFACTS_DIR}/results`,
  globalSetup: "./e2e/global-setup.ts",
  workers: Number(process.env.SHOPX_E2E_WORKERS ?? 1),
  fullyParallel: false,
  retries: 0,
  forbidOnly: servicesRequired() || Boolean(process.env.CI),
  reporter: [["list"]],
  timeout: 30_000,
  expect: { timeout: 10_000 },
  use: {
    browserName: "chromium",
    headless: true,
    launchOptions: {
      executablePath: chromiumPath(),
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
    locale: "en-US",
    timezoneId: "UTC",
    viewport: { width: 1440, height: 1000 },
    actionTimeout: 10_000,
    navigationTimeout: 15_000,
    trace: "off",
    video: "off",
    screenshot: "off", // the fixtures save one per test themselves
  },
});
