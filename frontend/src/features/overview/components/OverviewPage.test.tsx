import { act, fireEvent, screen, within } from "@testing-library/react";
import { CombinedError, getOperationName, type Operation } from "urql";
import { afterEach, beforeEach, describe, expect, it, vi, type Mock } from "vitest";
import { makeSubject, never, type Subject } from "wonka";

import type { OverviewQuery } from "@/gql/graphql";
import { answer$, renderPage as renderStubbed } from "@/testing/urql-stub";

import { OverviewPage } from "./OverviewPage";

// The socket's connection events, driven by the tests.
const socketEvents = vi.hoisted(() => {
  const listeners = new Map<string, Set<(event?: unknown) => void>>();
  return {
    on(event: string, listener: (event?: unknown) => void) {
      const set = listeners.get(event) ?? new Set();
      set.add(listener);
      listeners.set(event, set);
      return () => set.delete(listener);
    },
    emit(event: string, payload?: unknown) {
      for (const listener of listeners.get(event) ?? []) listener(payload);
    },
  };
});
vi.mock("@/lib/graphql-client", () => ({ socket: { on: socketEvents.on } }));

const downloads = vi.hoisted(() => [] as { filename: string; csv: string }[]);
vi.mock("@/lib/csv", async (original) => ({
  ...(await original<typeof import("@/lib/csv")>()),
  downloadCsv: (filename: string, csv: string) => downloads.push({ filename, csv }),
}));

// jsdom draws no canvas: the charts are checked through their table of numbers.
vi.mock("uplot", () => ({
  default: class {
    destroy() {}
    setSize() {}
  },
}));

beforeEach(() => {
  vi.stubGlobal(
    "ResizeObserver",
    class {
      observe() {}
      disconnect() {}
    },
  );
  downloads.length = 0;
});
afterEach(() => vi.unstubAllGlobals());

type Figures = OverviewQuery["salesOverview"];

function answer(overrides: Partial<Figures> = {}): OverviewQuery {
  return {
    shopInfo: { name: "Corner Shop", currency: "USD", timezone: "UTC" },
    salesOverview: {
      periodStart: "2026-11-01T00:00:00+00:00",
      periodEnd: "2026-11-30T02:59:42.853993+00:00",
      dataAsOf: "2026-11-30T02:59:30.167888+00:00",
      totalRevenue: "163679.49",
      revenueChange: "39800.12",
      revenueChangePercentage: 32.0954,
      totalOrders: 1088,
      ordersChange: -28,
      ordersChangePercentage: -2.5,
      averageOrderValue: "150.44",
      aovChange: "0.00",
      aovChangePercentage: null,
      uniqueCustomers: 648,
      customersChange: 115,
      customersChangePercentage: 21.576,
      unitsSold: 4661,
      unitsChange: 0,
      unitsChangePercentage: 0,
      totalProfit: "58652.48",
      profitChange: "-1200.50",
      profitChangePercentage: -2.0056,
      profitMargin: 35.8337,
      marginChange: 1.25,
      ...overrides,
    },
    salesTrends: [
      {
        timestamp: "2026-11-01T00:00:00+00:00",
        label: "2026-11-01",
        value: "7473.87",
        previousValue: "1298.25",
        orderCount: 45,
        previousOrderCount: 12,
      },
      {
        timestamp: "2026-11-02T00:00:00+00:00",
        label: "2026-11-02",
        value: "7012.45",
        previousValue: null,
        orderCount: 38,
        previousOrderCount: null,
      },
    ],
    topProducts: [
      {
        rank: 1,
        revenue: "28130.08",
        unitsSold: 246,
        profitMargin: 47.7773,
        growthRate: 12.5,
        product: { id: "917", name: "Wilvale Lightweight Notebook", sku: "ELE-10-0000917" },
      },
    ],
    categoryBreakdown: [
      { category: { id: "1", name: "Electronics" }, revenue: "90000.10", percentage: 61.25 },
      { category: { id: "2", name: "Garden" }, revenue: "56940.02", percentage: 38.75 },
    ],
    customerSegments: [
      { segment: "PREMIUM", customerCount: 399, totalRevenue: "912345.67", percentage: 19.95 },
      { segment: "AT_RISK", customerCount: 154, totalRevenue: "12000.00", percentage: 7.7 },
    ],
    topSalesReps: [
      {
        rank: 1,
        totalSales: "5062.93",
        totalOrders: 24,
        commissionEarned: "253.15",
        salesRep: { id: "3", name: "Grace Martin", region: "West" },
      },
    ],
    regionalPerformance: [
      {
        region: "West",
        revenue: "120000.00",
        orders: 800,
        customers: 400,
        profit: "40000.01",
        profitMargin: 33.3334,
        growth: -4.2,
      },
      {
        region: "=cmd",
        revenue: "43679.49",
        orders: 288,
        customers: 248,
        profit: "18652.47",
        profitMargin: 42.7,
        growth: null,
      },
    ],
  };
}

