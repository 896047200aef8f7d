import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { getOperationName } from "urql";
import { beforeEach, describe, expect, it, vi } from "vitest";

import type { LowStockQuery, TopProductsQuery } from "@/gql/graphql";
import { downloadCsv } from "@/lib/csv";
import { answering, queriesOf, renderPage } from "@/testing/urql-stub";

import { ProductsPage } from "./ProductsPage";

const SHOP = { name: "Corner Shop", currency: "USD", timezone: "UTC" };

const TOP: TopProductsQuery = {
  shopInfo: SHOP,
  topProducts: [
    {
      rank: 1,
      revenue: "28130.08",
      unitsSold: 246,
      orderCount: 201,
      profit: "13439.51",
      profitMargin: 47.7773,
      growthRate: -3.25,
      product: { id: "917", name: "Wilvale Lightweight Notebook", sku: "ELE-10-0000917", brand: "Wilvale" },
    },
    {
      rank: 2,
      revenue: "0.10",
      unitsSold: 1,
      orderCount: 1,
      profit: "-0.05",
      profitMargin: null,
      growthRate: null,
      product: { id: "4", name: "Paper Clip", sku: "OFF-1", brand: null },
    },
  ],
};

const LOW: LowStockQuery = {
  shopInfo: SHOP,
  lowStockProducts: [
    {
      stockQuantity: 15,
      reorderLevel: 35,
      unitsSoldLast30Days: 258,
      dailySalesRate: 8.6,
      daysOfStockLeft: 1.74,
      product: { id: "917", name: "Wilvale Lightweight Notebook", sku: "ELE-10-0000917", brand: "Wilvale" },
    },
    {
      stockQuantity: 0,
      reorderLevel: 5,
      unitsSoldLast30Days: 1,
      dailySalesRate: 0.0333,
      daysOfStockLeft: 0,
      product: { id: "786", name: "Belist Vintage Card Game", sku: "TOY-37-0000786", brand: "Belist" },
    },
    {
      stockQuantity: 2,
      reorderLevel: 10,
      unitsSoldLast30Days: 0,
      dailySalesRate: 0,
      daysOfStockLeft: null,
      product: { id: "5", name: "Quiet Lamp", sku: "HOM-5", brand: null },
    },
  ],
};

const api = () =>
  answering((operation) => (getOperationName(operation.query) === "TopProducts" ? TOP : LOW));

const location = () => screen.getByRole("status", { name: "location" });

vi.mock("@/lib/csv", async (original) => ({
  ...(await original<typeof import("@/lib/csv")>()),
  downloadCsv: vi.fn(),
}));

beforeEach(() => vi.mocked(downloadCsv).mockClear());

const lastDownload = () => vi.mocked(downloadCsv).mock.lastCall!;

