import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { CombinedError } from "urql";
import { beforeEach, describe, expect, it, vi } from "vitest";

import type { CustomersQuery } from "@/gql/graphql";
import { downloadCsv } from "@/lib/csv";
import { SESSIONS } from "@/testing/session";
import { answering, failing, lastVariables, pending, renderPage } from "@/testing/urql-stub";

import { CustomersPage } from "./CustomersPage";

vi.mock("@/lib/csv", async (original) => ({
  ...(await original<typeof import("@/lib/csv")>()),
  downloadCsv: vi.fn(),
}));

beforeEach(() => vi.mocked(downloadCsv).mockClear());

function answer(overrides: Partial<CustomersQuery> = {}): CustomersQuery {
  return {
    shopInfo: { name: "Corner Shop", currency: "USD", timezone: "UTC" },
    customerSegments: [
      {
        segment: "PREMIUM",
        customerCount: 398,
        percentage: 19.9,
        totalRevenue: "1489659.79",
        averageLifetimeValue: "3742.86",
        averageOrderValue: "147.08",
      },
      {
        segment: "AT_RISK",
        customerCount: 154,
        percentage: 7.7,
        totalRevenue: "222468.17",
        averageLifetimeValue: "1444.60",
        averageOrderValue: "143.81",
      },
    ],
    topCustomers: [
      {
        customer: { id: "288", name: "Owen Jackson", email: "owen.jackson288@mail.example" },
        orderCount: 9,
        totalSpent: "3086.65",
        averageOrderValue: "342.96",
        lastOrderDate: "2026-11-21T16:35:46+00:00",
        daysSinceLastOrder: 9,
        recencyScore: 5,
        frequencyScore: 4,
        monetaryScore: 5,
        rfmScore: "545",
        lifetimeValue: "9626.30",
        segment: "PREMIUM",
      },
    ],
    customerRetention: {
      periodStart: "2026-11-01T00:00:00+00:00",
      periodEnd: "2026-11-30T04:28:04+00:00",
      activeCustomers: 653,
      newCustomers: 105,
      returningCustomers: 548,
      previousCustomers: 534,
      retainedCustomers: 302,
      churnedCustomers: 232,
      retentionRate: 0.565543,
      churnRate: 0.434457,
      repeatPurchaseRate: 0.375191,
    },
    cohortRetention: [
      { cohortMonth: "2026-09-01", size: 30, retention: [1, 0.266667, 0.05] },
      { cohortMonth: "2026-10-01", size: 0, retention: [null, null] },
      { cohortMonth: "2026-11-01", size: 105, retention: [1] },
    ],
    ...overrides,
  };
}

const show = (executeQuery = answering(answer()), url = "/?period=MONTH") => {
  renderPage(<CustomersPage />, executeQuery, url);
  return executeQuery;
};

