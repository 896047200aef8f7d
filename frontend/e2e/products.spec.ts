// The Products pages against the seeded server: what they show equals what the API answers.
import { readFile } from "node:fs/promises";

import type { Page, Request } from "@playwright/test";

import { count, expect, gql, money, percent, test } from "./support";

interface CatalogNode {
  id: string;
  name: string;
  sku: string;
  sellingPrice: string;
  costPrice: string;
}

interface CatalogAnswer {
  shopInfo: { currency: string };
  products: { totalCount: number; edges: { node: CatalogNode }[] };
}

const CATALOG = `
  query E2ECatalog($first: Int!, $filter: ProductFilter, $sort: ProductSortInput) {
    shopInfo { currency }
    products(first: $first, filter: $filter, sort: $sort) {
      totalCount
      edges { node { id name sku sellingPrice costPrice } }
    }
  }
`;

function catalogFromApi(filter: object = {}, sort?: object, first = 5): Promise<CatalogAnswer> {
  return gql<CatalogAnswer>(CATALOG, { first, filter, sort: sort ?? null });
}

const catalogTable = (page: Page) => page.getByRole("table", { name: "Products" });
const rowCount = (page: Page) => page.getByText(/^Showing [\d,]+ of [\d,]+ products$/);
const showing = (loaded: number, total: number) => `Showing ${count(loaded)} of ${count(total)} products`;

/** The first rows of the table, in order: each row's name, SKU and price. */
async function expectFirstRows(page: Page, answer: CatalogAnswer, rows = 3): Promise<void> {
  const table = catalogTable(page);
  for (const [index, { node }] of answer.products.edges.slice(0, rows).entries()) {
    const row = table.getByRole("row").nth(index + 1);
    await expect(row.getByRole("rowheader")).toHaveText(node.name);
    await expect(row).toContainText(node.sku);
    await expect(row).toContainText(money(node.sellingPrice, answer.shopInfo.currency));
    await expect(row).toContainText(money(node.costPrice, answer.shopInfo.currency));
  }
}

test.describe("catalog", () => {
  test("renders the first page of the whole catalog, as the API sorts it", async ({ page }) => {
    const api = await catalogFromApi();
    const requests: Request[] = [];
    page.on("request", (request) => {
      // The app's own session query (once per visit) is not the view's data.
      const operation = (request.postDataJSON() as { operationName?: string } | null)?.operationName;
      if (new URL(request.url()).pathname === "/graphql" && operation !== "SessionFacts") {
        requests.push(request);
      }
    });
    await page.goto("/products");

    await expect(page.getByRole("heading", { level: 1, name: "Products" })).toBeVisible();
    await expect(rowCount(page)).toHaveText(showing(Math.min(100, api.products.totalCount), api.products.totalCount));
    await expectFirstRows(page, api);
    await page.waitForLoadState("networkidle");
    expect(requests, "the view's data is one request").toHaveLength(1);
  });

  test("search and filters narrow the table and the count is the API's totalCount", async ({ page }) => {
    await page.goto("/products");
    await expect(rowCount(page)).toBeVisible();

    await page.getByRole("searchbox", { name: "Search" }).fill("pro");
    await expect(page).toHaveURL(/[?&]q=pro(&|$)/);
    const searched = await catalogFromApi({ search: "pro" });
    await expect(rowCount(page)).toHaveText(showing(searched.products.totalCount, searched.products.totalCount));
    await expectFirstRows(page, searched);

    await page.getByRole("searchbox", { name: "Search" }).fill("");
    const category = page.getByRole("combobox", { name: "Category" });
    const firstTop = category.locator("optgroup").first().locator("option").first();
    const categoryId = (await firstTop.getAttribute("value"))!;
    await category.selectOption(categoryId);
    // click, not check(): the box follows the URL, which the router updates in a transition.
    await page.getByRole("checkbox", { name: "In stock only" }).click();
    await expect(page.getByRole("checkbox", { name: "In stock only" })).toBeChecked();
    await page.getByRole("textbox", { name: "Min price" }).fill("10");
    await page.getByRole("textbox", { name: "Max price" }).fill("100");
    await expect(page).toHaveURL(/max=100/);
    const filtered = await catalogFromApi({ categoryId, inStock: true, minPrice: "10", maxPrice: "100" });
    const loaded = Math.min(100, filtered.products.totalCount);
    await expect(rowCount(page)).toHaveText(showing(loaded, filtered.products.totalCount));
    await expectFirstRows(page, filtered);
  });

  test("the URL's filters and sort come back on reload", async ({ page }) => {
    const api = await catalogFromApi({ minPrice: "20" }, { field: "PRICE", direction: "DESC" });
    await page.goto("/products?min=20&sort=PRICE&dir=DESC");
    await expectFirstRows(page, api);
    await page.getByRole("button", { name: /^SKU/ }).click();
    await expect(page).toHaveURL(/sort=SKU&dir=DESC/);
    const bySku = await catalogFromApi({ minPrice: "20" }, { field: "SKU", direction: "DESC" });
    await expectFirstRows(page, bySku);

    await page.reload();
    await expect(page.getByRole("textbox", { name: "Min price" })).toHaveValue("20");
    await expect(page.getByRole("columnheader", { name: /^SKU/ })).toHaveAttribute("aria-sort", "descending");
    await expect(rowCount(page)).toHaveText(
      showing(Math.min(100, bySku.products.totalCount), bySku.products.totalCount),
    );
    await expectFirstRows(page, bySku);
  });

  test("scrolling to the end loads the next page", async ({ page }) => {
    const api = await catalogFromApi();
    test.skip(api.products.totalCount <= 100, "the catalog fits on one page");
    await page.goto("/products");
    await expect(rowCount(page)).toHaveText(showing(100, api.products.totalCount));
    const box = page.getByRole("region", { name: "Products (scrollable)" });
    await box.evaluate((element) => element.scrollTo(0, element.scrollHeight));
    await expect(rowCount(page)).toHaveText(showing(Math.min(200, api.products.totalCount), api.products.totalCount));
  });

  test("the CSV export holds every row of the current filter", async ({ page }) => {
    // In stock: most of the catalog, so the export fetches it page after page.
    const api = await catalogFromApi({ inStock: true }, undefined, 100);
    await page.goto("/products?stock=in");
    await expect(rowCount(page)).toContainText(`of ${count(api.products.totalCount)} products`);

    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Export CSV" }).click(),
    ]);
    expect(download.suggestedFilename()).toBe("products-filtered.csv");
    const lines = (await readFile((await download.path())!, "utf8")).replace(/^\uFEFF/, "").trim().split("\r\n");
    expect(lines[0]).toBe("Product,SKU,Category,Brand,Price,Cost,Stock,Reorder at,Active");
    expect(lines).toHaveLength(api.products.totalCount + 1);
    const first = api.products.edges[0]!.node;
    expect(lines[1]).toContain(`${first.sku},`);
    expect(lines[1]).toContain(`,${first.sellingPrice},${first.costPrice},`);
  });
});

