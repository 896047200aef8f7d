import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { CombinedError } from "urql";
import { beforeEach, describe, expect, it, vi } from "vitest";

import type { SalesRepDetailQuery } from "@/gql/graphql";
import { downloadCsv } from "@/lib/csv";
import { answering, failing, lastVariables, renderPage } from "@/testing/urql-stub";

import { RepPage } from "./RepPage";

vi.mock("@/lib/csv", async (original) => ({
  ...(await original<typeof import("@/lib/csv")>()),
  downloadCsv: vi.fn(),
}));

// uPlot draws on a canvas jsdom does not have; the chart's own numbers table stands in.
vi.mock("@/components/charts/TimeSeriesChart", () => ({
  TimeSeriesChart: (props: { title: string; labels: string[]; format: (v: number) => string }) => (
    <figure aria-label={props.title}>{props.labels.join(", ")}</figure>
  ),
}));

beforeEach(() => vi.mocked(downloadCsv).mockClear());

type Detail = SalesRepDetailQuery["salesRepPerformance"];

function answer(overrides: Partial<Detail> = {}): SalesRepDetailQuery {
  return {
    shopInfo: { name: "Corner Shop", currency: "USD", timezone: "UTC" },
    salesRepPerformance: {
      rank: 9,
      totalSales: "22048.40",
      totalOrders: 147,
      uniqueCustomers: 79,
      averageOrderValue: "149.99",
      commissionEarned: "2149.72",
      totalProfit: "7510.90",
      salesRep: {
        id: "11",
        name: "Noah Scott",
        email: "noah.scott.11@shopx.example",
        region: "South Central",
        commissionRate: 9.75,
        isActive: true,
      },
      trend: [
        {
          timestamp: "2026-10-01T00:00:00+00:00",
          label: "Oct 2026",
          value: "1391.25",
          orderCount: 9,
          customerCount: 8,
        },
        {
          timestamp: "2026-11-01T00:00:00+00:00",
          label: "Nov 2026",
          value: "5803.10",
          orderCount: 40,
          customerCount: 31,
        },
      ],
      ...overrides,
    },
  };
}

const show = (executeQuery = answering(answer()), url = "/reps/11?period=YEAR") => {
  renderPage(<RepPage />, executeQuery, url, "/reps/:repId");
  return executeQuery;
};

const figure = (name: string) => screen.getByRole("article", { name });

describe("RepPage", () => {
  it("shows the rep's figures to the cent and its trend", () => {
    show();
    expect(screen.getByRole("heading", { level: 1, name: "Noah Scott" })).toBeInTheDocument();
    expect(
      screen.getByText("noah.scott.11@shopx.example · South Central · 9.75% commission · year"),
    ).toBeInTheDocument();
    expect(within(figure("Sales")).getByText("$22,048.40")).toBeInTheDocument();
    expect(within(figure("Commission")).getByText("$2,149.72")).toBeInTheDocument();
    expect(within(figure("Commission")).getByText("9.75% of sales")).toBeInTheDocument();
    expect(within(figure("Profit")).getByText("$7,510.90")).toBeInTheDocument();
    expect(within(figure("Rank")).getByText("#9")).toBeInTheDocument();
    expect(screen.getByRole("figure", { name: "Sales per bucket" })).toHaveTextContent(
      "Oct 2026, Nov 2026",
    );
    expect(screen.getByRole("link", { name: "← All sales reps" })).toHaveAttribute(
      "href",
      "/reps?period=YEAR",
    );
    expect(document.title).toBe("Noah Scott · Corner Shop");
  });

  it("asks for the rep, the period and the buckets in the URL", () => {
    const executeQuery = show(answering(answer()), "/reps/11?period=QUARTER&granularity=WEEK");
    expect(lastVariables(executeQuery)).toEqual({
      salesRepId: "11",
      period: "QUARTER",
      dateRange: null,
      granularity: "WEEK",
    });
    fireEvent.change(screen.getByLabelText("Buckets"), { target: { value: "AUTO" } });
    expect(screen.getByRole("status", { name: "location" }).textContent).toBe("?period=QUARTER");
    expect(lastVariables(executeQuery)).toMatchObject({ granularity: null });
  });

  it("exports the trend with raw amounts", async () => {
    show();
    fireEvent.click(screen.getByRole("button", { name: "Export CSV" }));
    await waitFor(() => expect(downloadCsv).toHaveBeenCalled());
    const [filename, csv] = vi.mocked(downloadCsv).mock.lastCall!;
    expect(filename).toBe("sales-rep-11-trend.csv");
    expect(csv).toBe(
      "Bucket,Start (UTC),Sales,Orders,Customers\r\n" +
        "Oct 2026,2026-10-01T00:00:00+00:00,1391.25,9,8\r\n" +
        "Nov 2026,2026-11-01T00:00:00+00:00,5803.10,40,31\r\n",
    );
  });

  it("says when the rep sold nothing in the period", () => {
    show(answering(answer({ rank: null, totalOrders: 0, totalSales: "0.00", trend: [] })));
    expect(screen.getByRole("heading", { name: "No sales: year" })).toBeInTheDocument();
    expect(within(figure("Rank")).getByText("No sales in the period")).toBeInTheDocument();
  });

  it("says so when there is no such rep", () => {
    show(
      failing(
        new CombinedError({
          graphQLErrors: [
            { message: "sales rep 999 not found", extensions: { code: "NOT_FOUND" } },
          ],
        }),
      ),
      "/reps/999",
    );
    expect(screen.getByRole("heading", { name: "No such sales rep" })).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "leaderboard" })).toHaveAttribute(
      "href",
      "/reps?period=MONTH",
    );
  });

  it("offers automatic buckets when the API refuses the chosen ones", () => {
    const refused = new CombinedError({
      graphQLErrors: [
        {
          message: "HOUR granularity covers at most 7 days; choose DAY or a shorter period",
          extensions: { code: "BAD_USER_INPUT" },
        },
      ],
    });
    show(failing(refused), "/reps/11?period=YEAR&granularity=HOUR");
    expect(screen.getByRole("alert")).toHaveTextContent("HOUR granularity covers at most 7 days");
    fireEvent.click(screen.getByRole("button", { name: "Use automatic buckets" }));
    expect(screen.getByRole("status", { name: "location" }).textContent).toBe("?period=YEAR");
  });

  it("does not ask the API about an id no rep can have", () => {
    const executeQuery = show(answering(answer()), "/reps/abc");
    expect(screen.getByRole("heading", { name: "No such sales rep" })).toBeInTheDocument();
    expect(executeQuery).not.toHaveBeenCalled();
  });
});
