import { fireEvent, render, screen, within } from "@testing-library/react";
import { Kind, type OperationDefinitionNode } from "graphql";
import { MemoryRouter } from "react-router-dom";
import { CombinedError, Provider, type Client, type Operation } from "urql";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { concat, fromValue, never } from "wonka";

import type { CacheInfoQuery, SystemQuery } from "@/gql/graphql";
import { downloadCsv } from "@/lib/csv";
import { WithSession } from "@/testing/session";

import { SystemPage } from "./SystemPage";

vi.mock("@/lib/csv", async (original) => ({
  ...(await original<typeof import("@/lib/csv")>()),
  downloadCsv: vi.fn(),
}));

type Me = SystemQuery["me"];

const ADMIN: Me = {
  subject: "ada@shop.test",
  role: "ADMIN",
  permissions: ["DASHBOARD_READ", "ANALYTICS_READ", "WRITE"],
};
const ANALYST: Me = { subject: "ana@shop.test", role: "ANALYST", permissions: ["DASHBOARD_READ", "ANALYTICS_READ"] };
const VIEWER: Me = { subject: "vic@shop.test", role: "VIEWER", permissions: ["DASHBOARD_READ"] };
const ANONYMOUS_DEMO: Me = { subject: "anonymous", role: null, permissions: ["DASHBOARD_READ", "ANALYTICS_READ"] };

const system = (me: Me): SystemQuery => ({
  shopInfo: {
    name: "Corner Shop",
    version: "0.1.0",
    currency: "EUR",
    timezone: "Europe/Paris",
    revenueStatuses: ["COMPLETED", "PROCESSING"],
    anonymousReads: me.role === null,
  },
  me,
});

const CACHE: CacheInfoQuery = {
  cacheInfo: {
    backend: "in-process+redis",
    perProcess: true,
    tiers: [
      { name: "l1", backend: "in-process", hits: 1234, misses: 56, hitRate: 95.6589, entries: 12, memory: 1_500_000, available: true },
      { name: "l2", backend: "redis", hits: 0, misses: 0, hitRate: null, entries: null, memory: null, available: false },
    ],
  },
};

const answer$ = (result: object) => concat([fromValue(result), never]);

