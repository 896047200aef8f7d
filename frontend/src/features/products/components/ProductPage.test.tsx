import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { CombinedError } from "urql";
import { describe, expect, it, vi } from "vitest";

import type { TimeSeriesChartProps } from "@/components/charts/TimeSeriesChart";
import type { ProductDetailQuery } from "@/gql/graphql";
import { SESSIONS } from "@/testing/session";
import { answer$, answering, failing, lastVariables, pending, renderPage } from "@/testing/urql-stub";

import { ProductPage } from "./ProductPage";

// uPlot draws on a canvas jsdom does not have: the chart shows what it was given instead.
vi.mock("@/components/charts/TimeSeriesChart", () => ({
  TimeSeriesChart: ({ title, labels, series, format }: TimeSeriesChartProps) => (
    <figure aria-label={title}>
      {series.map((s) => (
        <p key={s.label}>
          {s.label}
          {s.dashed ? " (dashed)" : ""}:{" "}
          {s.values.map((v, i) => `${labels[i]}=${v == null ? "—" : format(v)}`).join("; ")}
        </p>
      ))}
    </figure>
  ),
}));

const PRODUCT: NonNullable<ProductDetailQuery["product"]> = {
  id: "917",
  sku: "ELE-10-0000917",
  name: "Wilvale Lightweight Notebook",
  description: "Lightweight notebook by Wilvale, in Laptops.",
  brand: "Wilvale",
  isActive: true,
  sellingPrice: "114.49",
  costPrice: "59.79",
  profitMargin: 47.7771,
  stockQuantity: 15,
  reorderLevel: 35,
  category: { id: "10", name: "Laptops", parent: { id: "1", name: "Electronics" } },
  performance: {
    revenue: "253774.52",
    unitsSold: 2246,
    orderCount: 1920,
    averagePrice: "112.99",
    profit: "121246.42",
    profitMargin: 47.7772,
    growthRate: 24.8,
    revenueChange: "50376.23",
    unitsChange: -397,
    firstSaleDate: "2024-11-30T10:00:00+00:00",
    lastSaleDate: "2026-11-29T23:10:00+00:00",
  },
  trends: [
    { timestamp: "2026-01-01T00:00:00+00:00", label: "Jan 2026", value: "18431.07", previousValue: "11020.50" },
    { timestamp: "2026-02-01T00:00:00+00:00", label: "Feb 2026", value: "0.00", previousValue: null },
  ],
};

const answer = (product: ProductDetailQuery["product"]): ProductDetailQuery => ({
  shopInfo: { name: "Corner Shop", currency: "USD", timezone: "UTC" },
  product,
});

const PATH = "/products/:productId";

function open(url: string, product: ProductDetailQuery["product"] = PRODUCT) {
  const stub = answering(answer(product));
  renderPage(<ProductPage />, stub, url, PATH);
  return stub;
}

describe("ProductPage", () => {
  it("shows the period's figures to the cent against the previous period", async () => {
    const stub = open("/products/917?period=YEAR");
    expect(await screen.findByRole("heading", { level: 1, name: "Wilvale Lightweight Notebook" })).toBeInTheDocument();
    expect(lastVariables(stub)).toEqual({ id: "917", metric: "REVENUE", period: "YEAR", dateRange: null });

    const sales = screen.getByRole("article", { name: "Item sales" });
    expect(sales).toHaveTextContent("$253,774.52");
    expect(sales).toHaveTextContent("+24.8% (+$50,376.23) vs previous period");
    expect(screen.getByRole("article", { name: "Units sold" })).toHaveTextContent("-397 units vs previous period");
    expect(screen.getByRole("article", { name: "Average price" })).toHaveTextContent("$112.99");
    expect(screen.getByRole("article", { name: "Profit" })).toHaveTextContent("$121,246.42");
    expect(screen.getByRole("article", { name: "Margin" })).toHaveTextContent("47.8%");
    expect(screen.getByText(/SKU ELE-10-0000917 · Wilvale · Electronics › Laptops/)).toBeInTheDocument();
    expect(document.title).toBe("Wilvale Lightweight Notebook · Products");
  });

  it("says when nothing was sold in the previous period to compare with", async () => {
    open("/products/917", {
      ...PRODUCT,
      performance: { ...PRODUCT.performance, growthRate: null, unitsChange: 0 },
    });
    const sales = await screen.findByRole("article", { name: "Item sales" });
    expect(sales).toHaveTextContent("Nothing sold in the previous period");
    expect(screen.getByRole("article", { name: "Units sold" })).toHaveTextContent("0 units vs previous period");
  });

  it("charts the trend with the previous period dashed beside it", async () => {
    open("/products/917");
    const chart = await screen.findByRole("figure", { name: "Item sales per bucket" });
    expect(chart).toHaveTextContent("Item sales: Jan 2026=$18,431.07; Feb 2026=$0.00");
    expect(chart).toHaveTextContent("Item sales, previous period (dashed): Jan 2026=$11,020.50; Feb 2026=—");
  });

  it("keeps the trend's metric in the URL and asks for it", async () => {
    const stub = open("/products/917?period=QUARTER");
    fireEvent.change(await screen.findByRole("combobox", { name: "Metric" }), { target: { value: "MARGIN" } });
    await waitFor(() =>
      expect(lastVariables(stub)).toEqual({
        id: "917",
        metric: "MARGIN",
        period: "QUARTER",
        dateRange: null,
      }),
    );
    expect(screen.getByRole("status", { name: "location" })).toHaveTextContent(
      "?period=QUARTER&metric=MARGIN",
    );
  });

  it("shows stock against the reorder level, list prices and sale dates", async () => {
    open("/products/917");
    const stock = await screen.findByRole("region", { name: "Stock and prices" });
    expect(stock).toHaveTextContent("Low stock: 15");
    expect(stock).toHaveTextContent("Selling price$114.49");
    expect(stock).toHaveTextContent("Cost price$59.79");
    expect(stock).toHaveTextContent("First saleNov 30, 2024");
    expect(within(stock).getByRole("link", { name: "low-stock list" })).toHaveAttribute(
      "href",
      "/products?tab=low-stock",
    );
  });

  it("says so when there is no such product, with a way back", async () => {
    open("/products/424242", null);
    expect(await screen.findByRole("heading", { name: "No product with id 424242" })).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "Find it in the catalog" })).toHaveAttribute("href", "/products");
    expect(screen.queryByRole("group", { name: "Period" })).not.toBeInTheDocument();
  });

  it("treats an id the API cannot read as not found", async () => {
    const error = new CombinedError({
      graphQLErrors: [{ message: "id: 'abc' is not a valid id", extensions: { code: "BAD_USER_INPUT" } }],
    });
    const stub = vi.fn((operation) => answer$({ operation, data: answer(null), error, stale: false, hasNext: false }));
    renderPage(<ProductPage />, stub, "/products/abc", PATH);
    expect(await screen.findByRole("heading", { name: "No product with id abc" })).toBeInTheDocument();
  });

  it("shows a skeleton while loading and what to do on failure", async () => {
    const { unmount } = renderPage(<ProductPage />, pending(), "/products/1", PATH);
    expect(screen.getByLabelText("Loading the product")).toHaveAttribute("aria-busy", "true");
    unmount();
    const forbidden = new CombinedError({
      graphQLErrors: [{ message: "not allowed", extensions: { code: "FORBIDDEN" } }],
    });
    renderPage(<ProductPage />, failing(forbidden), "/products/1", PATH, SESSIONS.viewer);
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("Not allowed to read this product");
    expect(alert).toHaveTextContent("Your role (viewer) cannot read this; ask an admin");
  });
});
