// The e2e `test`: every spec imports { test, expect } from "./support" instead of
// "@playwright/test". On top of Playwright's fixtures it
//   - skips every test, with the reason, when the global setup found no Chromium, build
//     or Python (CI fails in the setup instead);
//   - points baseURL at the seeded server the global setup started;
//   - fails a test on any console error or warning and on any uncaught page error
//     (`allowConsole` lets a spec that provokes one on purpose name it: a RegExp, or
//     consoleAllowing(...) for several);
//   - saves a full-page screenshot of every test's page to e2e-artifacts/screenshots/;
//   - offers newPage() for a further page in a fresh browser context (a first visit: no
//     cache, no cookies), watched for console problems like `page`.
import { mkdir } from "node:fs/promises";
import path from "node:path";

import {
  test as base,
  expect,
  type BrowserContext,
  type Page,
  type TestInfo,
} from "@playwright/test";

import { SCREENSHOTS_DIR, SKIP_VAR } from "./environment";
import { serverURL } from "./gql";

declare const several: unique symbol;
/** Several console patterns, as consoleAllowing() makes them. */
export type ConsolePatterns = readonly RegExp[] & { readonly [several]: true };

/**
 * Several patterns for ``test.use({ allowConsole: consoleAllowing(/a/, /b/) })``. Playwright
 * reads an array given to test.use as a fixture tuple, [value, options]: a bare [/a/, /b/]
 * would allow /a/ only (/b/ taken for the options), so the patterns go in such a tuple. One
 * pattern needs no helper: ``allowConsole: /a/``.
 */
export function consoleAllowing(...patterns: RegExp[]): [ConsolePatterns, { scope: "test" }] {
  return [patterns as readonly RegExp[] as ConsolePatterns, { scope: "test" }];
}

export interface E2EFixtures {
  /**
   * Console messages (errors, warnings) and page errors a test expects, matched by text: one
   * RegExp, or several through consoleAllowing() (a bare array does not type-check: see there).
   */
  allowConsole: RegExp | ConsolePatterns;
  /** Skips the test when the harness cannot run here; set up before any browser. */
  harness: void;
  /** A further page in its own new browser context, closed after the test. */
  newPage: () => Promise<Page>;
  /** What the watched pages reported; the test fails at the end unless it is empty. */
  consoleProblems: string[];
}

/** Collects what the page reports as going wrong: console errors and warnings, page errors. */
function watchForProblems(page: Page, allowed: RegExp | ConsolePatterns, problems: string[]): void {
  const patterns: readonly RegExp[] = allowed instanceof RegExp ? [allowed] : allowed;
  const report = (kind: string, text: string) => {
    if (!patterns.some((pattern) => pattern.test(text))) problems.push(`${kind}: ${text}`);
  };
  page.on("console", (message) => {
    const type = message.type();
    if (type !== "error" && type !== "warning") return;
    const { url, lineNumber } = message.location();
    report(`console.${type}`, url ? `${message.text()} (${url}:${lineNumber})` : message.text());
  });
  page.on("pageerror", (error) => report("page error", error.stack ?? error.message));
}

/** e2e-artifacts/screenshots/<spec>--<describe>--<title>.png */
function screenshotPath(testInfo: TestInfo): string {
  const [file = "test", ...titles] = testInfo.titlePath;
  const slug = [path.basename(file).replace(/\.spec\.ts$/, ""), ...titles]
    .map((part) => part.replace(/[^A-Za-z0-9]+/g, "-").replace(/^-|-$/g, "").toLowerCase())
    .join("--");
  const retry = testInfo.retry ? `-retry${testInfo.retry}` : "";
  return path.join(SCREENSHOTS_DIR, `${slug.slice(0, 180)}${retry}.png`);
}

async function saveScreenshot(page: Page, testInfo: TestInfo): Promise<void> {
  if (page.isClosed()) return;
  const file = screenshotPath(testInfo);
  await mkdir(path.dirname(file), { recursive: true });
  try {
    await page.screenshot({ path: file, fullPage: true });
  } catch (error) {
    console.warn(`e2e: no screenshot for "${testInfo.title}": ${String(error)}`);
    return;
  }
  await testInfo.attach("screenshot", { path: file, contentType: "image/png" });
}

export const test = base.extend<E2EFixtures>({
  allowConsole: [consoleAllowing()[0], { option: true }],

  harness: [
    async ({}, use, testInfo) => {
      const reason = process.env[SKIP_VAR];
      testInfo.skip(Boolean(reason), `e2e skipped: ${reason}`);
      await use();
    },
    { auto: true },
  ],

  baseURL: async ({ harness }, use) => {
    void harness; // only after the skip check: a skipped run has no server
    await use(serverURL());
  },

  consoleProblems: async ({}, use) => {
    const problems: string[] = [];
    await use(problems);
    expect(problems, "console errors or warnings, or page errors, on a page").toEqual([]);
  },

  page: async ({ page, allowConsole, consoleProblems }, use, testInfo) => {
    watchForProblems(page, allowConsole, consoleProblems);
    await use(page);
    await saveScreenshot(page, testInfo);
  },

  newPage: async (
    { browser, baseURL, locale, timezoneId, viewport, allowConsole, consoleProblems },
    use,
  ) => {
    const contexts: BrowserContext[] = [];
    await use(async () => {
      const context = await browser.newContext({ baseURL, locale, timezoneId, viewport });
      contexts.push(context);
      const page = await context.newPage();
      watchForProblems(page, allowConsole, consoleProblems);
      return page;
    });
    await Promise.all(contexts.map((context) => context.close()));
  },
});

export { expect };