function name(operation: Operation): string | undefined {
  const definition = operation.query.definitions.find(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  return definition?.name?.value;
}

function client(me: Me, clearAnswer?: (operation: Operation) => object) {
  const executeQuery = vi.fn((operation: Operation) =>
    answer$({
      operation,
      data: name(operation) === "System" ? system(me) : CACHE,
      extensions: { dataAsOf: "2026-11-30T02:59:30+00:00" },
      stale: false,
      hasNext: false,
    }),
  );
  const executeMutation = vi.fn((operation: Operation) =>
    fromValue({
      operation,
      stale: false,
      hasNext: false,
      ...(clearAnswer ? clearAnswer(operation) : { data: { clearCache: { tags: ["orders", "products"] } } }),
    }),
  );
  return { executeQuery, executeMutation };
}

function renderPage(stub: ReturnType<typeof client>) {
  render(
    <Provider value={stub as unknown as Client}>
      <WithSession>
        <MemoryRouter initialEntries={["/system"]}>
          <SystemPage />
        </MemoryRouter>
      </WithSession>
    </Provider>,
  );
}

const asked = (stub: ReturnType<typeof client>, operation: string) =>
  stub.executeQuery.mock.calls.filter(([op]) => name(op) === operation).length;

beforeEach(() => {
  vi.mocked(downloadCsv).mockClear();
});

describe("SystemPage", () => {
  it("shows the shop, the caller, how fresh the data is and the cache tiers", () => {
    renderPage(client(ADMIN));
    const shop = screen.getByRole("region", { name: "Shop" });
    expect(within(shop).getByText("ShopX 0.1.0")).toBeInTheDocument();
    expect(within(shop).getByText("EUR")).toBeInTheDocument();
    expect(within(shop).getByText("COMPLETED, PROCESSING")).toBeInTheDocument();
    expect(within(shop).getByText(/Off: every read needs a sign-in/)).toBeInTheDocument();
    // 02:59 UTC is 03:59 in Paris.
    expect(within(shop).getByText("Nov 30, 2026, 3:59 AM")).toHaveAttribute(
      "datetime",
      "2026-11-30T02:59:30+00:00",
    );
    const you = screen.getByRole("region", { name: "You" });
    expect(you).toHaveTextContent("ada@shop.test");
    expect(you).toHaveTextContent("Admin");

    const tiers = screen.getByRole("table", { name: "Cache tiers" });
    expect(within(tiers).getByRole("rowheader", { name: "l1 (in-process)" }).closest("tr")).toHaveTextContent(
      "in-process1,2345695.7%121.5 MBYes",
    );
    expect(within(tiers).getByRole("rowheader", { name: "l2 (Redis)" }).closest("tr")).toHaveTextContent(
      "redis00———No",
    );
    expect(screen.getByText("in-process+redis")).toBeInTheDocument();
    expect(document.title).toBe("System · Corner Shop");
  });

  it("clears the cache only after the second click, once, and lists the cleared tags", async () => {
    const stub = client(ADMIN);
    renderPage(stub);
    const cacheAsked = asked(stub, "CacheInfo");
    fireEvent.change(screen.getByLabelText("Tags matching"), { target: { value: " products " } });
    fireEvent.click(screen.getByRole("button", { name: "Clear cache…" }));
    expect(stub.executeMutation).not.toHaveBeenCalled();
    const confirm = screen.getByRole("group", { name: "Confirm clearing the cache" });
    expect(confirm).toHaveTextContent("matching products, on every instance?");

    fireEvent.click(within(confirm).getByRole("button", { name: "Yes, clear the cache" }));

    expect(await screen.findByRole("status")).toHaveTextContent("Cleared tags: orders, products.");
    expect(stub.executeMutation).toHaveBeenCalledTimes(1);
    expect(stub.executeMutation.mock.calls[0]?.[0].variables).toEqual({ pattern: "products" });
    expect(screen.queryByRole("group", { name: "Confirm clearing the cache" })).not.toBeInTheDocument();
    // The counters and the data's freshness are asked for again.
    expect(asked(stub, "CacheInfo")).toBeGreaterThan(cacheAsked);
  });

  it("clears nothing when the confirmation is cancelled", () => {
    const stub = client(ADMIN);
    renderPage(stub);
    fireEvent.click(screen.getByRole("button", { name: "Clear cache…" }));
    fireEvent.click(screen.getByRole("button", { name: "Cancel" }));
    expect(screen.queryByRole("button", { name: "Yes, clear the cache" })).not.toBeInTheDocument();
    expect(stub.executeMutation).not.toHaveBeenCalled();
  });

  it("shows the server's refusal", async () => {
    const stub = client(ADMIN, () => ({
      error: new CombinedError({
        graphQLErrors: [{ message: "role admin may not write", extensions: { code: "FORBIDDEN" } }],
      }),
    }));
    renderPage(stub);
    fireEvent.click(screen.getByRole("button", { name: "Clear cache…" }));
    fireEvent.click(screen.getByRole("button", { name: "Yes, clear the cache" }));
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("The cache was not cleared");
    expect(alert).toHaveTextContent("Only an admin may clear the cache");
    expect(alert).toHaveTextContent("role admin may not write");
  });

  it("gives an analyst the counters but no clear button", () => {
    const stub = client(ANALYST);
    renderPage(stub);
    expect(screen.getByRole("table", { name: "Cache tiers" })).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: /Clear cache/ })).not.toBeInTheDocument();
    expect(screen.queryByLabelText("Tags matching")).not.toBeInTheDocument();
  });

  it("shows the demo's anonymous caller the counters but no clear button", () => {
    renderPage(client(ANONYMOUS_DEMO));
    expect(screen.getByRole("region", { name: "You" })).toHaveTextContent("Nobody (no token)");
    expect(screen.getByRole("table", { name: "Cache tiers" })).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: /Clear cache/ })).not.toBeInTheDocument();
  });

  it("never asks for the counters a viewer may not read, and offers no admin action", () => {
    const stub = client(VIEWER);
    renderPage(stub);
    expect(screen.getByRole("region", { name: "You" })).toHaveTextContent("Viewer");
    expect(screen.getByText(/cache counters need the analytics read permission/)).toBeInTheDocument();
    expect(asked(stub, "CacheInfo")).toBe(0);
    expect(screen.queryByRole("button", { name: /Clear cache/ })).not.toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Export CSV" })).not.toBeInTheDocument();
  });

  it("exports the cache tiers with raw numbers", async () => {
    renderPage(client(ANALYST));
    fireEvent.click(screen.getByRole("button", { name: "Export CSV" }));
    await vi.waitFor(() => expect(downloadCsv).toHaveBeenCalledTimes(1));
    expect(downloadCsv).toHaveBeenCalledWith(
      "cache-tiers.csv",
      "Tier,Backend,Hits,Misses,Hit rate,Entries,Memory,Reachable\r\n" +
        "l1,in-process,1234,56,95.6589,12,1500000,yes\r\n" +
        "l2,redis,0,0,,,,no\r\n",
    );
  });

  it("says what to do when the API does not answer", () => {
    renderPage({
      executeQuery: vi.fn((operation: Operation) =>
        answer$({
          operation,
          error: new CombinedError({ networkError: new Error("Failed to fetch") }),
          stale: false,
          hasNext: false,
        }),
      ),
      executeMutation: vi.fn(),
    });
    const alert = screen.getByRole("alert");
    expect(alert).toHaveTextContent("Check that the server is running");
    expect(within(alert).getByRole("button", { name: "Try again" })).toBeInTheDocument();
  });

  it("shows skeletons while loading", () => {
    renderPage({ executeQuery: vi.fn(() => never), executeMutation: vi.fn() });
    expect(screen.getByLabelText("Loading the system facts")).toHaveAttribute("aria-busy", "true");
  });
});
