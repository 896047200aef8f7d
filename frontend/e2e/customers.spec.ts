// The Customers page against the seeded server: its figures and tables equal the API's.
import type { Locator, Page } from "@playwright/test";

import { count, expect, gql, money, percent, test, watchGraphQL } from "./support";
import { csvRows } from "./support/csv";

interface CustomersAnswer {
  shopInfo: { name: string; currency: string };
  customerSegments: { segment: string; customerCount: number; totalRevenue: string }[];
  topCustomers: { customer: { name: string; email: string }; totalSpent: string }[];
  customerRetention: {
    activeCustomers: number;
    newCustomers: number;
    churnedCustomers: number;
    retentionRate: number | null;
  };
  cohortRetention: { cohortMonth: string; size: number; retention: (number | null)[] }[];
}

const CUSTOMERS = `
  query E2ECustomers($period: Period!, $limit: Int!, $months: Int!) {
    shopInfo { name currency }
    customerSegments { segment customerCount totalRevenue }
    topCustomers(limit: $limit, period: $period) { customer { name email } totalSpent }
    customerRetention(period: $period) {
      activeCustomers newCustomers churnedCustomers retentionRate
    }
    cohortRetention(months: $months) { cohortMonth size retention }
  }
`;

const fromApi = (period: string, limit = 25, months = 12) =>
  gql<CustomersAnswer>(CUSTOMERS, { period, limit, months });

const SEGMENTS: Record<string, string> = {
  PREMIUM: "Premium",
  REGULAR: "Regular",
  NEW: "New",
  AT_RISK: "At risk",
  CHURNED: "Churned",
};

const ratio = (value: number | null) => percent(value == null ? null : value * 100);
const monthName = (isoDate: string) =>
  new Intl.DateTimeFormat("en-US", { timeZone: "UTC", month: "short", year: "numeric" }).format(
    new Date(`${isoDate}T00:00:00Z`),
  );

const topTable = (page: Page) => page.getByRole("table", { name: /customers by amount spent/ });
const heatmap = (page: Page) => page.getByRole("table", { name: "Retention by acquisition month" });
const figure = (page: Page, name: string) => page.getByRole("article", { name, exact: true });

async function expectTopCustomers(table: Locator, api: CustomersAnswer): Promise<void> {
  const rows = table.locator("tbody tr");
  await expect(rows).toHaveCount(api.topCustomers.length);
  for (const [index, row] of api.topCustomers.entries()) {
    const line = rows.nth(index);
    await expect(line.getByRole("rowheader")).toContainText(row.customer.name);
    await expect(line.getByRole("rowheader")).toContainText(row.customer.email);
    await expect(line).toContainText(money(row.totalSpent, api.shopInfo.currency));
  }
}

test("shows retention, segments, top customers and cohorts as the API answers", async ({
  page,
}) => {
  const api = await fromApi("MONTH");
  await page.goto("/customers");
  await expect(page.getByRole("heading", { level: 1, name: "Customers" })).toBeVisible();
  await expect(page).toHaveTitle(`Customers · ${api.shopInfo.name}`);

  const retention = api.customerRetention;
  await expect(figure(page, "Active customers")).toContainText(count(retention.activeCustomers));
  await expect(figure(page, "New customers")).toContainText(count(retention.newCustomers));
  await expect(figure(page, "Churned customers")).toContainText(count(retention.churnedCustomers));
  await expect(figure(page, "Retention rate")).toContainText(ratio(retention.retentionRate));

  const segments = page.getByRole("table", { name: "Segments" });
  for (const segment of api.customerSegments) {
    const row = segments.getByRole("row", { name: new RegExp(`^${SEGMENTS[segment.segment]} `) });
    await expect(row).toContainText(count(segment.customerCount));
    await expect(row).toContainText(money(segment.totalRevenue, api.shopInfo.currency));
  }

  await expectTopCustomers(topTable(page), api);

  await expect(heatmap(page).locator("tbody tr")).toHaveCount(api.cohortRetention.length);
  const oldest = api.cohortRetention[0]!;
  const cells = heatmap(page)
    .getByRole("row", { name: new RegExp(`^${monthName(oldest.cohortMonth)} `) })
    .getByRole("cell");
  await expect(cells.nth(0)).toHaveText(count(oldest.size));
  for (const [month, value] of oldest.retention.entries()) {
    await expect(cells.nth(month + 1)).toHaveText(ratio(value));
  }
});

test("the period, list size and cohort months live in the URL and survive a reload", async ({
  page,
}) => {
  const api = await fromApi("YEAR", 50, 24);
  await page.goto("/customers");
  await page.getByRole("group", { name: "Period" }).getByRole("button", { name: "Year" }).click();
  await page.getByLabel("Show").selectOption("50");
  await page.getByLabel("Cohorts").selectOption("24");
  await expect(page).toHaveURL(/\?period=YEAR&limit=50&months=24$/);
  await expectTopCustomers(topTable(page), api);

  await page.reload();
  await expect(page.getByLabel("Show")).toHaveValue("50");
  await expect(page.getByLabel("Cohorts")).toHaveValue("24");
  await expect(
    page.getByRole("group", { name: "Period" }).getByRole("button", { name: "Year" }),
  ).toHaveAttribute("aria-pressed", "true");
  await expectTopCustomers(topTable(page), api);
  await expect(heatmap(page).locator("tbody tr")).toHaveCount(api.cohortRetention.length);
});

test("exports the top customers the table holds as CSV", async ({ page }) => {
  const api = await fromApi("YEAR", 100);
  await page.goto("/customers?period=YEAR&limit=100");
  await expectTopCustomers(topTable(page), api);

  const panel = page.getByRole("region", { name: "Top customers" });
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    panel.getByRole("button", { name: "Export CSV" }).click(),
  ]);
  expect(download.suggestedFilename()).toBe("top-customers.csv");
  const [header, ...rows] = await csvRows(download);
  expect(header?.slice(0, 5)).toEqual(["Rank", "Name", "Email", "Orders", "Spent"]);
  expect(rows.map((row) => [row[1], row[2], row[4]])).toEqual(
    api.topCustomers.map((row) => [row.customer.name, row.customer.email, row.totalSpent]),
  );
});

test("loading the Customers page is one GraphQL request", async ({ page }) => {
  const requests = watchGraphQL(page);
  await page.goto("/customers");
  await expect(heatmap(page)).toBeVisible();
  await page.waitForLoadState("networkidle");
  expect(requests.page()).toHaveLength(1);
});