interface Stub {
  executeQuery: Mock;
  /** The metricsUpdated streams opened, newest last. */
  pushes: Subject<object>[];
}

/** The Overview's queries go to ``executeQuery``; the alerts card's own query finds no open
 * alert (AlertsCard.test.tsx covers it). */
function renderPage(executeQuery: Mock, url = "/?period=MONTH"): Stub {
  const pushes: Subject<object>[] = [];
  const routed = vi.fn((operation: Operation, context?: unknown) =>
    getOperationName(operation.query) === "OpenAlerts"
      ? answer$({ operation, data: { alerts: [] }, stale: false, hasNext: false })
      : executeQuery(operation, context),
  );
  const executeSubscription = vi.fn(() => {
    const subject = makeSubject<object>();
    pushes.push(subject);
    return subject.source;
  });
  renderStubbed(<OverviewPage />, { executeQuery: routed, executeSubscription }, url);
  return { executeQuery, pushes };
}

const answering = (...answers: OverviewQuery[]) => {
  let calls = 0;
  return vi.fn((operation: Operation) => {
    const data = answers[Math.min(calls, answers.length - 1)];
    calls += 1;
    return answer$({ operation, data, stale: false, hasNext: false });
  });
};

/** The server's push on the newest metricsUpdated stream. */
function push(stub: Stub) {
  const subject = stub.pushes.at(-1);
  if (!subject) throw new Error("the page did not subscribe");
  act(() => subject.next({ data: { metricsUpdated: { dataAsOf: "2026-11-30T03:00:00+00:00" } } }));
}

const card = (name: string) => screen.getByRole("article", { name });
/** A chart's table of numbers (what screen readers read instead of the picture), by row. */
const chartNumbers = (caption: string) =>
  within(figure(caption))
    .getAllByRole("row")
    .map((row) => Array.from(row.children, (cell) => cell.textContent));
/** A chart or bar list by its caption (jsdom does not name a figure by its figcaption). */
const figure = (caption: string) => {
  const found = screen.getByText(caption, { selector: "figcaption" }).closest("figure");
  if (!found) throw new Error(`no figure captioned ${caption}`);
  return found;
};

