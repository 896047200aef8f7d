import { act, fireEvent, screen, within } from "@testing-library/react";
import { CombinedError, type Operation } from "urql";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { fromValue } from "wonka";

import type { JobRunFieldsFragment, SystemQuery } from "@/gql/graphql";
import { SESSIONS } from "@/testing/session";
import { answer$, networkClient, renderPage } from "@/testing/urql-stub";

import { SystemPage } from "./SystemPage";

type Job = NonNullable<SystemQuery["jobs"]>[number];
type Run = JobRunFieldsFragment;

const NOW = Date.parse("2026-11-30T08:00:00Z");

const SHOP: SystemQuery["shopInfo"] = {
  name: "Corner Shop",
  version: "0.1.0",
  currency: "EUR",
  timezone: "Europe/Paris",
  revenueStatuses: ["COMPLETED"],
  anonymousReads: false,
};

const run = (fields: Partial<Run> & Pick<Run, "id" | "outcome">): Run => ({
  trigger: "schedule",
  rows: null,
  detail: null,
  error: null,
  startedAt: "2026-11-30T07:55:00+00:00",
  finishedAt: "2026-11-30T07:55:02+00:00",
  durationMs: 2_400,
  ...fields,
});

const FAILED = run({
  id: "7",
  outcome: "FAILED",
  error: "OperationalError: database is locked",
  startedAt: "2026-11-30T05:00:00+00:00",
  finishedAt: "2026-11-30T05:00:01+00:00",
  durationMs: 1_250,
});
const SUCCEEDED = run({ id: "5", outcome: "SUCCEEDED", rows: 1_234, detail: "1234 customers scored" });

const job = (fields: Partial<Job> & Pick<Job, "name">): Job => ({
  // As the API answers it: urql's cache asks for the jobs again after a run by this name.
  __typename: "Job",
  description: `${fields.name} does its work`,
  schedule: "0 3 * * *",
  scheduleDescription: "daily 03:00",
  nextRun: "2026-12-01T02:00:00+00:00",
  queue: "analytics",
  lastRun: null,
  recentRuns: [],
  ...fields,
});

const SEGMENTS = job({
  name: "segments",
  description: "Recompute RFM segments and lifetime values",
  lastRun: SUCCEEDED,
  recentRuns: [SUCCEEDED],
});
const PARTITIONS = job({ name: "partitions", lastRun: FAILED, recentRuns: [FAILED, SUCCEEDED] });
const MAINTENANCE = job({
  name: "maintenance",
  schedule: "off",
  scheduleDescription: "only when run by hand",
  nextRun: null,
  queue: "maintenance",
});

/** A server whose jobs the test changes between answers (``state.jobs``). */
function server(runJob: (operation: Operation) => object) {
  const state = { jobs: [SEGMENTS, PARTITIONS, MAINTENANCE] };
  const executeQuery = vi.fn((operation: Operation) =>
    answer$({
      operation,
      data: {
        shopInfo: SHOP,
        jobs: state.jobs,
      } satisfies SystemQuery,
      stale: false,
      hasNext: false,
    }),
  );
  const executeMutation = vi.fn((operation: Operation) =>
    fromValue({ operation, stale: false, hasNext: false, ...runJob(operation) }),
  );
  return { state, stub: { executeQuery, executeMutation } };
}

/** The page with a real urql client (its cache refetches the jobs after a run). */
const show = (stub: ReturnType<typeof server>["stub"]) =>
  renderPage(
    <SystemPage />,
    networkClient(stub.executeQuery, stub.executeMutation),
    "/system",
    "/system",
    SESSIONS.admin,
  );

const rowOf = (name: string) =>
  screen.getByRole("rowheader", { name: new RegExp(`^${name}`) }).closest("tr") as HTMLElement;

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date", "setInterval", "clearInterval"] });
  vi.setSystemTime(NOW);
});

afterEach(() => {
  vi.useRealTimers();
});

