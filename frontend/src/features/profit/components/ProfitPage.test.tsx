import { fireEvent, screen, within } from "@testing-library/react";
import { CombinedError, type Operation } from "urql";
import { beforeEach, describe, expect, it, vi, type Mock } from "vitest";
import { never } from "wonka";

import type { MarginGroupBy, ProfitQuery, ProfitQueryVariables } from "@/gql/graphql";
import { downloadCsv } from "@/lib/csv";
import type { SessionState } from "@/hooks/use-session";
import { SESSIONS } from "@/testing/session";
import { answer$, renderPage } from "@/testing/urql-stub";

import { ProfitPage } from "./ProfitPage";

// uPlot draws on a canvas jsdom does not have: the chart shows its labels and values instead.
vi.mock("@/components/charts/TimeSeriesChart", () => ({
  TimeSeriesChart: ({ title, labels, series, format }: {
    title: string;
    labels: string[];
    series: { label: string; values: (number | null)[] }[];
    format: (value: number) => string;
  }) => (
    <figure aria-label={title}>
      {labels.map((label, index) => (
        <p key={label}>
          {label}: {series.map((s) => {
            const value = s.values[index];
            return `${s.label} ${value == null ? "—" : format(value)}`;
          }).join(", ")}
        </p>
      ))}
    </figure>
  ),
}));

vi.mock("@/lib/csv", async (original) => ({
  ...(await original<typeof import("@/lib/csv")>()),
  downloadCsv: vi.fn(),
}));

type MarginRow = ProfitQuery["marginAnalysis"][number];

const CATEGORIES: MarginRow[] = [
  {
    groupId: "1",
    groupName: "Electronics",
    revenue: "75716.75",
    cost: "46201.94",
    profit: "29514.81",
    margin: 38.9806,
    contribution: 47.3,
  },
  {
    groupId: "6",
    groupName: "Toys & Games",
    revenue: "20425.21",
    cost: "12148.36",
    profit: "8276.85",
    margin: 40.5226,
    contribution: 13.3,
  },
  {
    groupId: "9",
    groupName: "=Gardening",
    revenue: "0.00",
    cost: "0.00",
    profit: "0.00",
    margin: null,
    contribution: 0,
  },
];

const DAYS: MarginRow[] = [
  { groupId: "2026-11-02", groupName: "2026-11-02", revenue: "100.00", cost: "60.00", profit: "40.00", margin: 40, contribution: 80 },
  { groupId: "2026-11-01", groupName: "2026-11-01", revenue: "50.10", cost: "40.10", profit: "10.00", margin: 19.96, contribution: 20 },
];

function answer(marginAnalysis: MarginRow[] = CATEGORIES, overrides: Partial<ProfitQuery["profitabilityMetrics"]> = {}): ProfitQuery {
  return {
    shopInfo: { name: "Corner Shop", currency: "USD", timezone: "UTC" },
    profitabilityMetrics: {
      periodStart: "2026-11-01T00:00:00+00:00",
      periodEnd: "2026-11-04T00:00:00+00:00",
      totalRevenue: "164444.57",
      totalCost: "105521.73",
      totalDiscount: "3374.17",
      totalProfit: "58922.84",
      profitMargin: 35.8314,
      averageOrderProfit: "53.96",
      byProduct: [
        {
          rank: 1,
          product: { id: "917", name: "Wilvale Lightweight Notebook", sku: "ELE-10-0000917" },
          revenue: "28472.90",
          unitsSold: 249,
          profit: "13603.58",
          profitMargin: 47.7773,
        },
      ],
      byCustomerSegment: [
        {
          segment: "AT_RISK",
          orders: 12,
          revenue: "1200.05",
          cost: "800.00",
          discount: "10.01",
          profit: "400.05",
          margin: 33.3361,
        },
      ],
      ...overrides,
    },
    marginAnalysis,
  };
}

const show = (executeQuery: Mock, url = "/profit?period=MONTH", session?: SessionState) =>
  renderPage(<ProfitPage />, executeQuery, url, "/profit", session);

/** Answers every query, with the margin rows of the grouping it asks for. */
const answering = (rows: Partial<Record<MarginGroupBy, MarginRow[]>> = {}) =>
  vi.fn((operation: Operation) => {
    const { groupBy } = operation.variables as ProfitQueryVariables;
    return answer$({
      operation,
      data: answer(rows[groupBy] ?? CATEGORIES),
      extensions: { dataAsOf: "2026-11-30T02:59:30.167888+00:00" },
      stale: false,
      hasNext: false,
    });
  });

const lastVariables = (executeQuery: Mock) =>
  (executeQuery.mock.lastCall?.[0] as Operation).variables as ProfitQueryVariables;

const location = () => screen.getByRole("status", { name: "location" });