describe("OverviewPage", () => {
  it("shows every key figure to the cent, with its change, and how fresh the data is", () => {
    renderPage(answering(answer()));
    const revenue = card("Revenue");
    expect(within(revenue).getByText("$163,679.49")).toBeInTheDocument();
    expect(within(revenue).getByText(/\+32\.1%/)).toHaveTextContent(
      "+32.1% (+$39,800.12) vs previous period",
    );
    expect(within(card("Orders")).getByText(/-2\.5%/)).toHaveTextContent("-2.5% (-28) vs previous period");
    expect(within(card("Average order value")).getByText("No comparison")).toBeInTheDocument();
    const profit = card("Profit");
    expect(within(profit).getByText("$58,652.48")).toBeInTheDocument();
    expect(within(profit).getByText(/-2\.0%/)).toHaveTextContent("-2.0% (-$1,200.50) vs previous period");
    expect(within(profit).getByText(/-2\.0%/)).toHaveClass("kpi__change--down");
    expect(within(card("Units sold")).getByText(/0\.0%/)).toHaveTextContent("0.0% (0) vs previous period");
    const margin = card("Profit margin");
    expect(within(margin).getByText("35.8%")).toBeInTheDocument();
    expect(within(margin).getByText(/\+1\.3 pp/)).toHaveTextContent("+1.3 pp vs previous period");
    expect(screen.getByText(/Data as of/)).toHaveTextContent("Data as of Nov 30, 2026, 2:59 AM (UTC)");
    expect(screen.getByText(/^Corner Shop:/)).toHaveTextContent(
      "Corner Shop: Nov 1, 2026, 12:00 AM to Nov 30, 2026, 2:59 AM (UTC)",
    );
    expect(document.title).toBe("Overview · Corner Shop");
  });

  it("lists top products, reps, regions, category shares and segments", () => {
    renderPage(answering(answer()));
    const products = screen.getByRole("table", { name: "Top products by item sales" });
    const notebook = within(products).getByRole("rowheader", { name: "Wilvale Lightweight Notebook" });
    expect(notebook.closest("tr")).toHaveTextContent("$28,130.08");
    expect(notebook.closest("tr")).toHaveTextContent("+12.5%");
    const reps = screen.getByRole("table", { name: "Top sales reps" });
    expect(within(reps).getByRole("rowheader", { name: "Grace Martin" }).closest("tr")).toHaveTextContent(
      "$253.15",
    );
    const regions = screen.getByRole("table", { name: "Regions" });
    const west = within(regions).getByRole("rowheader", { name: "West" }).closest("tr");
    expect(west).toHaveTextContent("$120,000.00");
    expect(west).toHaveTextContent("73.3%"); // 120,000.00 of 163,679.49
    expect(west).toHaveTextContent("-4.2%");

    const categories = figure("Category share of item sales");
    expect(within(categories).getByText("Electronics").closest("li")).toHaveTextContent(
      "$90,000.10 · 61.3%",
    );
    const segments = figure("Customer segments (all customers, lifetime)");
    expect(within(segments).getByText("At risk").closest("li")).toHaveTextContent(
      "154 customers · 7.7% · $12,000.00 lifetime",
    );
  });

  it("draws the revenue trend against the comparison, and the orders", () => {
    renderPage(answering(answer()));
    expect(chartNumbers("Revenue")).toEqual([
      ["Bucket", "Revenue", "Revenue, previous period"],
      ["2026-11-01", "$7,473.87", "$1,298.25"],
      ["2026-11-02", "$7,012.45", "—"],
    ]);
    expect(chartNumbers("Orders")).toEqual([
      ["Bucket", "Orders", "Orders, previous period"],
      ["2026-11-01", "45", "12"],
      ["2026-11-02", "38", "—"],
    ]);
  });

  it("exports each table's rows as CSV, raw amounts and all", async () => {
    renderPage(answering(answer()), "/?period=CUSTOM&from=2026-11-01&to=2026-11-15");
    const exportOf = (region: string) =>
      within(screen.getByRole("region", { name: region })).getByRole("button", { name: "Export CSV" });

    await act(async () => fireEvent.click(exportOf("Top products")));
    await act(async () => fireEvent.click(exportOf("Top sales reps")));
    await act(async () => fireEvent.click(exportOf("Regions")));

    expect(downloads.map((d) => d.filename)).toEqual([
      "top-products-2026-11-01-to-2026-11-15.csv",
      "top-sales-reps-2026-11-01-to-2026-11-15.csv",
      "regions-2026-11-01-to-2026-11-15.csv",
    ]);
    expect(downloads[0]?.csv).toBe(
      "#,Product,SKU,Item sales,Units,Margin %,Growth %\r\n" +
        "1,Wilvale Lightweight Notebook,ELE-10-0000917,28130.08,246,47.7773,12.5\r\n",
    );
    expect(downloads[1]?.csv).toBe(
      "#,Rep,Region,Sales,Orders,Commission\r\n1,Grace Martin,West,5062.93,24,253.15\r\n",
    );
    expect(downloads[2]?.csv).toBe(
      "Region,Revenue,Share %,Orders,Customers,Profit,Margin %,Growth %\r\n" +
        "West,120000.00,73.314,800,400,40000.01,33.3334,-4.2\r\n" +
        "'=cmd,43679.49,26.686,288,248,18652.47,42.7,\r\n",
    );
  });

  it("keeps the period in the URL and asks for the chosen one", () => {
    const { executeQuery } = renderPage(answering(answer()));
    expect(screen.getByRole("button", { name: "This month" })).toHaveAttribute("aria-pressed", "true");

    fireEvent.click(screen.getByRole("button", { name: "Year" }));

    expect(screen.getByRole("status", { name: "location" })).toHaveTextContent("?period=YEAR");
    expect(screen.getByRole("button", { name: "Year" })).toHaveAttribute("aria-pressed", "true");
    expect(executeQuery).toHaveBeenLastCalledWith(
      expect.objectContaining({
        variables: { period: "YEAR", dateRange: null, compareTo: "PREVIOUS_PERIOD" },
      }),
      expect.anything(),
    );
  });

  it("compares with the previous year when asked, and says so", () => {
    const { executeQuery } = renderPage(answering(answer()));
    fireEvent.click(screen.getByRole("button", { name: "vs previous year" }));

    expect(screen.getByRole("status", { name: "location" })).toHaveTextContent(
      "?period=MONTH&compare=year",
    );
    expect(screen.getByRole("button", { name: "vs previous year" })).toHaveAttribute("aria-pressed", "true");
    expect(executeQuery).toHaveBeenLastCalledWith(
      expect.objectContaining({
        variables: { period: "MONTH", dateRange: null, compareTo: "PREVIOUS_YEAR" },
      }),
      expect.anything(),
    );
    expect(within(card("Revenue")).getByText(/\+32\.1%/)).toHaveTextContent("vs previous year");
    expect(chartNumbers("Revenue")[0]).toEqual(["Bucket", "Revenue", "Revenue, previous year"]);
  });

  it("restores a custom range and the comparison from the URL", () => {
    const { executeQuery } = renderPage(
      answering(answer()),
      "/?period=CUSTOM&from=2026-03-01&to=2026-03-31&compare=year",
    );
    expect(screen.getByRole("button", { name: "Custom…" })).toHaveAttribute("aria-pressed", "true");
    expect(executeQuery).toHaveBeenCalledWith(
      expect.objectContaining({
        variables: {
          period: "CUSTOM",
          dateRange: { startDate: "2026-03-01", endDate: "2026-03-31" },
          compareTo: "PREVIOUS_YEAR",
        },
      }),
      expect.anything(),
    );
  });

  it("falls back to this month for a period it does not know", () => {
    const { executeQuery } = renderPage(answering(answer()), "/?period=FOREVER");
    expect(screen.getByRole("button", { name: "This month" })).toHaveAttribute("aria-pressed", "true");
    expect(executeQuery).toHaveBeenCalledWith(
      expect.objectContaining({
        variables: { period: "MONTH", dateRange: null, compareTo: "PREVIOUS_PERIOD" },
      }),
      expect.anything(),
    );
  });

  it("says when nothing was sold and what to do", () => {
    renderPage(answering(answer({ totalOrders: 0, totalRevenue: "0.00", profitMargin: null })));
    expect(screen.getByRole("heading", { name: "No orders: this month" })).toBeInTheDocument();
    expect(screen.queryByRole("table")).not.toBeInTheDocument();
  });

  it("shows skeletons while loading", () => {
    renderPage(vi.fn(() => never));
    expect(screen.getByLabelText("Loading the overview")).toHaveAttribute("aria-busy", "true");
  });

  it("says what to do when the API does not answer", () => {
    renderPage(
      vi.fn((operation: Operation) =>
        answer$({
          operation,
          error: new CombinedError({ networkError: new Error("Failed to fetch") }),
          stale: false,
          hasNext: false,
        }),
      ),
    );
    const alert = screen.getByRole("alert");
    expect(alert).toHaveTextContent("Check that the server is running (make run)");
    expect(within(alert).getByRole("button", { name: "Try again" })).toBeInTheDocument();
  });
});

