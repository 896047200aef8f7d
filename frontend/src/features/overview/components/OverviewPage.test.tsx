import { fireEvent, render, screen, within } from "@testing-library/react";
import { MemoryRouter, Route, Routes, useLocation } from "react-router-dom";
import { CombinedError, Provider, type Client, type Operation } from "urql";
import { describe, expect, it, vi, type Mock } from "vitest";
import { concat, fromValue, never } from "wonka";

import type { OverviewQuery } from "@/gql/graphql";

import { OverviewPage } from "./OverviewPage";

function answer(overrides: Partial<OverviewQuery["dashboardOverview"]["overview"]> = {}): OverviewQuery {
  return {
    shopInfo: { name: "Corner Shop", currency: "USD", timezone: "UTC" },
    dashboardOverview: {
      overview: {
        periodStart: "2026-11-01T00:00:00+00:00",
        periodEnd: "2026-11-30T02:59:42.853993+00:00",
        dataAsOf: "2026-11-30T02:59:30.167888+00:00",
        totalRevenue: "163679.49",
        revenueChangePercentage: 32.0954,
        totalOrders: 1088,
        ordersChangePercentage: -2.5,
        averageOrderValue: "150.44",
        aovChangePercentage: null,
        uniqueCustomers: 648,
        customersChangePercentage: 21.576,
        unitsSold: 4661,
        totalProfit: "58652.48",
        profitMargin: 35.8337,
        ...overrides,
      },
      topProducts: [
        {
          rank: 1,
          revenue: "28130.08",
          unitsSold: 246,
          profitMargin: 47.7773,
          product: { id: "917", name: "Wilvale Lightweight Notebook", sku: "ELE-10-0000917" },
        },
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
      generatedAt: "2026-11-30T02:59:42.853993+00:00",
    },
  };
}

function Location() {
  const { search } = useLocation();
  return <output aria-label="location">{search}</output>;
}

function renderPage(executeQuery: Mock, url = "/?period=MONTH") {
  const client = { executeQuery } as unknown as Client;
  render(
    <Provider value={client}>
      <MemoryRouter initialEntries={[url]}>
        <Routes>
          <Route path="/" element={<><OverviewPage /><Location /></>} />
        </Routes>
      </MemoryRouter>
    </Provider>,
  );
}

// A client's answer stream stays open after its result, as urql's exchanges do (a stream
// that completes makes useQuery drop the error it just showed).
const answer$ = (result: object) => concat([fromValue(result), never]);

const answering = (data: OverviewQuery) =>
  vi.fn((operation: Operation) => answer$({ operation, data, stale: false, hasNext: false }));

describe("OverviewPage", () => {
  it("shows every key figure to the cent, the tables and how fresh the data is", () => {
    renderPage(answering(answer()));
    const revenue = screen.getByRole("article", { name: "Revenue" });
    expect(within(revenue).getByText("$163,679.49")).toBeInTheDocument();
    expect(within(revenue).getByText(/\+32\.1%/)).toBeInTheDocument();
    expect(within(screen.getByRole("article", { name: "Orders" })).getByText(/-2\.5%/)).toBeInTheDocument();
    expect(
      within(screen.getByRole("article", { name: "Average order value" })).getByText("No comparison"),
    ).toBeInTheDocument();
    expect(within(screen.getByRole("article", { name: "Profit" })).getByText("$58,652.48")).toBeInTheDocument();
    expect(within(screen.getByRole("article", { name: "Profit margin" })).getByText("35.8%")).toBeInTheDocument();

    const products = screen.getByRole("table", { name: "Top products by item sales" });
    const notebook = within(products).getByRole("rowheader", { name: /Wilvale Lightweight Notebook/ });
    expect(notebook.closest("tr")).toHaveTextContent("$28,130.08");
    const reps = screen.getByRole("table", { name: "Top sales reps" });
    expect(within(reps).getByRole("rowheader", { name: "Grace Martin" }).closest("tr")).toHaveTextContent(
      "$253.15",
    );
    expect(screen.getByText(/Data as of/)).toHaveTextContent("Data as of Nov 30, 2026, 2:59 AM (UTC)");
    expect(document.title).toBe("Overview · Corner Shop");
  });

  it("keeps the period in the URL and asks for the chosen one", () => {
    const executeQuery = answering(answer());
    renderPage(executeQuery);
    const month = screen.getByRole("button", { name: "This month" });
    expect(month).toHaveAttribute("aria-pressed", "true");

    fireEvent.click(screen.getByRole("button", { name: "Year" }));

    expect(screen.getByRole("status", { name: "location" })).toHaveTextContent("?period=YEAR");
    expect(screen.getByRole("button", { name: "Year" })).toHaveAttribute("aria-pressed", "true");
    expect(executeQuery).toHaveBeenLastCalledWith(
      expect.objectContaining({ variables: { period: "YEAR", dateRange: null } }),
      expect.anything(),
    );
  });

  it("falls back to this month for a period it does not know", () => {
    const executeQuery = answering(answer());
    renderPage(executeQuery, "/?period=FOREVER");
    expect(screen.getByRole("button", { name: "This month" })).toHaveAttribute("aria-pressed", "true");
    expect(executeQuery).toHaveBeenCalledWith(
      expect.objectContaining({ variables: { period: "MONTH", dateRange: null } }),
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