beforeEach(() => {
  vi.mocked(downloadCsv).mockClear();
});

describe("ProfitPage", () => {
  it("shows the totals to the cent, the margin table and the breakdowns", () => {
    show(answering());
    const totals = screen.getByRole("region", { name: "Profit totals" });
    expect(within(totals).getByRole("article", { name: "Revenue" })).toHaveTextContent("$164,444.57");
    expect(within(totals).getByRole("article", { name: "Cost" })).toHaveTextContent("$105,521.73");
    expect(within(totals).getByRole("article", { name: "Discounts" })).toHaveTextContent("$3,374.17");
    expect(within(totals).getByRole("article", { name: "Profit" })).toHaveTextContent("$58,922.84");
    expect(within(totals).getByRole("article", { name: "Profit margin" })).toHaveTextContent("35.8%");
    expect(within(totals).getByRole("article", { name: "Profit per order" })).toHaveTextContent("$53.96");

    const margin = screen.getByRole("table", { name: "All 3 categories" });
    const electronics = within(margin).getByRole("rowheader", { name: "Electronics" }).closest("tr");
    expect(electronics).toHaveTextContent("$75,716.75$46,201.94$29,514.8139.0%47.3%");
    expect(within(margin).getByRole("rowheader", { name: "=Gardening" }).closest("tr")).toHaveTextContent("—");
    expect(screen.getByText("Profit by category").closest("figure")).toHaveTextContent(
      "$8,276.85 · 40.5% margin",
    );

    const segments = screen.getByRole("table", { name: "Profit by customer segment" });
    expect(within(segments).getByRole("rowheader", { name: "At risk" }).closest("tr")).toHaveTextContent(
      "12$1,200.05$800.00$10.01$400.05",
    );
    const products = screen.getByRole("table", { name: "Most profitable products" });
    expect(
      within(products).getByRole("link", { name: "Wilvale Lightweight Notebook" }),
    ).toHaveAttribute("href", "/products/917");
    expect(screen.getByText(/Data as of/)).toHaveTextContent("Data as of Nov 30, 2026, 2:59 AM (UTC)");
    expect(document.title).toBe("Profit · Corner Shop");
  });

  it("asks for the grouping chosen in the switch and keeps it in the URL", () => {
    const executeQuery = answering();
    show(executeQuery);
    expect(lastVariables(executeQuery)).toEqual({
      period: "MONTH",
      dateRange: null,
      groupBy: "CATEGORY",
      limit: 20,
    });
    const groupBy = screen.getByLabelText("Group by");
    expect(within(groupBy).getAllByRole("option").map((o) => o.getAttribute("value"))).toEqual([
      "PRODUCT",
      "CATEGORY",
      "BRAND",
      "CUSTOMER_SEGMENT",
      "SALES_REP",
      "REGION",
      "PAYMENT_MODE",
      "DAY",
      "WEEK",
      "MONTH",
    ]);

    fireEvent.change(groupBy, { target: { value: "BRAND" } });
    expect(location()).toHaveTextContent("?period=MONTH&by=BRAND");
    expect(lastVariables(executeQuery)).toMatchObject({ groupBy: "BRAND", limit: 20 });
    expect(screen.getByRole("heading", { name: "Margin by brand" })).toBeInTheDocument();

    fireEvent.change(screen.getByLabelText("Show"), { target: { value: "50" } });
    expect(location()).toHaveTextContent("?period=MONTH&by=BRAND&top=50");
    expect(lastVariables(executeQuery)).toMatchObject({ groupBy: "BRAND", limit: 50 });

    fireEvent.click(screen.getByRole("button", { name: "Year" }));
    expect(lastVariables(executeQuery)).toEqual({
      period: "YEAR",
      dateRange: null,
      groupBy: "BRAND",
      limit: 50,
    });
  });

  it("restores the grouping, size, order and period from the URL", () => {
    const executeQuery = answering();
    show(
      executeQuery,
      "/profit?period=CUSTOM&from=2026-03-01&to=2026-03-31&by=REGION&top=100&sort=margin&order=asc",
    );
    expect(lastVariables(executeQuery)).toEqual({
      period: "CUSTOM",
      dateRange: { startDate: "2026-03-01", endDate: "2026-03-31" },
      groupBy: "REGION",
      limit: 100,
    });
    expect(screen.getByLabelText("Group by")).toHaveValue("REGION");
    expect(screen.getByLabelText("Show")).toHaveValue("100");
    const names = within(screen.getByRole("table", { name: "All 3 regions" }))
      .getAllByRole("rowheader")
      .map((cell) => cell.textContent);
    // Margin ascending, the group without a margin last.
    expect(names).toEqual(["Electronics", "Toys & Games", "=Gardening"]);
  });

  it("sorts the margin table by a column and writes the order into the URL", () => {
    show(answering());
    const table = screen.getByRole("table", { name: "All 3 categories" });
    fireEvent.click(within(table).getByRole("button", { name: "Margin" }));
    expect(location()).toHaveTextContent("sort=margin&order=desc");
    expect(within(table).getAllByRole("rowheader").map((cell) => cell.textContent)).toEqual([
      "Toys & Games",
      "Electronics",
      "=Gardening",
    ]);
    expect(within(table).getByRole("columnheader", { name: /Margin/ })).toHaveAttribute(
      "aria-sort",
      "descending",
    );
  });

  it("asks for every calendar bucket and charts them in time order, quiet days at zero", () => {
    const executeQuery = answering({ DAY: DAYS });
    show(executeQuery, "/profit?period=MONTH&by=DAY");
    expect(lastVariables(executeQuery)).toMatchObject({ groupBy: "DAY", limit: 100 });
    expect(screen.queryByLabelText("Show")).not.toBeInTheDocument();
    const amounts = screen.getByRole("figure", { name: "Revenue, cost and profit per day" });
    expect(within(amounts).getAllByText(/^Nov/).map((p) => p.textContent)).toEqual([
      "Nov 1: Revenue $50.10, Cost $40.10, Profit $10.00",
      "Nov 2: Revenue $100.00, Cost $60.00, Profit $40.00",
      "Nov 3: Revenue $0.00, Cost $0.00, Profit $0.00",
    ]);
    const margins = screen.getByRole("figure", { name: "Margin per day" });
    expect(within(margins).getByText("Nov 3: Margin —")).toBeInTheDocument();
    const days = within(screen.getByRole("table", { name: "All 2 days" })).getAllByRole("rowheader");
    expect(days.map((cell) => cell.textContent)).toEqual(["2026-11-01", "2026-11-02"]);
  });

  it("exports the margin table's rows as CSV, exact amounts, formulas defused", async () => {
    show(answering());
    const section = screen.getByRole("region", { name: "Margin by category" });
    fireEvent.click(within(section).getByRole("button", { name: "Export CSV" }));
    await vi.waitFor(() => expect(downloadCsv).toHaveBeenCalledTimes(1));
    expect(downloadCsv).toHaveBeenCalledWith(
      "profit-by-category-month.csv",
      "Category,Item sales,Cost,Profit,Margin,Share of profit\r\n" +
        "Electronics,75716.75,46201.94,29514.81,38.9806,47.3\r\n" +
        "Toys & Games,20425.21,12148.36,8276.85,40.5226,13.3\r\n" +
        "'=Gardening,0.00,0.00,0.00,,0\r\n",
    );
  });

  it("exports the products breakdown with its SKUs", async () => {
    show(answering());
    const section = screen.getByRole("region", { name: "Most profitable products" });
    fireEvent.click(within(section).getByRole("button", { name: "Export CSV" }));
    await vi.waitFor(() => expect(downloadCsv).toHaveBeenCalledTimes(1));
    expect(downloadCsv).toHaveBeenCalledWith(
      "profit-top-products-month.csv",
      "#,Product,SKU,Item sales,Units,Profit,Margin\r\n" +
        "1,Wilvale Lightweight Notebook,ELE-10-0000917,28472.90,249,13603.58,47.7773\r\n",
    );
  });

  it("says when nothing was sold", () => {
    show(
      vi.fn((operation: Operation) =>
        answer$({
          operation,
          data: answer([], { byProduct: [], totalRevenue: "0.00", profitMargin: null }),
          stale: false,
          hasNext: false,
        }),
      ),
    );
    expect(screen.getByRole("heading", { name: "No sales: this month" })).toBeInTheDocument();
    expect(screen.queryByRole("table")).not.toBeInTheDocument();
  });

  it("shows skeletons while loading", () => {
    show(vi.fn(() => never));
    expect(screen.getByLabelText("Loading the profit figures")).toHaveAttribute("aria-busy", "true");
  });

  it("tells a role the API refused what to do", () => {
    show(
      vi.fn((operation: Operation) =>
        answer$({
          operation,
          data: null,
          error: new CombinedError({
            graphQLErrors: [
              { message: "role viewer may not analytics:read", extensions: { code: "FORBIDDEN" } },
            ],
          }),
          stale: false,
          hasNext: false,
        }),
      ),
      "/profit?period=MONTH",
      SESSIONS.viewer,
    );
    const alert = screen.getByRole("alert");
    expect(alert).toHaveTextContent("Not allowed to read the profit figures");
    expect(alert).toHaveTextContent("Your role (viewer) cannot read this; ask an admin");
    expect(within(alert).getByRole("button", { name: "Try again" })).toBeInTheDocument();
  });
});
