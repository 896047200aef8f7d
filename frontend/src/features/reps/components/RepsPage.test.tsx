import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { CombinedError } from "urql";
import { beforeEach, describe, expect, it, vi } from "vitest";

import type { SalesRepsQuery } from "@/gql/graphql";
import { downloadCsv } from "@/lib/csv";
import { SESSIONS } from "@/testing/session";
import { answering, failing, lastVariables, renderPage } from "@/testing/urql-stub";

import { RepsPage } from "./RepsPage";

vi.mock("@/lib/csv", async (original) => ({
  ...(await original<typeof import("@/lib/csv")>()),
  downloadCsv: vi.fn(),
}));

beforeEach(() => vi.mocked(downloadCsv).mockClear());

const rep = (id: string, name: string, region: string | null, rate: number) => ({
  id,
  name,
  email: `${name.toLowerCase().replace(" ", ".")}.${id}@shopx.example`,
  region,
  commissionRate: rate,
});

function answer(overrides: Partial<SalesRepsQuery> = {}): SalesRepsQuery {
  return {
    shopInfo: { name: "Corner Shop", currency: "USD", timezone: "UTC" },
    topSalesReps: [
      {
        rank: 4,
        totalSales: "28748.75",
        totalOrders: 196,
        uniqueCustomers: 102,
        averageOrderValue: "146.68",
        commissionEarned: "2156.16",
        totalProfit: "10765.31",
        salesRep: rep("4", "Noah Scott", "Midwest", 7.5),
      },
      {
        rank: 9,
        totalSales: "22048.40",
        totalOrders: 147,
        uniqueCustomers: 79,
        averageOrderValue: "149.99",
        commissionEarned: "2149.72",
        totalProfit: "7510.90",
        salesRep: rep("11", "Noah Scott", "South Central", 9.75),
      },
    ],
    regionalPerformance: [
      {
        region: "Northeast",
        revenue: "219684.23",
        orders: 1463,
        customers: 236,
        profit: "82470.05",
        profitMargin: 37.5403,
        growth: 16.6441,
      },
      {
        region: "Unknown",
        revenue: "120.00",
        orders: 1,
        customers: 1,
        profit: "30.00",
        profitMargin: 25,
        growth: null,
      },
    ],
    salesReps: {
      edges: [
        { node: { region: "Midwest" } },
        { node: { region: "South Central" } },
        { node: { region: null } },
      ],
    },
    ...overrides,
  };
}

const show = (executeQuery = answering(answer()), url = "/?period=YEAR") => {
  renderPage(<RepsPage />, executeQuery, url);
  return executeQuery;
};

