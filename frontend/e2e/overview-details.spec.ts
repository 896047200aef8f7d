// The Overview beyond its key figures: the comparison toggle, the breakdowns and their CSV
// exports, and live updates when an order is written through the API.
import { readFile } from "node:fs/promises";

import type { Page } from "@playwright/test";

import { adminToken, count, expect, gql, money, test } from "./support";

const LOCALE = "en-US";

/** A change in percent as the cards show it: 12.345 -> "+12.3%". */
function signedPercent(value: number): string {
  return new Intl.NumberFormat(LOCALE, {
    style: "percent",
    minimumFractionDigits: 1,
    maximumFractionDigits: 1,
    signDisplay: "exceptZero",
  }).format(value / 100);
}

/** An API decimal as a signed amount: "-12.50" -> "-$12.50". */
function signedMoney(amount: string, currency: string): string {
  return new Intl.NumberFormat(LOCALE, {
    style: "currency",
    currency,
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
    signDisplay: "exceptZero",
  }).format(amount as Intl.StringNumericLiteral);
}

/** One CSV cell as RFC 4180 writes it (names may hold commas or quotes). */
function csvCell(value: string | number): string {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

const card = (page: Page, name: string) =>
  page.getByRole("region", { name: "Key figures" }).getByRole("article", { name, exact: true });
const liveStatus = (page: Page) => page.getByRole("status").filter({ hasText: /^Live$/ });

interface Compared {
  shopInfo: { currency: string };
  salesOverview: {
    totalRevenue: string;
    revenueChange: string;
    revenueChangePercentage: number | null;
    totalOrders: number;
  };
}

const COMPARED = `
  query E2ECompared($period: Period!, $compareTo: Comparison!) {
    shopInfo { currency }
    salesOverview(period: $period, compareTo: $compareTo) {
      totalRevenue revenueChange revenueChangePercentage totalOrders
    }
  }
`;

test("the comparison toggle compares with the previous year, in the URL and after a reload", async ({
  page,
}) => {
  // A year, not a month: on the first of a month the month's trend has one day to chart.
  const api = await gql<Compared>(COMPARED, { period: "YEAR", compareTo: "PREVIOUS_YEAR" });
  const { currency } = api.shopInfo;
  const o = api.salesOverview;
  await page.goto("/?period=YEAR");
  await expect(card(page, "Revenue").getByText(money(o.totalRevenue, currency), { exact: true })).toBeVisible();

  await page.getByRole("group", { name: "Compare with" }).getByRole("button", { name: "vs previous year" }).click();
  await expect(page).toHaveURL(/[?&]compare=year(&|$)/);
  const change =
    o.revenueChangePercentage == null
      ? "No comparison"
      : `${signedPercent(o.revenueChangePercentage)} (${signedMoney(o.revenueChange, currency)}) vs previous year`;
  await expect(card(page, "Revenue")).toContainText(change);
  await expect(page.getByText("Revenue, previous year", { exact: true }).first()).toBeAttached();

  await page.reload();
  await expect(page.getByRole("button", { name: "vs previous year" })).toHaveAttribute("aria-pressed", "true");
  await expect(card(page, "Revenue")).toContainText(change);
});

interface Breakdowns {
  shopInfo: { currency: string };
  categoryBreakdown: { category: { name: string }; revenue: string }[];
  regionalPerformance: { region: string; revenue: string; profit: string }[];
}

test("category shares and regions equal the API's", async ({ page }) => {
  const api = await gql<Breakdowns>(`
    query E2EBreakdowns {
      shopInfo { currency }
      categoryBreakdown(period: YEAR) { category { name } revenue }
      regionalPerformance(period: YEAR) { region revenue profit }
    }
  `);
  const { currency } = api.shopInfo;
  await page.goto("/?period=YEAR");

  const categories = page.getByRole("region", { name: "Category share" }).getByRole("listitem");
  await expect(categories).toHaveCount(api.categoryBreakdown.length);
  for (const [index, row] of api.categoryBreakdown.entries()) {
    await expect(categories.nth(index)).toContainText(row.category.name);
    await expect(categories.nth(index)).toContainText(money(row.revenue, currency));
  }

  const regions = page.getByRole("table", { name: "Regions" });
  await expect(regions.getByRole("rowheader")).toHaveText(api.regionalPerformance.map((r) => r.region));
  for (const row of api.regionalPerformance) {
    const line = regions.getByRole("row").filter({ has: page.getByRole("rowheader", { name: row.region, exact: true }) });
    await expect(line).toContainText(money(row.revenue, currency));
    await expect(line).toContainText(money(row.profit, currency));
  }
});

interface TopProducts {
  topProducts: {
    rank: number;
    revenue: string;
    unitsSold: number;
    product: { name: string; sku: string };
  }[];
}

test("Export CSV downloads the top products' rows with their exact amounts", async ({ page }) => {
  const api = await gql<TopProducts>(`
    query E2ETopProducts {
      topProducts(limit: 5, period: YEAR) { rank revenue unitsSold product { name sku } }
    }
  `);
  await page.goto("/?period=YEAR");
  const panel = page.getByRole("region", { name: "Top products" });
  await expect(panel.getByRole("rowheader")).toHaveCount(api.topProducts.length);

  const [download] = await Promise.all([
    page.waitForEvent("download"),
    panel.getByRole("button", { name: "Export CSV" }).click(),
  ]);
  expect(download.suggestedFilename()).toBe("top-products-year.csv");
  const csv = (await readFile(await download.path(), "utf8")).replace(/^\uFEFF/, "");
  const lines = csv.split("\r\n").filter(Boolean);
  expect(lines[0]).toBe("#,Product,SKU,Item sales,Units,Margin %,Growth %");
  expect(lines).toHaveLength(api.topProducts.length + 1);
  for (const [index, row] of api.topProducts.entries()) {
    const start = [row.rank, row.product.name, row.product.sku, row.revenue, row.unitsSold]
      .map(csvCell)
      .join(",");
    expect(lines[index + 1]?.startsWith(`${start},`), `line ${index + 1}: ${lines[index + 1]}`).toBe(true);
  }
});

interface Today {
  salesOverview: { totalOrders: number; totalRevenue: string };
  shopInfo: { currency: string };
}

const TODAY = `
  query E2EToday {
    shopInfo { currency }
    salesOverview(period: TODAY) { totalOrders totalRevenue }
  }
`;

interface Ingredients {
  customers: { edges: { node: { id: string } }[] };
  products: { edges: { node: { id: string } }[] };
}

test("a new order shows up live: numbers update in place, highlighted, without polling or a reload", async ({
  page,
}) => {
  const before = await gql<Today>(TODAY);
  await page.goto("/?period=TODAY");
  const orders = card(page, "Orders");
  await expect(orders.getByText(count(before.salesOverview.totalOrders), { exact: true })).toBeVisible();
  await expect(liveStatus(page)).toBeVisible();

  // From here on, the only request may be the one a push causes.
  const requests: string[] = [];
  page.on("request", (request) => {
    const isGraphQL = new URL(request.url()).pathname === "/graphql";
    if (isGraphQL && request.resourceType() !== "websocket") requests.push(request.method());
  });
  await page.evaluate(() => Object.assign(window, { e2eSamePage: true }));

  const { customers, products } = await gql<Ingredients>(`
    query E2EIngredients {
      customers(first: 1, filter: { isActive: true }) { edges { node { id } } }
      products(first: 1, filter: { isActive: true, inStock: true }) { edges { node { id } } }
    }
  `);
  const customerId = customers.edges[0]?.node.id;
  const productId = products.edges[0]?.node.id;
  if (!customerId || !productId) throw new Error("the seeded data has no active customer or product in stock");
  await gql(
    `mutation E2EOrder($input: CreateOrderInput!) { createOrder(input: $input) { id } }`,
    { input: { customerId, items: [{ productId, quantity: 1 }], status: "COMPLETED" } },
    adminToken(),
  );
  const after = await gql<Today>(TODAY);
  expect(after.salesOverview.totalOrders).toBe(before.salesOverview.totalOrders + 1);

  const updated = orders.getByText(count(after.salesOverview.totalOrders), { exact: true });
  await expect(updated).toBeVisible();
  await expect(updated).toHaveAttribute("data-updated", "true");
  await expect(
    card(page, "Revenue").getByText(money(after.salesOverview.totalRevenue, after.shopInfo.currency), {
      exact: true,
    }),
  ).toBeVisible();
  expect(requests).toEqual(["POST"]);
  expect(await page.evaluate(() => "e2eSamePage" in window)).toBe(true);
});