describe("the System page's background jobs", () => {
  it("lists each job with its schedule, next and last run, outcome, time taken and rows", () => {
    const { stub } = server(() => ({}));
    show(stub);
    const table = screen.getByRole("table", { name: "Background jobs" });
    const segments = rowOf("segments");
    expect(within(segments).getByRole("rowheader")).toHaveTextContent(
      "segmentsRecompute RFM segments and lifetime values",
    );
    expect(segments).toHaveTextContent("daily 03:00Europe/Paris");
    // 02:00 UTC is 03:00 in Paris, 18 hours from now.
    expect(within(segments).getByText("Dec 1, 2026, 3:00 AM")).toHaveAttribute(
      "datetime",
      "2026-12-01T02:00:00+00:00",
    );
    expect(segments).toHaveTextContent("in 18 hours");
    const last = within(segments).getByText("4 minutes ago");
    expect(last).toHaveAttribute("title", "Nov 30, 2026, 8:55 AM (Europe/Paris)");
    expect(within(segments).getByText("Succeeded")).toHaveClass("badge--succeeded");
    expect(segments).toHaveTextContent("2.4 s");
    expect(segments).toHaveTextContent("1,234");

    expect(within(rowOf("partitions")).getByText("Failed")).toHaveClass("badge--failed");
    const maintenance = rowOf("maintenance");
    expect(maintenance).toHaveTextContent("only when run by hand");
    expect(maintenance).toHaveTextContent("Not scheduled");
    expect(maintenance).toHaveTextContent("Never");
    expect(within(table).getAllByRole("rowheader")).toHaveLength(3);
    // The error is not on the row itself, only when the job is opened.
    expect(screen.queryByText(/database is locked/)).not.toBeInTheDocument();
  });

  it("shows a failed job's error and its recent runs when opened", () => {
    const { stub } = server(() => ({}));
    show(stub);
    const toggle = screen.getByRole("button", { name: "partitions" });
    expect(toggle).toHaveAttribute("aria-expanded", "false");
    fireEvent.click(toggle);
    expect(toggle).toHaveAttribute("aria-expanded", "true");
    const error = screen.getByRole("group", { name: "Error of the last run of partitions" });
    expect(error).toHaveTextContent("The last run failed");
    expect(error).toHaveTextContent("OperationalError: database is locked");
    const runs = screen.getByRole("table", { name: "Recent runs of partitions" });
    const rows = within(runs).getAllByRole("row").slice(1);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toHaveTextContent(/^Nov 30, 2026, 6:00 AMschedule.*Failed1\.3 s—OperationalError/);
    expect(rows[1]).toHaveTextContent(/Succeeded2\.4 s1,2341234 customers scored$/);

    fireEvent.click(toggle);
    expect(screen.queryByRole("table", { name: "Recent runs of partitions" })).not.toBeInTheDocument();
  });

  it("runs a job now and shows how the run ended, then the jobs as they are after it", async () => {
    const ended = run({
      id: "9",
      outcome: "SUCCEEDED",
      trigger: "manual",
      rows: 0,
      startedAt: "2026-11-30T07:59:57+00:00",
      finishedAt: "2026-11-30T07:59:58+00:00",
      durationMs: 830,
    });
    const { state, stub } = server(() => ({ data: { runJob: ended } }));
    show(stub);
    const asked = stub.executeQuery.mock.calls.length;
    state.jobs = [SEGMENTS, PARTITIONS, { ...MAINTENANCE, lastRun: ended, recentRuns: [ended] }];

    await act(async () => {
      fireEvent.click(screen.getByRole("button", { name: "Run now maintenance" }));
    });

    expect(stub.executeMutation).toHaveBeenCalledTimes(1);
    expect(stub.executeMutation.mock.calls[0]?.[0].variables).toEqual({ name: "maintenance" });
    const maintenance = rowOf("maintenance");
    expect(within(maintenance).getByRole("status")).toHaveTextContent("Succeeded in 830 ms, 0 rows");
    expect(within(maintenance).getByText("Succeeded")).toHaveClass("badge");
    expect(maintenance).toHaveTextContent("just now");
    expect(stub.executeQuery.mock.calls.length).toBe(asked + 1);
    // Ended: nothing to wait for.
    act(() => vi.advanceTimersByTime(10_000));
    expect(stub.executeQuery.mock.calls.length).toBe(asked + 1);
  });

  it("polls every 2 s while a run waits for a worker, and stops when it ended", async () => {
    const queued = run({
      id: "10",
      outcome: "QUEUED",
      trigger: "manual",
      startedAt: null,
      finishedAt: null,
      durationMs: null,
    });
    const { state, stub } = server(() => ({ data: { runJob: queued } }));
    show(stub);
    const withRun = (latest: Run) => [
      SEGMENTS,
      PARTITIONS,
      { ...MAINTENANCE, lastRun: latest, recentRuns: [latest] },
    ];
    state.jobs = withRun(queued);

    await act(async () => {
      fireEvent.click(screen.getByRole("button", { name: "Run now maintenance" }));
    });
    const button = screen.getByRole("button", { name: "Run now maintenance" });
    const status = within(rowOf("maintenance")).getByRole("status");
    expect(status).toHaveTextContent("Queued, waiting for a worker…");
    expect(button).toBeDisabled();
    expect(rowOf("maintenance")).toHaveTextContent("Not started yet");
    expect(within(rowOf("maintenance")).getByText("Queued")).toHaveClass("badge--queued");
    const asked = stub.executeQuery.mock.calls.length;

    state.jobs = withRun({ ...queued, outcome: "RUNNING", startedAt: "2026-11-30T08:00:01+00:00" });
    act(() => vi.advanceTimersByTime(2_000));
    expect(stub.executeQuery.mock.calls.length).toBe(asked + 1);
    expect(status).toHaveTextContent("Running…");
    expect(button).toBeDisabled();

    const done = run({ ...queued, outcome: "SUCCEEDED", rows: 3, durationMs: 4_000, finishedAt: "2026-11-30T08:00:05+00:00" });
    state.jobs = withRun(done);
    act(() => vi.advanceTimersByTime(2_000));
    expect(stub.executeQuery.mock.calls.length).toBe(asked + 2);
    expect(status).toHaveTextContent("Succeeded in 4 s, 3 rows");
    expect(button).toBeEnabled();

    act(() => vi.advanceTimersByTime(20_000));
    expect(stub.executeQuery.mock.calls.length).toBe(asked + 2);
  });

  it("stops polling when the page goes", async () => {
    const running = run({ id: "11", outcome: "RUNNING", finishedAt: null, durationMs: null });
    const { state, stub } = server(() => ({ data: { runJob: running } }));
    const page = show(stub);
    state.jobs = [SEGMENTS, PARTITIONS, { ...MAINTENANCE, lastRun: running, recentRuns: [running] }];
    await act(async () => {
      fireEvent.click(screen.getByRole("button", { name: "Run now maintenance" }));
    });
    const asked = stub.executeQuery.mock.calls.length;
    act(() => vi.advanceTimersByTime(2_000));
    expect(stub.executeQuery.mock.calls.length).toBe(asked + 1);
    page.unmount();
    act(() => vi.advanceTimersByTime(10_000));
    expect(stub.executeQuery.mock.calls.length).toBe(asked + 1);
  });

  it("follows a run it found going, and turns the button back on when it ended", async () => {
    const running = run({ id: "13", outcome: "RUNNING", trigger: "schedule", finishedAt: null, durationMs: null });
    const { state, stub } = server(() => ({}));
    state.jobs = [{ ...SEGMENTS, lastRun: running, recentRuns: [running] }];
    show(stub);
    const button = screen.getByRole("button", { name: "Run now segments" });
    expect(button).toBeDisabled();
    const asked = stub.executeQuery.mock.calls.length;

    const ended = { ...running, outcome: "SUCCEEDED" as const, durationMs: 900, finishedAt: "2026-11-30T07:59:59+00:00" };
    state.jobs = [{ ...SEGMENTS, lastRun: ended, recentRuns: [ended] }];
    await act(async () => {
      vi.advanceTimersByTime(2_000);
    });
    expect(stub.executeQuery.mock.calls.length).toBe(asked + 1);
    expect(button).toBeEnabled();
    act(() => vi.advanceTimersByTime(10_000));
    expect(stub.executeQuery.mock.calls.length).toBe(asked + 1);
  });

  it("keeps a job's button off while a run of it, started anywhere, is running", () => {
    const running = run({ id: "12", outcome: "RUNNING", finishedAt: null, durationMs: null });
    const { stub } = server(() => ({}));
    stub.executeQuery.mockImplementation((operation: Operation) =>
      answer$({
        operation,
        data: {
          shopInfo: { ...SHOP, timezone: "UTC" },
          jobs: [{ ...SEGMENTS, lastRun: running, recentRuns: [running] }],
        },
        stale: false,
        hasNext: false,
      }),
    );
    show(stub);
    expect(screen.getByRole("button", { name: "Run now segments" })).toBeDisabled();
    expect(within(rowOf("segments")).getByText("Running")).toHaveClass("badge--running");
  });

  it("says why a run was not started", async () => {
    const { stub } = server(() => ({
      error: new CombinedError({
        graphQLErrors: [{ message: "unknown job: nope", extensions: { code: "BAD_USER_INPUT" } }],
      }),
    }));
    show(stub);
    await act(async () => {
      fireEvent.click(screen.getByRole("button", { name: "Run now segments" }));
    });
    const status = within(rowOf("segments")).getByRole("status");
    expect(status).toHaveTextContent("Not started");
    expect(status).toHaveTextContent("unknown job: nope");
    expect(screen.getByRole("button", { name: "Run now segments" })).toBeEnabled();
  });
});