interface TopAnswer {
  shopInfo: { currency: string };
  topProducts: { product: { name: string }; revenue: string; profit: string; profitMargin: number | null }[];
}

test("top products equal the API's ranking for the URL's period and sort", async ({ page }) => {
  const api = await gql<TopAnswer>(
    `{ shopInfo { currency }
       topProducts(limit: 10, sortBy: PROFIT_DESC, period: YEAR) {
         product { name } revenue profit profitMargin } }`,
  );
  await page.goto("/products?tab=top&sortBy=PROFIT_DESC&limit=10&period=YEAR");
  await expect(page.getByRole("link", { name: "Top products" })).toHaveAttribute("aria-current", "page");
  const table = page.getByRole("table", { name: /^Top \d+ products: profit, highest first/ });
  await expect(table.getByRole("rowheader")).toHaveCount(api.topProducts.length);
  for (const [index, row] of api.topProducts.entries()) {
    const line = table.getByRole("row").nth(index + 1);
    await expect(line.getByRole("rowheader")).toContainText(row.product.name);
    await expect(line).toContainText(money(row.revenue, api.shopInfo.currency));
    await expect(line).toContainText(money(row.profit, api.shopInfo.currency));
    await expect(line).toContainText(percent(row.profitMargin));
  }

  await page.getByRole("combobox", { name: "Rank by" }).selectOption("UNITS_ASC");
  await expect(page).toHaveURL(/sortBy=UNITS_ASC/);
  await page.reload();
  await expect(page.getByRole("combobox", { name: "Rank by" })).toHaveValue("UNITS_ASC");
  await expect(page.getByRole("group", { name: "Period" }).getByRole("button", { name: "Year" })).toHaveAttribute(
    "aria-pressed",
    "true",
  );
});

test("low stock lists the API's products running low", async ({ page }) => {
  const api = await gql<{ lowStockProducts: { product: { name: string }; stockQuantity: number }[] }>(
    "{ lowStockProducts(limit: 25) { product { name } stockQuantity } }",
  );
  await page.goto("/products?tab=low-stock");
  if (api.lowStockProducts.length === 0) {
    await expect(page.getByRole("heading", { name: "Nothing is running low" })).toBeVisible();
    return;
  }
  const table = page.getByRole("table", { name: "Products running low" });
  await expect(table.getByRole("rowheader")).toHaveCount(api.lowStockProducts.length);
  await expect(table.getByRole("rowheader")).toContainText(api.lowStockProducts.map((r) => r.product.name));
});

interface PerformanceAnswer {
  shopInfo: { currency: string };
  topProducts: { product: { id: string; name: string } }[];
}

test("a product's page shows its performance to the cent, and an unknown id says so", async ({ page }) => {
  const top = await gql<PerformanceAnswer>(
    "{ shopInfo { currency } topProducts(limit: 1, period: YEAR) { product { id name } } }",
  );
  const product = top.topProducts[0]?.product;
  test.skip(!product, "nothing sold this year");
  const { productPerformance: p } = await gql<{
    productPerformance: { revenue: string; unitsSold: number; profit: string; averagePrice: string };
  }>("query($id: ID!) { productPerformance(productId: $id, period: YEAR) { revenue unitsSold profit averagePrice } }", {
    id: product!.id,
  });
  const currency = top.shopInfo.currency;

  await page.goto(`/products/${product!.id}?period=YEAR`);
  await expect(page.getByRole("heading", { level: 1, name: product!.name })).toBeVisible();
  const figure = (label: string) => page.getByRole("article", { name: label, exact: true });
  await expect(figure("Item sales")).toContainText(money(p.revenue, currency));
  await expect(figure("Units sold")).toContainText(count(p.unitsSold));
  await expect(figure("Profit")).toContainText(money(p.profit, currency));
  await expect(figure("Average price")).toContainText(money(p.averagePrice, currency));
  await expect(page.getByRole("figure", { name: /Item sales per bucket/ })).toBeVisible();

  await page.goto("/products/999999999");
  await expect(page.getByRole("heading", { name: "No product with id 999999999" })).toBeVisible();
  await page.getByRole("link", { name: "Find it in the catalog" }).click();
  await expect(page).toHaveURL(/\/products$/);
});
