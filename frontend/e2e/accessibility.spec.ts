// Every page against axe-core's WCAG 2.1 A and AA rules (contrast, labels, names, roles,
// landmarks), with data on it: a page that fails one of them fails the run.
import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";

import { expect, runJob, signIn, test, USERS } from "./support";

// Reports and alerts to list: the pages are checked with their data, not their empty states.
test.beforeAll(async () => {
  for (const job of ["reports", "low-stock"]) {
    const run = await runJob(job);
    expect(run.outcome, `${job}: ${run.error ?? ""}`).toBe("SUCCEEDED");
  }
});

async function axeViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
    .analyze();
  return results.violations.map(
    (v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")}`,
  );
}

const PAGES = [
  { path: "/?period=YEAR", ready: (page: Page) => page.getByRole("article", { name: "Revenue" }) },
  { path: "/products", ready: (page: Page) => page.getByRole("searchbox", { name: "Search" }) },
  { path: "/products?tab=top&period=YEAR", ready: (page: Page) => page.getByRole("table").first() },
  { path: "/products?tab=low", ready: (page: Page) => page.getByRole("table").first() },
  { path: "/products/1?period=YEAR", ready: (page: Page) => page.getByRole("heading", { level: 1 }) },
  { path: "/customers?period=YEAR", ready: (page: Page) => page.getByRole("table").first() },
  { path: "/reps?period=YEAR", ready: (page: Page) => page.getByRole("table").first() },
  { path: "/reps/1?period=YEAR", ready: (page: Page) => page.getByRole("heading", { level: 1 }) },
  { path: "/profit?period=YEAR", ready: (page: Page) => page.getByRole("table").first() },
  { path: "/system", ready: (page: Page) => page.getByRole("heading", { level: 1 }) },
  { path: "/reports", ready: (page: Page) => page.getByRole("table", { name: "Daily reports" }) },
  { path: "/reports?kind=monthly", ready: (page: Page) => page.getByRole("tabpanel", { name: "Monthly" }) },
  { path: "/alerts?show=all", ready: (page: Page) => page.getByRole("heading", { level: 1, name: "Alerts" }) },
  { path: "/import", ready: (page: Page) => page.getByRole("heading", { name: "Google Sheets" }) },
  { path: "/login", ready: (page: Page) => page.getByLabel("Email") },
];

for (const { path, ready } of PAGES) {
  test(`${path} meets WCAG 2.1 AA (axe)`, async ({ page }) => {
    await page.goto(path);
    await expect(ready(page)).toBeVisible();
    await page.waitForLoadState("networkidle");
    expect(await axeViolations(page)).toEqual([]);
  });
}

test("/system with the background jobs (an admin's, a job opened) meets WCAG 2.1 AA (axe)", async ({ page }) => {
  await page.goto("/login?next=%2Fsystem");
  await signIn(page, USERS.admin);
  await expect(page.getByRole("table", { name: "Background jobs" })).toBeVisible();
  await page.getByRole("button", { name: "reports", exact: true }).click();
  await expect(page.getByRole("table", { name: "Recent runs of reports" })).toBeVisible();
  await page.waitForLoadState("networkidle");
  expect(await axeViolations(page)).toEqual([]);
});

test("/import with the upload and a report (an admin's) meets WCAG 2.1 AA (axe)", async ({ page }) => {
  await page.goto("/login?next=%2Fimport");
  await signIn(page, USERS.admin);
  await page.getByRole("checkbox", { name: /Dry run/ }).check();
  await page.getByLabel("Sales CSV file").setInputFiles({
    name: "axe.csv",
    mimeType: "text/csv",
    buffer: Buffer.from("date,product_name,amount\n2019-02-01,Axe Widget,5.00\n2019-02-02,Axe Widget,x\n"),
  });
  await expect(page.getByRole("table", { name: "Row errors" })).toBeVisible();
  await page.getByText("Private sheet (service account)").click();
  await page.waitForLoadState("networkidle");
  expect(await axeViolations(page)).toEqual([]);
});
