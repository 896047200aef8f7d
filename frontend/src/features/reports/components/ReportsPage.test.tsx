import { act, fireEvent, screen, within } from "@testing-library/react";
import { CombinedError, getOperationName, type Operation } from "urql";
import type { Mock } from "vitest";
import { beforeEach, describe, expect, it, vi } from "vitest";

import type { ReportRowFragment, ReportsNextPageQuery, ReportsQuery } from "@/gql/graphql";
import { DownloadError, fetchFile, openFileInTab, saveFile } from "@/lib/download";
import { answering, failing, networkClient, pending, queriesOf, renderPage } from "@/testing/urql-stub";

import { ReportsPage } from "./ReportsPage";

vi.mock("@/lib/download", async (original) => ({
  ...(await original<typeof import("@/lib/download")>()),
  fetchFile: vi.fn(),
  openFileInTab: vi.fn(),
  saveFile: vi.fn(),
}));

const SHOP = { name: "Corner Shop", currency: "USD", timezone: "Europe/Paris" };

function report(id: number, fields: Partial<ReportRowFragment> = {}): ReportRowFragment {
  return {
    id: String(id),
    kind: "DAILY",
    periodStart: "2026-11-29",
    periodEnd: "2026-11-29",
    createdAt: "2026-11-30T05:00:03+00:00",
    sentAt: null,
    revenue: "12345.60",
    revenueChangePercentage: 12.34,
    orders: 120,
    ordersChangePercentage: -4.0,
    aov: "102.88",
    aovChangePercentage: null,
    htmlUrl: `/api/v1/reports/${id}.html`,
    csvUrl: `/api/v1/reports/${id}.csv`,
    ...fields,
  };
}

type Connection = ReportsQuery["reports"];

function connection(nodes: ReportRowFragment[], total: number, next: string | null): Connection {
  return {
    totalCount: total,
    pageInfo: { hasNextPage: next !== null, endCursor: next },
    edges: nodes.map((node) => ({ node })),
  };
}

/** The reports of each kind in pages: Reports answers the first page, ReportsNextPage the rest. */
function api(pages: Partial<Record<string, ReportRowFragment[][]>>): Mock {
  return answering<ReportsQuery | ReportsNextPageQuery>((operation: Operation) => {
    const { kind, after } = operation.variables as { kind: string; after?: string };
    const kindPages = pages[kind] ?? [];
    const total = kindPages.flat().length;
    const index = after ? Number(after.replace("page-", "")) : 0;
    const reports = connection(
      kindPages[index] ?? [],
      total,
      index + 1 < kindPages.length ? `page-${index + 1}` : null,
    );
    return getOperationName(operation.query) === "Reports" ? { shopInfo: SHOP, reports } : { reports };
  });
}

const open = (executeQuery: Mock, url = "/reports") =>
  renderPage(<ReportsPage />, networkClient(executeQuery), url, "/reports");

beforeEach(() => {
  vi.mocked(fetchFile).mockReset();
  vi.mocked(openFileInTab).mockReset();
  vi.mocked(saveFile).mockReset();
});