describe("OverviewPage, live", () => {
  it("subscribes to the page's period, and to today's pushes for a custom range", () => {
    const executeQuery = answering(answer());
    const pushes: Operation[] = [];
    const executeSubscription = vi.fn((operation: Operation) => {
      pushes.push(operation);
      return never;
    });
    const stub = { executeQuery, executeSubscription };
    const { unmount } = renderStubbed(<OverviewPage />, stub, "/?period=QUARTER");
    expect(executeSubscription).toHaveBeenLastCalledWith(
      expect.objectContaining({ variables: { period: "QUARTER" } }),
      undefined,
    );
    unmount();
    renderStubbed(<OverviewPage />, stub, "/?period=CUSTOM&from=2026-03-01&to=2026-03-31");
    expect(executeSubscription).toHaveBeenLastCalledWith(
      expect.objectContaining({ variables: { period: "TODAY" } }),
      undefined,
    );
  });

  it("reads the numbers again after each push but the first, and highlights what changed", () => {
    const later = answer({ totalRevenue: "163779.49", totalOrders: 1089 });
    const stub = renderPage(answering(answer(), later));
    expect(screen.getByText("Connecting to live updates…")).toBeInTheDocument();

    push(stub);
    expect(stub.executeQuery).toHaveBeenCalledTimes(1);
    expect(screen.getByText("Live")).toBeInTheDocument();

    push(stub);
    expect(stub.executeQuery).toHaveBeenCalledTimes(2);
    expect(stub.executeQuery).toHaveBeenLastCalledWith(
      expect.anything(),
      expect.objectContaining({ requestPolicy: "network-only" }),
    );
    const revenue = within(card("Revenue")).getByText("$163,779.49");
    expect(revenue).toHaveClass("live-value--updated");
    expect(within(card("Orders")).getByText("1,089")).toHaveClass("live-value--updated");
    expect(within(card("Profit")).getByText("$58,652.48")).not.toHaveClass("live-value--updated");
  });

  it("does not highlight the numbers of another period", () => {
    renderPage(answering(answer(), answer({ totalRevenue: "999.99" })));
    fireEvent.click(screen.getByRole("button", { name: "Year" }));
    expect(within(card("Revenue")).getByText("$999.99")).not.toHaveClass("live-value--updated");
  });

  it("says when it is reconnecting, and live again once the socket is back", () => {
    const stub = renderPage(answering(answer()));
    push(stub);
    act(() => socketEvents.emit("closed", { code: 1012 }));
    expect(screen.getByText("Reconnecting…")).toBeInTheDocument();
    act(() => socketEvents.emit("connected"));
    expect(screen.getByText("Live")).toBeInTheDocument();
    act(() => socketEvents.emit("closed", { code: 1000 }));
    expect(screen.getByText("Live")).toBeInTheDocument();
  });

  it("keeps the last numbers when a refresh fails, and says so", () => {
    let calls = 0;
    const executeQuery = vi.fn((operation: Operation) => {
      calls += 1;
      return calls === 1
        ? answer$({ operation, data: answer(), stale: false, hasNext: false })
        : answer$({
            operation,
            error: new CombinedError({ networkError: new Error("Failed to fetch") }),
            stale: false,
            hasNext: false,
          });
    });
    const stub = renderPage(executeQuery);
    push(stub);
    push(stub);
    expect(within(card("Revenue")).getByText("$163,679.49")).toBeInTheDocument();
    expect(screen.getByRole("alert")).toHaveTextContent("could not be refreshed");
  });
});
