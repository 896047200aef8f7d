// The Profit page against the seeded server: its figures and margin table equal the API's
// answers, the group-by switch lives in the URL, and every export holds the table's rows.
import { readFile } from "node:fs/promises";

import type { Locator, Page } from "@playwright/test";

import { expect, gql, money, percent, test, watchGraphQL } from "./support";

type GroupBy = "CATEGORY" | "BRAND" | "DAY";

interface Totals {
  totalRevenue: string;
  totalCost: string;
  totalDiscount: string;
  totalProfit: string;
  profitMargin: number | null;
  averageOrderProfit: string;
}

interface MarginRow {
  groupId: string;
  groupName: string;
  revenue: string;
  cost: string;
  profit: string;
  margin: number | null;
  contribution: number | null;
}

interface ProfitAnswer {
  shopInfo: { name: string; currency: string };
  profitabilityMetrics: Totals;
  marginAnalysis: MarginRow[];
}

const PROFIT = `
  query E2EProfit($period: Period!, $groupBy: MarginGroupBy!, $limit: Int!) {
    shopInfo { name currency }
    profitabilityMetrics(period: $period) {
      totalRevenue totalCost totalDiscount totalProfit profitMargin averageOrderProfit
    }
    marginAnalysis(groupBy: $groupBy, period: $period, limit: $limit) {
      groupId groupName revenue cost profit margin contribution
    }
  }
`;

function profitFromApi(groupBy: GroupBy, limit = 20, period = "MONTH"): Promise<ProfitAnswer> {
  return gql<ProfitAnswer>(PROFIT, { period, groupBy, limit });
}

const totals = (page: Page) => page.getByRole("region", { name: "Profit totals" });
const marginSection = (page: Page, label: string) =>
  page.getByRole("region", { name: `Margin by ${label}` });

async function expectTotals(page: Page, { shopInfo, profitabilityMetrics: t }: ProfitAnswer) {
  const expected: [string, string][] = [
    ["Revenue", money(t.totalRevenue, shopInfo.currency)],
    ["Cost", money(t.totalCost, shopInfo.currency)],
    ["Discounts", money(t.totalDiscount, shopInfo.currency)],
    ["Profit", money(t.totalProfit, shopInfo.currency)],
    ["Profit margin", percent(t.profitMargin)],
    ["Profit per order", money(t.averageOrderProfit, shopInfo.currency)],
  ];
  for (const [label, text] of expected) {
    const card = totals(page).getByRole("article", { name: label, exact: true });
    await expect(card.getByText(text, { exact: true }), `${label} shows ${text}`).toBeVisible();
  }
}

/** Every group's row shows the API's sales, cost, profit and margin, in the API's order. */
async function expectMarginRows(table: Locator, { shopInfo, marginAnalysis }: ProfitAnswer) {
  await expect(table.getByRole("rowheader")).toHaveCount(marginAnalysis.length);
  for (const [index, row] of marginAnalysis.entries()) {
    const cells = [row.revenue, row.cost, row.profit].map((amount) => money(amount, shopInfo.currency));
    const line = table.getByRole("row").nth(index + 1);
    await expect(line).toContainText([...cells, percent(row.margin)].join(""));
  }
}

test("shows this month's profit totals and margin by category to the cent", async ({ page }) => {
  const api = await profitFromApi("CATEGORY");
  await page.goto("/profit");
  await expect(page.getByRole("heading", { level: 1, name: "Profit" })).toBeVisible();
  await expect(page).toHaveTitle(`Profit · ${api.shopInfo.name}`);
  await expectTotals(page, api);
  const section = marginSection(page, "category");
  await expect(section.getByLabel("Group by")).toHaveValue("CATEGORY");
  await expectMarginRows(section.getByRole("table"), api);
  await expect(page.getByRole("table", { name: "Profit by customer segment" })).toBeVisible();
  await expect(page.getByRole("table", { name: "Most profitable products" })).toBeVisible();
  await expect(page.getByText(/^Data as of /)).toBeVisible();
});

test("the group-by switch changes the URL and the rows, and a reload restores it", async ({
  page,
}) => {
  // Ten rows: a longer table renders only the rows in view.
  const brands = await profitFromApi("BRAND", 10, "YEAR");
  await page.goto("/profit?period=YEAR");
  await marginSection(page, "category").getByLabel("Group by").selectOption("BRAND");
  await marginSection(page, "brand").getByLabel("Show").selectOption("10");
  await expect(page).toHaveURL(/[?&]by=BRAND(&|$)/);
  await expect(page).toHaveURL(/[?&]top=10(&|$)/);
  await expectMarginRows(marginSection(page, "brand").getByRole("table"), brands);

  await page.reload();
  const section = marginSection(page, "brand");
  await expect(section.getByLabel("Group by")).toHaveValue("BRAND");
  await expect(section.getByLabel("Show")).toHaveValue("10");
  await expect(page.getByRole("button", { name: "Year" })).toHaveAttribute("aria-pressed", "true");
  await expectMarginRows(section.getByRole("table"), brands);
});

test("days are charted in time order", async ({ page }) => {
  const days = await profitFromApi("DAY", 100);
  await page.goto("/profit?period=MONTH&by=DAY");
  const section = marginSection(page, "day");
  await expect(section.getByText("Revenue, cost and profit per day", { exact: true })).toBeVisible();
  await expect(section.getByText("Margin per day", { exact: true })).toBeVisible();
  const dates = days.marginAnalysis.map((row) => row.groupId).sort();
  // "All 1 day" on the first of the month.
  await expect(section.getByRole("table", { name: /days?$/ }).getByRole("rowheader").first()).toHaveText(
    dates[0] ?? "",
  );
});

/** RFC 4180, formulas defused as the app does, for the expected file. */
function csvCell(value: string | number | null): string {
  if (value === null) return "";
  let text = String(value);
  if (typeof value !== "number" && /^[=+\-@\t\r]/.test(text) && !/^-?\d+(\.\d+)?$/.test(text)) {
    text = `'${text}`;
  }
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

test("the margin table exports all its rows as CSV, exact amounts", async ({ page }) => {
  const api = await profitFromApi("CATEGORY");
  await page.goto("/profit?period=MONTH&by=CATEGORY");
  const section = marginSection(page, "category");
  await expect(section.getByRole("table")).toBeVisible();
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    section.getByRole("button", { name: "Export CSV" }).click(),
  ]);
  expect(download.suggestedFilename()).toBe("profit-by-category-month.csv");
  const text = await readFile(await download.path(), "utf8");
  const lines = text.replace(/^\uFEFF/, "").split("\r\n").filter(Boolean);
  expect(lines[0]).toBe("Category,Item sales,Cost,Profit,Margin,Share of profit");
  expect(lines.slice(1)).toEqual(
    api.marginAnalysis.map((row) =>
      [row.groupName, row.revenue, row.cost, row.profit, row.margin, row.contribution]
        .map(csvCell)
        .join(","),
    ),
  );
});

test("loading the Profit page is one GraphQL request", async ({ page }) => {
  const api = await profitFromApi("CATEGORY");
  const requests = watchGraphQL(page);
  await page.goto("/profit");
  await expectTotals(page, api);
  await page.waitForLoadState("networkidle");
  const sent = requests.page().map((request) => request.postData() ?? "");
  expect(sent).toHaveLength(1);
  for (const field of ["shopInfo", "profitabilityMetrics", "marginAnalysis"]) {
    expect(sent[0]).toContain(field);
  }
});