describe("ReportsPage", () => {
  it("lists the daily reports: period, figures and their change against the previous period", async () => {
    const executeQuery = api({
      DAILY: [[report(2, { sentAt: "2026-11-30T06:00:09+00:00" }), report(1, { periodStart: "2026-11-28", periodEnd: "2026-11-28" })]],
    });
    open(executeQuery);
    const table = await screen.findByRole("table", { name: "Daily reports" });
    expect(screen.getByRole("tab", { name: "Daily" })).toHaveAttribute("aria-selected", "true");
    expect(screen.getByRole("tabpanel", { name: "Daily" })).toContainElement(table);
    const first = within(table).getByRole("rowheader", { name: /Sun, Nov 29, 2026/ }).closest("tr") as HTMLElement;
    expect(first).toHaveTextContent("E-mailed Nov 30, 2026, 7:00 AM");
    expect(first).toHaveTextContent("$12,345.60▲ +12.3%120▼ -4.0%$102.88—");
    expect(within(first).getByText("+12.3%").closest(".change")).toHaveClass("change--up");
    expect(within(first).getByText("-4.0%").closest(".change")).toHaveClass("change--down");
    expect(within(table).getByRole("rowheader", { name: /Sat, Nov 28, 2026/ })).toHaveTextContent(
      /^Sat, Nov 28, 2026$/,
    );
    expect(screen.getByText("2 of 2 daily reports")).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Load more" })).not.toBeInTheDocument();
    expect(queriesOf(executeQuery).map((o) => o.variables)).toEqual([{ kind: "DAILY", first: 20 }]);
    expect(document.title).toBe("Reports · Corner Shop");
  });

  it("keeps the kind in the URL and names weeks and months as such", async () => {
    const executeQuery = api({
      WEEKLY: [[report(5, { kind: "WEEKLY", periodStart: "2026-11-23", periodEnd: "2026-11-29" })]],
      MONTHLY: [[report(6, { kind: "MONTHLY", periodStart: "2026-10-01", periodEnd: "2026-10-31" })]],
    });
    open(executeQuery, "/reports?kind=weekly");
    const weekly = await screen.findByRole("table", { name: "Weekly reports" });
    expect(within(weekly).getByRole("rowheader")).toHaveTextContent(/^Nov 23\s–\s29, 2026/);

    fireEvent.click(screen.getByRole("tab", { name: "Monthly" }));
    const monthly = await screen.findByRole("table", { name: "Monthly reports" });
    expect(within(monthly).getByRole("rowheader")).toHaveTextContent("October 2026");
    expect(screen.getByRole("status", { name: "location" })).toHaveTextContent("?kind=monthly");

    // Arrow keys move along the tabs (and wrap).
    fireEvent.keyDown(screen.getByRole("tab", { name: "Monthly" }), { key: "ArrowRight" });
    expect(screen.getByRole("tab", { name: "Daily" })).toHaveAttribute("aria-selected", "true");
    expect(screen.getByRole("tab", { name: "Daily" })).toHaveFocus();
    expect(screen.getByRole("status", { name: "location" })).toHaveTextContent("");
  });

  it("loads older reports after the last cursor", async () => {
    const executeQuery = api({
      DAILY: [[report(3), report(2)], [report(1, { periodStart: "2026-11-27", periodEnd: "2026-11-27" })]],
    });
    open(executeQuery);
    const table = await screen.findByRole("table", { name: "Daily reports" });
    expect(screen.getByText("2 of 3 daily reports")).toBeInTheDocument();
    await act(async () => {
      fireEvent.click(screen.getByRole("button", { name: "Load more" }));
    });
    expect(within(table).getAllByRole("rowheader")).toHaveLength(3);
    expect(within(table).getByRole("rowheader", { name: /Fri, Nov 27, 2026/ })).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Load more" })).not.toBeInTheDocument();
    expect(queriesOf(executeQuery, "ReportsNextPage").map((o) => o.variables)).toEqual([
      { kind: "DAILY", first: 20, after: "page-1" },
    ]);
  });

  it("explains when the first reports come", async () => {
    open(api({}));
    expect(await screen.findByRole("heading", { name: "No daily reports yet" })).toBeInTheDocument();
    expect(screen.getByText(/after the first\s+closed day/)).toHaveTextContent("daily at 06:00");
  });

  it("saves a report's CSV as the API names it, fetched with the session's token", async () => {
    const blob = new Blob(["metric,value\r\n"], { type: "text/csv" });
    vi.mocked(fetchFile).mockResolvedValue({ blob, filename: "shopx-daily-2026-11-29.csv" });
    open(api({ DAILY: [[report(2)]] }));
    await act(async () => {
      fireEvent.click(await screen.findByRole("button", { name: "CSV of the report for Sun, Nov 29, 2026" }));
    });
    expect(fetchFile).toHaveBeenCalledWith("/api/v1/reports/2.csv");
    expect(saveFile).toHaveBeenCalledWith("shopx-daily-2026-11-29.csv", blob);
    expect(screen.queryByRole("alert")).not.toBeInTheDocument();
  });

  it("opens a report's HTML in a new tab, and says so when the download fails", async () => {
    vi.mocked(openFileInTab).mockRejectedValue(new DownloadError("No report with this id", 404));
    open(api({ DAILY: [[report(2)]] }));
    await act(async () => {
      fireEvent.click(await screen.findByRole("button", { name: "HTML of the report for Sun, Nov 29, 2026" }));
    });
    expect(openFileInTab).toHaveBeenCalledWith("/api/v1/reports/2.html", "text/html;charset=utf-8");
    const alert = screen.getByRole("alert");
    expect(alert).toHaveTextContent(
      "The HTML of the report for Sun, Nov 29, 2026 could not be downloaded: No report with this id.",
    );
    fireEvent.click(within(alert).getByRole("button", { name: "Dismiss" }));
    expect(screen.queryByRole("alert")).not.toBeInTheDocument();
  });

  it("shows the API's refusal with a way to try again", async () => {
    open(
      failing(
        new CombinedError({ graphQLErrors: [{ message: "no", extensions: { code: "FORBIDDEN" } }] }),
      ),
    );
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("Not allowed to read the reports");
    expect(within(alert).getByRole("button", { name: "Try again" })).toBeInTheDocument();
  });

  it("shows a placeholder while loading", () => {
    open(pending());
    expect(screen.getByLabelText("Loading the reports")).toHaveAttribute("aria-busy", "true");
  });
});
