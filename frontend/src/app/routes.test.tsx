import { render, screen, within } from "@testing-library/react";
import { createMemoryRouter, RouterProvider } from "react-router-dom";
import { Provider, type Client } from "urql";
import { describe, expect, it, vi } from "vitest";
import { never } from "wonka";

import type { SessionState } from "@/hooks/use-session";
import { SESSIONS, WithSession } from "@/testing/session";

import { routes } from "./router";

// The subscriptions' socket: the Overview opens it.
vi.mock("@/lib/graphql-client", () => ({ socket: { on: () => () => undefined } }));
vi.mock("uplot", () => ({ default: class {} }));

/** The app's routes at ``url`` for ``session``, with a client that records every query and
 * never answers. */
function visit(url: string, session: SessionState) {
  const executeQuery = vi.fn(() => never);
  const executeSubscription = vi.fn(() => never);
  const client = { executeQuery, executeSubscription } as unknown as Client;
  render(
    <Provider value={client}>
      <WithSession session={session}>
        <RouterProvider router={createMemoryRouter(routes, { initialEntries: [url] })} />
      </WithSession>
    </Provider>,
  );
  return executeQuery;
}

const sidebarLinks = () =>
  within(screen.getByRole("navigation", { name: "Pages" }))
    .getAllByRole("link")
    .map((link) => link.textContent);

describe("a viewer", () => {
  it("has only the pages of dashboard reads in the sidebar", async () => {
    visit("/reps", SESSIONS.viewer);
    await screen.findByRole("heading", { level: 1, name: "Sales reps" });
    expect(sidebarLinks()).toEqual(["Overview", "Sales reps"]);
  });

  it.each([
    ["/customers", "Customers", "customer analytics", "analyst"],
    ["/profit", "Profit", "profit analytics", "analyst"],
    ["/products", "Products", "product analytics", "analyst"],
    ["/products/12", "Product", "product analytics", "analyst"],
    ["/reps/7?period=YEAR", "Sales rep", "a sales rep's details", "analyst"],
    ["/reports?kind=weekly", "Reports", "the reports", "analyst"],
    ["/alerts?show=closed", "Alerts", "the alerts", "analyst"],
    ["/import", "Import", "the imports", "analyst"],
  ])("sends no query for %s and is told what to ask for", async (url, title, subject, role) => {
    const executeQuery = visit(url, SESSIONS.viewer);
    expect(await screen.findByRole("heading", { level: 1, name: title })).toBeInTheDocument();
    expect(
      screen.getByText(`Your role (viewer) cannot see ${subject}. Ask an admin for the ${role} role.`),
    ).toBeInTheDocument();
    expect(screen.queryByRole("alert")).not.toBeInTheDocument();
    expect(executeQuery).not.toHaveBeenCalled();
  });

  it("reads the pages its role covers", async () => {
    const executeQuery = visit("/overview", SESSIONS.viewer);
    await screen.findByRole("heading", { level: 1, name: "Overview" });
    expect(executeQuery).toHaveBeenCalled();
    expect(screen.queryByText(/cannot see/)).not.toBeInTheDocument();
  });
});

describe("an analyst", () => {
  it("has every page but System, and reads the analytics", async () => {
    const executeQuery = visit("/customers", SESSIONS.analyst);
    await screen.findByRole("heading", { level: 1, name: "Customers" });
    expect(sidebarLinks()).toEqual([
      "Overview",
      "Products",
      "Customers",
      "Sales reps",
      "Profit",
      "Reports",
      "Alerts",
      "Import",
    ]);
    expect(executeQuery).toHaveBeenCalled();
    expect(screen.queryByText(/cannot see/)).not.toBeInTheDocument();
  });
});

describe("an admin", () => {
  it("has the System page too", async () => {
    visit("/overview", SESSIONS.admin);
    await screen.findByRole("heading", { level: 1, name: "Overview" });
    expect(sidebarLinks()).toContain("System");
  });
});