describe("RepsPage", () => {
  it("tells two reps of the same name apart and links each by id", () => {
    show();
    const board = screen.getByRole("table", { name: "Sales reps by sales, year" });
    const links = within(board).getAllByRole("link", { name: "Noah Scott" });
    expect(links.map((link) => link.getAttribute("href"))).toEqual([
      "/reps/4?period=YEAR",
      "/reps/11?period=YEAR",
    ]);
    const second = links[1]!.closest("tr")!;
    expect(second).toHaveTextContent("noah.scott.11@shopx.example");
    expect(second).toHaveTextContent("South Central");
    expect(second).toHaveTextContent("$22,048.40");
    expect(second).toHaveTextContent("$2,149.72");
    expect(second).toHaveTextContent("9.75%");
    expect(document.title).toBe("Sales reps · Corner Shop");
  });

  it("shows the regions with their growth", () => {
    show();
    const regions = screen.getByRole("table", { name: "Regions by revenue" });
    const northeast = within(regions).getByRole("rowheader", { name: "Northeast" }).closest("tr");
    expect(northeast).toHaveTextContent("$219,684.23");
    expect(northeast).toHaveTextContent("37.5%");
    expect(within(northeast!).getByText("+16.6%")).toHaveClass("change--up");
    const unknown = within(regions).getByRole("rowheader", { name: "Unknown" }).closest("tr");
    expect(unknown).toHaveTextContent("—");
  });

  it("sends the period and the rep region from the URL", () => {
    const url = "/?period=CUSTOM&from=2026-01-01&to=2026-01-31&region=South%20Central";
    const executeQuery = show(answering(answer()), url);
    expect(lastVariables(executeQuery)).toEqual({
      period: "CUSTOM",
      dateRange: { startDate: "2026-01-01", endDate: "2026-01-31" },
      region: "South Central",
      limit: 100,
      listReps: true,
      unfiltered: false,
    });
    const filter = screen.getByLabelText("Rep region");
    expect(filter).toHaveValue("South Central");
    expect(within(filter).getAllByRole("option").map((option) => option.textContent)).toEqual([
      "All regions",
      "Midwest",
      "South Central",
      "Unknown",
    ]);
  });

  it("keeps the region filter in the URL beside the period", () => {
    const executeQuery = show();
    fireEvent.change(screen.getByLabelText("Rep region"), { target: { value: "Midwest" } });
    const location = screen.getByRole("status", { name: "location" });
    expect(location.textContent).toBe("?period=YEAR&region=Midwest");
    expect(lastVariables(executeQuery)).toMatchObject({ region: "Midwest" });

    fireEvent.change(screen.getByLabelText("Rep region"), { target: { value: "" } });
    expect(location.textContent).toBe("?period=YEAR");
    expect(lastVariables(executeQuery)).toMatchObject({ region: null });
  });

  it("exports the leaderboard with each rep's id, name and email", async () => {
    show();
    fireEvent.click(
      within(screen.getByRole("region", { name: "Leaderboard" })).getByRole("button", {
        name: "Export CSV",
      }),
    );
    await waitFor(() => expect(downloadCsv).toHaveBeenCalled());
    const [filename, csv] = vi.mocked(downloadCsv).mock.lastCall!;
    expect(filename).toBe("sales-reps.csv");
    expect(csv.split("\r\n").slice(0, 3)).toEqual([
      "Rank,Rep ID,Name,Email,Region,Sales,Orders,Customers,AOV,Rate (%),Commission,Profit",
      "4,4,Noah Scott,noah.scott.4@shopx.example,Midwest,28748.75,196,102,146.68,7.5,2156.16," +
        "10765.31",
      "9,11,Noah Scott,noah.scott.11@shopx.example,South Central,22048.40,147,79,149.99,9.75," +
        "2149.72,7510.90",
    ]);
  });

  it("exports the regions", async () => {
    show();
    fireEvent.click(
      within(screen.getByRole("region", { name: "Regional performance" })).getByRole("button", {
        name: "Export CSV",
      }),
    );
    await waitFor(() => expect(downloadCsv).toHaveBeenCalled());
    const [filename, csv] = vi.mocked(downloadCsv).mock.lastCall!;
    expect(filename).toBe("regional-performance.csv");
    expect(csv.split("\r\n").slice(0, 3)).toEqual([
      "Region,Revenue,Orders,Customers,Profit,Margin (%),Growth (%)",
      "Northeast,219684.23,1463,236,82470.05,37.5403,16.6441",
      "Unknown,120.00,1,1,30.00,25,",
    ]);
  });

  it("says when no rep of the region sold anything", () => {
    show(answering(answer({ topSalesReps: [] })), "/?period=TODAY&region=Midwest");
    expect(screen.getByRole("heading", { name: "No sales in Midwest: today" })).toBeInTheDocument();
  });

  it("says what to do when the API does not answer", () => {
    show(failing(new CombinedError({ networkError: new Error("Failed to fetch") })));
    const alert = screen.getByRole("alert");
    expect(alert).toHaveTextContent("Check that the server is running");
    expect(within(alert).getByRole("button", { name: "Try again" })).toBeInTheDocument();
  });

  describe("for a viewer", () => {
    // What a viewer's answer holds: no rep list, which is an analytics read.
    const { salesReps: _analyticsOnly, ...viewerAnswer } = answer();

    it("asks for no rep list and links no rep's page, which are analytics reads", () => {
      const executeQuery = answering(viewerAnswer);
      renderPage(<RepsPage />, executeQuery, "/?period=YEAR", "/", SESSIONS.viewer);
      expect(lastVariables(executeQuery)).toMatchObject({ listReps: false, unfiltered: false });
      const board = screen.getByRole("table", { name: "Sales reps by sales, year" });
      expect(within(board).getAllByText("Noah Scott")).toHaveLength(2);
      expect(within(board).queryByRole("link")).not.toBeInTheDocument();
      // the filter offers the regions of the reps with sales
      const filter = screen.getByLabelText("Rep region");
      expect(within(filter).getAllByRole("option").map((option) => option.textContent)).toEqual([
        "All regions",
        "Midwest",
        "South Central",
      ]);
    });

    it("takes the filter's regions from the unfiltered leaderboard while a region filters it", () => {
      const executeQuery = answering({
        ...viewerAnswer,
        topSalesReps: viewerAnswer.topSalesReps.slice(0, 1),
        repsWithSales: [
          { salesRep: { id: "4", region: "Midwest" } },
          { salesRep: { id: "11", region: "South Central" } },
          { salesRep: { id: "12", region: null } },
        ],
      });
      renderPage(<RepsPage />, executeQuery, "/?period=YEAR&region=Midwest", "/", SESSIONS.viewer);
      expect(lastVariables(executeQuery)).toMatchObject({ listReps: false, unfiltered: true });
      const filter = screen.getByLabelText("Rep region");
      expect(within(filter).getAllByRole("option").map((option) => option.textContent)).toEqual([
        "All regions",
        "Midwest",
        "South Central",
        "Unknown",
      ]);
    });
  });
});
