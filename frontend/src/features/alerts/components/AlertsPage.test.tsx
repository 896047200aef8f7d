import { fireEvent, screen, within } from "@testing-library/react";
import type { Operation } from "urql";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import type { AlertsQuery, AlertsQueryVariables } from "@/gql/graphql";
import { CLOSED, JOB_FAILED, LOW_STOCK } from "@/testing/alerts";
import { answering, pending, queriesOf, renderPage } from "@/testing/urql-stub";

import { AlertsPage } from "./AlertsPage";

/** The API: the open alerts, the closed ones, or both, as ``open`` asks. */
const api = () =>
  answering<AlertsQuery>((operation: Operation) => {
    const { open } = operation.variables as AlertsQueryVariables;
    const all = [JOB_FAILED, LOW_STOCK, CLOSED];
    return {
      shopInfo: { name: "Corner Shop", timezone: "UTC" },
      alerts: all.filter((alert) => open == null || (alert.closedAt === null) === open),
    };
  });

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(Date.parse("2026-11-30T08:00:00Z"));
});

afterEach(() => {
  vi.useRealTimers();
});

describe("AlertsPage", () => {
  it("lists the open alerts by default, and the closed or all of them as the URL says", () => {
    const executeQuery = api();
    renderPage(<AlertsPage />, executeQuery, "/alerts", "/alerts");
    const list = () => screen.getByRole("region", { name: /alerts$/ });
    const rows = () => within(list()).getAllByRole("row").slice(1);
    expect(screen.getByRole("button", { name: "Open" })).toHaveAttribute("aria-pressed", "true");
    expect(rows()).toHaveLength(2);
    expect(list()).toHaveTextContent("2 open alerts, newest first");
    expect(rows()[0]).toHaveTextContent("Job failedJob partitionspartitions failed: OperationalError");
    expect(rows()[0]).toHaveTextContent("1 hour ago");
    expect(within(rows()[1] as HTMLElement).getByRole("link", { name: "Trail Boot" })).toHaveAttribute(
      "href",
      "/products/42",
    );
    expect(within(list()).queryByRole("columnheader", { name: "Closed" })).not.toBeInTheDocument();

    fireEvent.click(screen.getByRole("button", { name: "Closed" }));
    expect(screen.getByRole("status", { name: "location" })).toHaveTextContent("?show=closed");
    expect(rows()).toHaveLength(1);
    expect(rows()[0]).toHaveTextContent(/2 hours ago30 minutes ago$/);

    fireEvent.click(screen.getByRole("button", { name: "All" }));
    expect(rows()).toHaveLength(3);
    expect(rows()[0]).toHaveTextContent(/Still open$/);
    expect(queriesOf(executeQuery).map((o) => o.variables)).toEqual([
      { open: true, first: 100 },
      { open: false, first: 100 },
      { open: null, first: 100 },
    ]);
    expect(document.title).toBe("Alerts · Corner Shop");
  });

  it("says when there is nothing to list", () => {
    renderPage(
      <AlertsPage />,
      answering({ shopInfo: { name: "Corner Shop", timezone: "UTC" }, alerts: [] }),
      "/alerts",
      "/alerts",
    );
    expect(screen.getByRole("heading", { name: "No open alerts" })).toBeInTheDocument();
  });

  it("says when the list is the API's newest hundred rather than every alert", () => {
    const many = Array.from({ length: 100 }, (_, i) => ({ ...LOW_STOCK, id: String(i + 1) }));
    renderPage(
      <AlertsPage />,
      answering({ shopInfo: { name: "Corner Shop", timezone: "UTC" }, alerts: many }),
      "/alerts",
      "/alerts",
    );
    expect(screen.getByText("The newest 100 open alerts")).toBeInTheDocument();
  });

  it("shows a placeholder while loading", () => {
    renderPage(<AlertsPage />, pending(), "/alerts", "/alerts");
    expect(screen.getByLabelText("Loading the alerts")).toHaveAttribute("aria-busy", "true");
  });
});
