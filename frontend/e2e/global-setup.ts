// Starts one seeded ShopX server for the whole run and hands its address and an admin
// token to the workers through the environment; the function it returns stops it.
// Without Chromium, a dashboard build or Python the run is skipped with the reason, or
// fails when SHOPX_REQUIRE_SERVICES=1 (CI).
import { mkdir, rm } from "node:fs/promises";

import {
  ADMIN_TOKEN_VAR,
  ARTIFACTS_DIR,
  BASE_URL_VAR,
  SCREENSHOTS_DIR,
  SKIP_VAR,
  missingPrerequisite,
  servicesRequired,
} from "./support/environment";
import { startSeededServer } from "./support/server";

export default async function globalSetup(): Promise<(() => Promise<void>) | undefined> {
  const missing = missingPrerequisite();
  if (missing) {
    if (servicesRequired()) throw new Error(`e2e: ${missing} (SHOPX_REQUIRE_SERVICES is set)`);
    console.log(`e2e skipped: ${missing}`);
    process.env[SKIP_VAR] = missing;
    return undefined;
  }
  await rm(SCREENSHOTS_DIR, { recursive: true, force: true });
  await mkdir(SCREENSHOTS_DIR, { recursive: true });
  await mkdir(ARTIFACTS_DIR, { recursive: true });

  const server = await startSeededServer();
  console.log(`e2e: seeded (scale S) in ${server.seedSeconds.toFixed(1)} s, serving ${server.baseURL}`);
  process.env[BASE_URL_VAR] = server.baseURL;
  process.env[ADMIN_TOKEN_VAR] = server.adminToken;
  return server.stop;
}
