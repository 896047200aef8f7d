// What the e2e harness reads from the environment, and where it keeps its files. Shared by
// playwright.config.ts, the global setup (which starts the server) and the fixtures (which
// run in the workers and learn the server's address from the variables the setup exports).
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** frontend/ */
export const FRONTEND_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const REPO_DIR = path.dirname(FRONTEND_DIR);
export const DIST_DIR = path.join(FRONTEND_DIR, "dist");
/** Screenshots, perf.json, the server log (gitignored). */
export const ARTIFACTS_DIR = path.join(FRONTEND_DIR, "e2e-artifacts");
export const SCREENSHOTS_DIR = path.join(ARTIFACTS_DIR, "screenshots");

/** Set by the global setup for the workers. */
export const BASE_URL_VAR = "SHOPX_E2E_BASE_URL";
export const ADMIN_TOKEN_VAR = "SHOPX_E2E_ADMIN_TOKEN";
export const SKIP_VAR = "SHOPX_E2E_SKIP";

export function chromiumPath(): string {
  return process.env.SHOPX_CHROMIUM || "/usr/bin/chromium";
}

export function pythonPath(): string {
  return process.env.SHOPX_PYTHON || path.join(REPO_DIR, ".venv", "bin", "python");
}

/** As in tests/services.py: CI sets it, and then a missing piece fails instead of skipping. */
export function servicesRequired(): boolean {
  return ["1", "true", "yes"].includes((process.env.SHOPX_REQUIRE_SERVICES ?? "").toLowerCase());
}

/** Why the e2e cannot run here (no browser, no build, no Python), or null when it can. */
export function missingPrerequisite(): string | null {
  const chromium = chromiumPath();
  if (!existsSync(chromium)) {
    return `no Chromium at ${chromium} (apt-get install chromium, or set SHOPX_CHROMIUM)`;
  }
  if (!existsSync(path.join(DIST_DIR, "index.html"))) {
    return `no dashboard build in ${DIST_DIR} (make frontend, or npm run build)`;
  }
  const python = pythonPath();
  if (!existsSync(python)) {
    return `no Python at ${python} (make install, or set SHOPX_PYTHON)`;
  }
  return null;
}