describe("CustomersPage", () => {
  it("shows retention, segments and top customers to the cent", () => {
    show();
    const rate = screen.getByRole("article", { name: "Retention rate" });
    expect(within(rate).getByText("56.6%")).toBeInTheDocument();
    expect(
      within(screen.getByRole("article", { name: "Churned customers" })).getByText("232"),
    ).toBeInTheDocument();

    const segments = screen.getByRole("table", { name: "Segments" });
    const premium = within(segments).getByRole("rowheader", { name: "Premium" }).closest("tr");
    expect(premium).toHaveTextContent("$1,489,659.79");
    expect(premium).toHaveTextContent("$3,742.86");
    expect(screen.getByText("154 · 7.7%")).toBeInTheDocument();

    const top = screen.getByRole("table", { name: "Top 1 customers by amount spent, this month" });
    const owen = within(top).getByRole("rowheader", { name: /Owen Jackson/ }).closest("tr");
    expect(owen).toHaveTextContent("$3,086.65");
    expect(owen).toHaveTextContent("$342.96");
    expect(owen).toHaveTextContent("Nov 21, 2026");
    expect(owen).toHaveTextContent("R5 F4 M5");
    expect(document.title).toBe("Customers · Corner Shop");
  });

  it("sends the period, the list size and the cohort months from the URL", () => {
    const url = "/?period=CUSTOM&from=2026-01-01&to=2026-03-31&limit=50&months=24";
    const executeQuery = show(answering(answer()), url);
    expect(lastVariables(executeQuery)).toEqual({
      period: "CUSTOM",
      dateRange: { startDate: "2026-01-01", endDate: "2026-03-31" },
      limit: 50,
      months: 24,
    });
    expect(screen.getByLabelText("Show")).toHaveValue("50");
    expect(screen.getByLabelText("Cohorts")).toHaveValue("24");
  });

  it("falls back to its defaults for values it does not offer", () => {
    const executeQuery = show(answering(answer()), "/?limit=7&months=99");
    expect(lastVariables(executeQuery)).toEqual({
      period: "MONTH",
      dateRange: null,
      limit: 25,
      months: 12,
    });
  });

  it("keeps the controls in the URL beside the period", () => {
    const executeQuery = show(answering(answer()), "/?period=YEAR");
    fireEvent.change(screen.getByLabelText("Show"), { target: { value: "100" } });
    fireEvent.change(screen.getByLabelText("Cohorts"), { target: { value: "6" } });
    const location = screen.getByRole("status", { name: "location" });
    expect(location.textContent).toBe("?period=YEAR&limit=100&months=6");
    expect(lastVariables(executeQuery)).toEqual({
      period: "YEAR",
      dateRange: null,
      limit: 100,
      months: 6,
    });

    fireEvent.change(screen.getByLabelText("Cohorts"), { target: { value: "12" } });
    expect(location.textContent).toBe("?period=YEAR&limit=100");
  });

  it("colours each heatmap cell by its bucket and writes the share in it", () => {
    show();
    const heatmap = screen.getByRole("table", { name: "Retention by acquisition month" });
    const september = within(heatmap).getByRole("rowheader", { name: "Sep 2026" }).closest("tr")!;
    const cells = within(september).getAllByRole("cell");
    expect(cells.map((cell) => cell.textContent)).toEqual(["30", "100.0%", "26.7%", "5.0%"]);
    expect(cells[1]).toHaveClass("heat--5");
    expect(cells[2]).toHaveClass("heat--2");
    expect(cells[3]).toHaveClass("heat--0");

    const november = within(heatmap).getByRole("rowheader", { name: "Nov 2026" }).closest("tr")!;
    const later = within(november).getAllByRole("cell").slice(2);
    expect(later.map((cell) => cell.textContent)).toEqual(["not yet", "not yet"]);
    expect(later[0]).toHaveClass("heat--future");

    const october = within(heatmap).getByRole("rowheader", { name: "Oct 2026" }).closest("tr")!;
    expect(within(october).getAllByRole("cell")[1]).toHaveTextContent("—");
    expect(screen.getByRole("list", { name: "Colour scale" })).toHaveTextContent("60% and more");
  });

  it("exports every top customer with raw amounts and the scores apart", async () => {
    show();
    const panel = screen.getByRole("region", { name: "Top customers" });
    fireEvent.click(within(panel).getByRole("button", { name: "Export CSV" }));
    await waitFor(() => expect(downloadCsv).toHaveBeenCalled());
    const [filename, csv] = vi.mocked(downloadCsv).mock.lastCall!;
    expect(filename).toBe("top-customers.csv");
    expect(csv.split("\r\n").slice(0, 2)).toEqual([
      "Rank,Name,Email,Orders,Spent,AOV,Last order,Days since last order,Recency score," +
        "Frequency score,Monetary score,RFM,Segment,Lifetime value",
      "1,Owen Jackson,owen.jackson288@mail.example,9,3086.65,342.96,2026-11-21T16:35:46+00:00," +
        "9,5,4,5,545,Premium,9626.30",
    ]);
  });

  it("exports the cohorts as plain ratios", async () => {
    show();
    const panel = screen.getByRole("region", { name: "Cohort retention" });
    fireEvent.click(within(panel).getByRole("button", { name: "Export CSV" }));
    await waitFor(() => expect(downloadCsv).toHaveBeenCalled());
    const [filename, csv] = vi.mocked(downloadCsv).mock.lastCall!;
    expect(filename).toBe("cohort-retention-12-months.csv");
    expect(csv.split("\r\n").slice(0, 4)).toEqual([
      "Cohort month,Customers,Month 0 retention,Month 1 retention,Month 2 retention",
      "2026-09-01,30,1,0.266667,0.05",
      "2026-10-01,0,,,",
      "2026-11-01,105,1,,",
    ]);
  });

  it("says when nobody bought in the period", () => {
    show(answering(answer({ topCustomers: [] })));
    const title = "No customer bought anything: this month";
    expect(screen.getByRole("heading", { name: title })).toBeInTheDocument();
  });

  it("shows a skeleton while loading", () => {
    show(pending());
    expect(screen.getByLabelText("Loading the customers")).toHaveAttribute("aria-busy", "true");
  });

  it("names the role the API refused, and says to ask an admin", () => {
    const refused = failing(
      new CombinedError({
        graphQLErrors: [{ message: "needs analytics:read", extensions: { code: "FORBIDDEN" } }],
      }),
    );
    renderPage(<CustomersPage />, refused, "/?period=MONTH", "/", SESSIONS.viewer);
    const alert = screen.getByRole("alert");
    expect(alert).toHaveTextContent("Not allowed to read the customers");
    expect(alert).toHaveTextContent("Your role (viewer) cannot read this; ask an admin");
    expect(within(alert).getByRole("button", { name: "Try again" })).toBeInTheDocument();
  });
});
