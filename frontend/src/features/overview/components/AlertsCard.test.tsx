import { screen, within } from "@testing-library/react";
import { CombinedError } from "urql";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import type { AlertFieldsFragment } from "@/gql/graphql";
import { JOB_FAILED, LOW_STOCK } from "@/testing/alerts";
import { SESSIONS } from "@/testing/session";
import { answering, failing, queriesOf, renderPage } from "@/testing/urql-stub";

import { AlertsCard } from "./AlertsCard";

const show = (executeQuery: ReturnType<typeof answering>, session = SESSIONS.analyst) =>
  renderPage(<AlertsCard timezone="UTC" />, executeQuery, "/", "/", session);

const open = (...alerts: AlertFieldsFragment[]) => answering({ alerts });

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(Date.parse("2026-11-30T08:00:00Z"));
});

afterEach(() => {
  vi.useRealTimers();
});

describe("AlertsCard", () => {
  it("lists the open alerts: a low product links to its page, a failed job is named", () => {
    const executeQuery = open(JOB_FAILED, LOW_STOCK);
    show(executeQuery);
    const card = screen.getByRole("region", { name: "Open alerts" });
    const items = within(card).getAllByRole("listitem");
    expect(items).toHaveLength(2);
    expect(items[0]).toHaveTextContent(
      "Job failedJob partitionspartitions failed: OperationalError: database is locked1 hour ago",
    );
    expect(within(items[0] as HTMLElement).queryByRole("link")).not.toBeInTheDocument();
    expect(within(items[1] as HTMLElement).getByRole("link", { name: "Trail Boot" })).toHaveAttribute(
      "href",
      "/products/42",
    );
    expect(items[1]).toHaveTextContent("Low stockTrail Boot (SKU-42)");
    expect(items[1]).toHaveTextContent("2 in stock, reorder level 10");
    expect(within(card).getByRole("link", { name: "See all alerts" })).toHaveAttribute("href", "/alerts");
    expect(queriesOf(executeQuery).map((o) => o.variables)).toEqual([{ first: 6 }]);
  });

  it("links a failed job to the System page for an admin", () => {
    show(open(JOB_FAILED), SESSIONS.admin);
    expect(screen.getByRole("link", { name: "Job partitions" })).toHaveAttribute("href", "/system");
  });

  it("says there are more than it shows", () => {
    const many = Array.from({ length: 6 }, (_, i) => ({ ...LOW_STOCK, id: String(i + 10) }));
    show(open(...many));
    expect(screen.getAllByRole("listitem")).toHaveLength(5);
    expect(screen.getByRole("link", { name: "See all alerts (more than 5 open)" })).toBeInTheDocument();
  });

  it("is not there when no alert is open", () => {
    show(open());
    expect(screen.queryByRole("region", { name: "Open alerts" })).not.toBeInTheDocument();
  });

  it("asks nothing for a caller who may not read the alerts", () => {
    const executeQuery = open(LOW_STOCK);
    show(executeQuery, SESSIONS.viewer);
    expect(executeQuery).not.toHaveBeenCalled();
    expect(screen.queryByRole("region", { name: "Open alerts" })).not.toBeInTheDocument();
  });

  it("says when the alerts could not be loaded", () => {
    show(failing(new CombinedError({ networkError: new Error("Failed to fetch") })));
    const card = screen.getByRole("region", { name: "Open alerts" });
    expect(within(card).getByRole("alert")).toHaveTextContent("The alerts could not be loaded");
    expect(within(card).getByRole("button", { name: "Try again" })).toBeInTheDocument();
  });
});