describe("ProductsPage: top products", () => {
  it("ranks by the URL's sort, limit and period and offers every sort the API has", async () => {
    const stub = api();
    renderPage(<ProductsPage />, stub, "/products?tab=top&sortBy=MARGIN_ASC&limit=50&period=YEAR", "/products");
    await screen.findByRole("table", { name: /Top 2 products: margin, lowest first \(Year\)/ });
    expect(queriesOf(stub, "TopProducts")[0]?.variables).toEqual({
      limit: 50,
      sortBy: "MARGIN_ASC",
      period: "YEAR",
      dateRange: null,
    });
    const sort = screen.getByRole("combobox", { name: "Rank by" });
    expect(within(sort).getAllByRole("option").map((o) => (o as HTMLOptionElement).value)).toEqual([
      "REVENUE_DESC",
      "REVENUE_ASC",
      "PROFIT_DESC",
      "PROFIT_ASC",
      "UNITS_DESC",
      "UNITS_ASC",
      "MARGIN_DESC",
      "MARGIN_ASC",
      "GROWTH_DESC",
    ]);
    expect(screen.getByRole("link", { name: "Top products" })).toHaveAttribute("aria-current", "page");

    fireEvent.change(sort, { target: { value: "GROWTH_DESC" } });
    fireEvent.click(screen.getByRole("button", { name: "This month" }));
    await waitFor(() =>
      expect(queriesOf(stub, "TopProducts").at(-1)?.variables).toEqual({
        limit: 50,
        sortBy: "GROWTH_DESC",
        period: "MONTH",
        dateRange: null,
      }),
    );
    expect(location()).toHaveTextContent("?tab=top&sortBy=GROWTH_DESC&limit=50&period=MONTH");
  });

  it("shows item sales and profit to the cent, and growth with its sign", async () => {
    renderPage(<ProductsPage />, api(), "/products?tab=top", "/products");
    const table = await screen.findByRole("table", { name: /Top 2 products/ });
    const notebook = within(table).getByRole("rowheader", { name: /Wilvale Lightweight Notebook/ }).closest("tr")!;
    expect(notebook).toHaveTextContent("$28,130.08");
    expect(notebook).toHaveTextContent("$13,439.51");
    expect(notebook).toHaveTextContent("47.8%");
    expect(notebook).toHaveTextContent("-3.3%");
    const clip = within(table).getByRole("rowheader", { name: /Paper Clip/ }).closest("tr")!;
    expect(clip).toHaveTextContent("$0.10");
    expect(clip).toHaveTextContent("-$0.05");
    expect(within(notebook).getByRole("link")).toHaveAttribute("href", "/products/917");
  });

  it("exports the ranked rows with raw values", async () => {
    renderPage(<ProductsPage />, api(), "/products?tab=top", "/products");
    await screen.findByRole("table", { name: /Top 2 products/ });
    fireEvent.click(screen.getByRole("button", { name: "Export CSV" }));
    await waitFor(() => expect(downloadCsv).toHaveBeenCalledTimes(1));
    expect(lastDownload()[0]).toBe("top-products-month.csv");
    expect(lastDownload()[1]).toBe(
      "#,Product,SKU,Item sales,Units,Orders,Profit,Margin,Growth\r\n" +
        "1,Wilvale Lightweight Notebook,ELE-10-0000917,28130.08,246,201,13439.51,47.7773,-3.25\r\n" +
        "2,Paper Clip,OFF-1,0.10,1,1,-0.05,,\r\n",
    );
  });
});

describe("ProductsPage: low stock", () => {
  it("lists stock against the reorder level with days left at the recent rate", async () => {
    const stub = api();
    renderPage(<ProductsPage />, stub, "/products?tab=low-stock&limit=10", "/products");
    const table = await screen.findByRole("table", { name: "Products running low" });
    expect(queriesOf(stub, "LowStock")[0]?.variables).toEqual({ limit: 10 });
    const notebook = within(table).getByRole("rowheader", { name: /Wilvale Lightweight Notebook/ }).closest("tr")!;
    expect(notebook).toHaveTextContent("Low stock: 15");
    expect(notebook).toHaveTextContent("8.60");
    expect(notebook).toHaveTextContent("1.7");
    const game = within(table).getByRole("rowheader", { name: /Belist Vintage Card Game/ }).closest("tr")!;
    expect(game).toHaveTextContent("None left");
    const lamp = within(table).getByRole("rowheader", { name: /Quiet Lamp/ }).closest("tr")!;
    expect(lamp).toHaveTextContent("No sales in 30 days");
    expect(screen.getByText("3 products running low")).toBeInTheDocument();
  });

  it("exports every row with its SKU", async () => {
    renderPage(<ProductsPage />, api(), "/products?tab=low-stock", "/products");
    await screen.findByRole("table", { name: "Products running low" });
    fireEvent.click(screen.getByRole("button", { name: "Export CSV" }));
    await waitFor(() => expect(downloadCsv).toHaveBeenCalledTimes(1));
    expect(lastDownload()[1]).toBe(
      "Product,SKU,Stock,Reorder at,\"Sold, last 30 days\",Per day,Days of stock left\r\n" +
        "Wilvale Lightweight Notebook,ELE-10-0000917,15,35,258,8.6,1.74\r\n" +
        "Belist Vintage Card Game,TOY-37-0000786,0,5,1,0.0333,0\r\n" +
        "Quiet Lamp,HOM-5,2,10,0,0,\r\n",
    );
  });
});
