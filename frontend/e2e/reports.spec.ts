// The Reports page against the seeded server, once the reports job has stored the closed
// periods' reports: the list the API gives, its tabs, and the files downloaded with the token.
import { readFile } from "node:fs/promises";

import { expect, gql, money, runJob, test, watchGraphQL } from "./support";

interface ReportsAnswer {
  shopInfo: { currency: string };
  reports: {
    totalCount: number;
    edges: { node: { id: string; periodStart: string; revenue: string; orders: number; csvUrl: string } }[];
  };
}

const REPORTS = `query Reports($kind: ReportKind!) {
  shopInfo { currency }
  reports(kind: $kind, first: 20) { totalCount edges { node { id periodStart revenue orders csvUrl } } }
}`;

test.beforeAll(async () => {
  const run = await runJob("reports");
  expect(run.outcome, run.error ?? "").toBe("SUCCEEDED");
});

test("lists the daily reports the API has, latest first, with their revenue", async ({ page }) => {
  const api = await gql<ReportsAnswer>(REPORTS, { kind: "DAILY" });
  expect(api.reports.totalCount).toBeGreaterThan(0);
  const requests = watchGraphQL(page);
  await page.goto("/reports");
  const table = page.getByRole("table", { name: "Daily reports" });
  await expect(table).toBeVisible();
  await page.waitForLoadState("networkidle");
  expect(requests.page(), "the page's data is one request").toHaveLength(1);
  const rows = table.locator("tbody tr");
  await expect(rows).toHaveCount(api.reports.edges.length);
  const first = api.reports.edges[0]!.node;
  await expect(rows.first()).toContainText(money(first.revenue, api.shopInfo.currency));
  await expect(page.getByText(`of ${api.reports.totalCount} daily reports`)).toBeVisible();
});

test("the kind tabs keep the kind in the URL", async ({ page }) => {
  const api = await gql<ReportsAnswer>(REPORTS, { kind: "MONTHLY" });
  await page.goto("/reports");
  await page.getByRole("tab", { name: "Monthly" }).click();
  await expect(page).toHaveURL(/[?&]kind=monthly(&|$)/);
  if (api.reports.totalCount === 0) {
    await expect(page.getByRole("heading", { name: "No monthly reports yet" })).toBeVisible();
  } else {
    const table = page.getByRole("table", { name: "Monthly reports" });
    await expect(table.locator("tbody tr")).toHaveCount(api.reports.edges.length);
  }
  await page.reload();
  await expect(page.getByRole("tab", { name: "Monthly" })).toHaveAttribute("aria-selected", "true");
});

test("a report's CSV holds its revenue as the API gives it", async ({ page }) => {
  const api = await gql<ReportsAnswer>(REPORTS, { kind: "DAILY" });
  const first = api.reports.edges[0]!.node;
  await page.goto("/reports");
  const row = page.getByRole("table", { name: "Daily reports" }).locator("tbody tr").first();
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    row.getByRole("button", { name: /^CSV of the report for / }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(new RegExp(`^shopx-daily-${first.periodStart}\\.csv$`));
  const text = (await readFile(await download.path(), "utf8")).replace(/^\uFEFF/, "");
  const revenueLine = text.split(/\r?\n/).find((line) => line.toLowerCase().startsWith("revenue"));
  expect(revenueLine?.split(",")[1]).toBe(first.revenue);
});

test("a report's HTML opens in a new tab", async ({ page }) => {
  const api = await gql<ReportsAnswer>(REPORTS, { kind: "DAILY" });
  await page.goto("/reports");
  const row = page.getByRole("table", { name: "Daily reports" }).locator("tbody tr").first();
  const [tab] = await Promise.all([
    page.context().waitForEvent("page"),
    row.getByRole("button", { name: /^HTML of the report for / }).click(),
  ]);
  await tab.waitForURL(/^blob:/);
  await expect(tab.locator("body")).toContainText(money(api.reports.edges[0]!.node.revenue, api.shopInfo.currency));
  await tab.close();
});
