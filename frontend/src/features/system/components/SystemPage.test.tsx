import { fireEvent, screen, within } from "@testing-library/react";
import { CombinedError, type Operation } from "urql";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { fromValue, never } from "wonka";

import type { SystemQuery, SystemQueryVariables } from "@/gql/graphql";
import type { SessionState } from "@/hooks/use-session";
import { downloadCsv } from "@/lib/csv";
import { SESSIONS } from "@/testing/session";
import { answer$, renderPage as renderStubbed } from "@/testing/urql-stub";

import { SystemPage } from "./SystemPage";

vi.mock("@/lib/csv", async (original) => ({
  ...(await original<typeof import("@/lib/csv")>()),
  downloadCsv: vi.fn(),
}));

const JOBS: NonNullable<SystemQuery["jobs"]> = [
  {
    name: "maintenance",
    description: "VACUUM ANALYZE / PRAGMA optimize",
    schedule: "0 4 * * 0",
    scheduleDescription: "weekly Sun 04:00",
    nextRun: "2026-12-06T03:00:00+00:00",
    queue: "maintenance",
    lastRun: null,
    recentRuns: [],
  },
];

const TIERS: NonNullable<SystemQuery["cacheInfo"]> = {
  backend: "in-process+redis",
  perProcess: true,
  tiers: [
    { name: "l1", backend: "in-process", hits: 1234, misses: 56, hitRate: 95.6589, entries: 12, memory: 1_500_000, available: true },
    { name: "l2", backend: "redis", hits: 0, misses: 0, hitRate: null, entries: null, memory: null, available: false },
  ],
};

/** The API's answer to the page's query, for the variables it was sent. */
const system = (operation: Operation): SystemQuery => {
  const { readsCache, readsJobs } = operation.variables as SystemQueryVariables;
  return {
    shopInfo: {
      name: "Corner Shop",
      version: "0.1.0",
      currency: "EUR",
      timezone: "Europe/Paris",
      revenueStatuses: ["COMPLETED", "PROCESSING"],
      anonymousReads: false,
    },
    ...(readsCache ? { cacheInfo: TIERS } : {}),
    ...(readsJobs ? { jobs: JOBS } : {}),
  };
};

function client(clearAnswer?: (operation: Operation) => object) {
  const executeQuery = vi.fn((operation: Operation) =>
    answer$({
      operation,
      data: system(operation),
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

const renderPage = (stub: ReturnType<typeof client>, session: SessionState = SESSIONS.admin) =>
  renderStubbed(<SystemPage />, stub, "/system", "/system", session);

/** The variables of each query the page sent. */
const sent = (stub: ReturnType<typeof client>) =>
  stub.executeQuery.mock.calls.map(([operation]) => operation.variables as SystemQueryVariables);

beforeEach(() => {
  vi.mocked(downloadCsv).mockClear();
});

describe("SystemPage", () => {
  it("shows the shop, the caller, how fresh the data is and the cache tiers, in one request", () => {
    const stub = client();
    renderPage(stub);
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
    expect(sent(stub)).toEqual([{ readsCache: true, readsJobs: true, recentRuns: 10 }]);
    expect(screen.getByRole("region", { name: "Background jobs" })).toBeInTheDocument();
  });

  it("clears the cache only after the second click, once, and lists the cleared tags", async () => {
    const stub = client();
    renderPage(stub);
    const asked = stub.executeQuery.mock.calls.length;
    fireEvent.change(screen.getByLabelText("Tags matching"), { target: { value: " products " } });
    fireEvent.click(screen.getByRole("button", { name: "Clear cache…" }));
    expect(stub.executeMutation).not.toHaveBeenCalled();
    const confirm = screen.getByRole("group", { name: "Confirm clearing the cache" });
    expect(confirm).toHaveTextContent("matching products, on every instance?");

    fireEvent.click(within(confirm).getByRole("button", { name: "Yes, clear the cache" }));

    expect(await screen.findByText("Cleared tags: orders, products.")).toHaveAttribute("role", "status");
    expect(stub.executeMutation).toHaveBeenCalledTimes(1);
    expect(stub.executeMutation.mock.calls[0]?.[0].variables).toEqual({ pattern: "products" });
    expect(screen.queryByRole("group", { name: "Confirm clearing the cache" })).not.toBeInTheDocument();
    // The counters and the data's freshness are asked for again.
    expect(stub.executeQuery.mock.calls.length).toBeGreaterThan(asked);
  });

  it("clears nothing when the confirmation is cancelled", () => {
    const stub = client();
    renderPage(stub);
    fireEvent.click(screen.getByRole("button", { name: "Clear cache…" }));
    fireEvent.click(screen.getByRole("button", { name: "Cancel" }));
    expect(screen.queryByRole("button", { name: "Yes, clear the cache" })).not.toBeInTheDocument();
    expect(stub.executeMutation).not.toHaveBeenCalled();
  });

  it("shows the server's refusal", async () => {
    const stub = client(() => ({
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

  it("gives an analyst the counters but no clear button and no jobs", () => {
    const stub = client();
    renderPage(stub, SESSIONS.analyst);
    expect(sent(stub)).toEqual([{ readsCache: true, readsJobs: false, recentRuns: 10 }]);
    expect(screen.queryByRole("region", { name: "Background jobs" })).not.toBeInTheDocument();
    expect(screen.getByRole("table", { name: "Cache tiers" })).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: /Clear cache/ })).not.toBeInTheDocument();
    expect(screen.queryByLabelText("Tags matching")).not.toBeInTheDocument();
  });

  it("shows the demo's anonymous caller the counters but no clear button", () => {
    renderPage(client(), SESSIONS.anonymousReader);
    expect(screen.getByRole("region", { name: "You" })).toHaveTextContent("Nobody (not signed in)");
    expect(screen.getByRole("table", { name: "Cache tiers" })).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: /Clear cache/ })).not.toBeInTheDocument();
  });

  it("never asks for the counters a viewer may not read, and offers no admin action", () => {
    const stub = client();
    renderPage(stub, SESSIONS.viewer);
    expect(screen.getByRole("region", { name: "You" })).toHaveTextContent("Viewer");
    expect(screen.getByText(/cache counters need the analytics read permission/)).toBeInTheDocument();
    expect(sent(stub)).toEqual([{ readsCache: false, readsJobs: false, recentRuns: 10 }]);
    expect(screen.queryByRole("region", { name: "Background jobs" })).not.toBeInTheDocument();
    expect(screen.queryByRole("button", { name: /Clear cache/ })).not.toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Export CSV" })).not.toBeInTheDocument();
  });

  it("exports the cache tiers with raw numbers", async () => {
    renderPage(client(), SESSIONS.analyst);
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
