import { act, fireEvent, screen, within } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import type { ImportRowFragment, ImportsQuery } from "@/gql/graphql";
import type { SessionState } from "@/hooks/use-session";
import { fetchFile, saveFile } from "@/lib/download";
import { SESSIONS } from "@/testing/session";
import { answering, queriesOf, renderPage } from "@/testing/urql-stub";

import type { Sheet } from "../api/sheets";
import { POLL_MS } from "../hooks/use-import";
import { FakeUpload, json, problem, restImport, sentUpload, serveRest, stubUploads, type Call } from "../testing/fake-server";
import { ImportPage } from "./ImportPage";

vi.mock("@/lib/download", async (original) => ({
  ...(await original<typeof import("@/lib/download")>()),
  fetchFile: vi.fn(),
  saveFile: vi.fn(),
}));

const SHOP = { name: "Corner Shop", timezone: "UTC" };

function gqlImport(fields: Partial<ImportRowFragment> = {}): ImportRowFragment {
  return {
    id: "5",
    source: "CLI",
    fileName: "october.csv",
    state: "SUCCEEDED",
    dryRun: false,
    rowsRead: 1200,
    rowsImported: 1195,
    rowsSkipped: 0,
    rowsFailed: 5,
    percent: 100,
    createdAt: "2026-11-29T09:00:00Z",
    finishedAt: "2026-11-29T09:00:04Z",
    error: null,
    report: {
      rowsRead: 1200,
      imported: 1195,
      skippedDuplicate: 0,
      failed: 5,
      ordersCreated: 410,
      ordersExtended: 2,
      newProducts: 12,
      newCategories: 3,
      newCustomers: 97,
      newReps: 4,
      errors: [{ line: 17, column: "amount", value: "12,3x", reason: "not a number" }],
    },
    ...fields,
  };
}

function graphqlApi(nodes: ImportRowFragment[] = []) {
  return answering<ImportsQuery>({
    shopInfo: SHOP,
    imports: { totalCount: nodes.length, edges: nodes.map((node) => ({ node })) },
  });
}

const NO_SHEETS = (call: Call) =>
  call.path === "/api/v1/sheets" ? json({ sheets: [] }) : problem(404, "NOT_FOUND", `no route ${call.path}`);

function open(session: SessionState = SESSIONS.admin, nodes: ImportRowFragment[] = []) {
  const executeQuery = graphqlApi(nodes);
  renderPage(<ImportPage />, executeQuery, "/import", "/import", session);
  return executeQuery;
}

/** An admin's page on a server without sheets, once it is shown. */
async function openWithoutSheets() {
  const calls = serveRest(NO_SHEETS);
  const executeQuery = open();
  await screen.findByRole("heading", { level: 1, name: "Import" });
  return { calls, executeQuery };
}

const csv = (name = "sales.csv", text = "date,product_name,amount\n2026-11-01,Boot,10\n") =>
  new File([text], name, { type: "text/csv" });

/** Chooses ``file`` in the upload panel's file input, as the "Choose file" button would. */
async function choose(file: File) {
  await act(async () => {
    fireEvent.change(screen.getByLabelText("Sales CSV file"), { target: { files: [file] } });
  });
}

async function answerUpload(upload: FakeUpload, status: number, body: unknown) {
  await act(async () => {
    upload.respond(status, body);
  });
}

beforeEach(() => {
  stubUploads();
  vi.mocked(fetchFile).mockReset();
  vi.mocked(saveFile).mockReset();
});

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe("the upload", () => {
  it("sends the file with its progress and shows the report of a small file", async () => {
    serveRest(NO_SHEETS);
    const executeQuery = open();
    expect(await screen.findByRole("heading", { level: 1, name: "Import" })).toBeInTheDocument();
    await choose(csv());
    const upload = sentUpload();
    expect(upload.method).toBe("POST");
    expect(upload.url).toBe("/api/v1/upload/csv");
    expect(upload.fields()).toEqual({ dry_run: "false" });
    expect((upload.form?.get("file") as File).name).toBe("sales.csv");

    act(() => upload.progress(512, 2048));
    expect(screen.getByLabelText(/^Sending sales.csv: 25.0% of 2 KB/)).toHaveAttribute("value", "512");
    expect(screen.getByRole("button", { name: "Choose file…" })).toBeDisabled();

    await answerUpload(upload, 200, restImport());
    const details = screen.getByRole("region", { name: "Import 7 · sales.csv" });
    expect(within(details).getByText("Succeeded")).toBeInTheDocument();
    expect(within(details).getByRole("article", { name: "Rows read" })).toHaveTextContent("5");
    expect(within(details).getByRole("article", { name: "Imported" })).toHaveTextContent("3");
    expect(within(details).getByRole("article", { name: "Skipped as already imported" })).toHaveTextContent("0");
    expect(within(details).getByRole("article", { name: "Failed" })).toHaveTextContent("2");
    const created = within(details).getByLabelText("What the import created");
    expect(created).toHaveTextContent("Orders created3");
    expect(created).toHaveTextContent("New products2");
    expect(created).toHaveTextContent("New customers3");

    const errors = within(details).getByRole("table", { name: "Row errors" });
    const rows = within(errors).getAllByRole("row").slice(1);
    expect(rows.map((row) => row.textContent)).toEqual(["4amount12,3xnot a number", "6date31/31/2026not a date"]);
    expect(within(details).getByRole("button", { name: "Download all row errors (CSV)" })).toBeInTheDocument();
    // The recent imports are asked for again with the new one in them.
    expect(queriesOf(executeQuery, "Imports").length).toBeGreaterThan(1);
  });

  it("sends a dry run when asked and says nothing was written", async () => {
    serveRest(NO_SHEETS);
    open();
    fireEvent.click(await screen.findByRole("checkbox", { name: /Dry run/ }));
    await choose(csv());
    const upload = sentUpload();
    expect(upload.fields()).toEqual({ dry_run: "true" });
    await answerUpload(upload, 200, restImport({ dry_run: true, report: { ...restImport().report!, errors: [] } }));
    const details = screen.getByRole("region", { name: "Import 7 · sales.csv" });
    expect(details).toHaveTextContent("dry run: nothing was written");
    expect(within(details).getByRole("article", { name: "Would be imported" })).toHaveTextContent("3");
    expect(within(details).getByLabelText("What the import would create")).toBeInTheDocument();
  });

  it("follows a large file's import every second until it has ended, then stops", async () => {
    vi.useFakeTimers({ toFake: ["setInterval", "clearInterval"] });
    const answers = [
      restImport({ state: "running", percent: 40, rows_read: 400, rows_imported: 390, rows_failed: 10, report: null, finished_at: null }),
      restImport({ state: "succeeded", rows_read: 5 }),
    ];
    const calls = serveRest((call) =>
      call.path === "/api/v1/imports/7" ? json(answers.shift() ?? restImport()) : NO_SHEETS(call),
    );
    const executeQuery = open();
    await screen.findByRole("heading", { level: 1, name: "Import" });
    await choose(csv("big.csv"));
    await answerUpload(
      sentUpload(),
      202,
      restImport({ state: "queued", percent: 0, rows_read: 0, rows_imported: 0, rows_failed: 0, report: null }),
    );
    const details = screen.getByRole("region", { name: "Import 7 · sales.csv" });
    expect(within(details).getByText("Queued")).toBeInTheDocument();
    expect(within(details).getByLabelText("Waiting to start: 0.0%")).toHaveAttribute("value", "0");
    const polls = () => calls.filter((c) => c.path === "/api/v1/imports/7").length;
    expect(polls()).toBe(0);

    await act(() => vi.advanceTimersByTimeAsync(POLL_MS));
    expect(polls()).toBe(1);
    expect(within(details).getByText("Running")).toBeInTheDocument();
    expect(within(details).getByLabelText("Importing: 40.0%")).toHaveAttribute("value", "40");
    expect(within(details).getByRole("article", { name: "Rows read" })).toHaveTextContent("400");
    expect(within(details).getByRole("article", { name: "Failed" })).toHaveTextContent("10");
    const before = queriesOf(executeQuery, "Imports").length;

    await act(() => vi.advanceTimersByTimeAsync(POLL_MS));
    expect(polls()).toBe(2);
    expect(within(details).getByText("Succeeded")).toBeInTheDocument();
    expect(within(details).queryByRole("progressbar")).not.toBeInTheDocument();
    expect(within(details).getByRole("table", { name: "Row errors" })).toBeInTheDocument();
    expect(queriesOf(executeQuery, "Imports").length).toBe(before + 1);

    await act(() => vi.advanceTimersByTimeAsync(POLL_MS * 5));
    expect(polls()).toBe(2);
  });

  it("stops following an import when the page goes", async () => {
    vi.useFakeTimers({ toFake: ["setInterval", "clearInterval"] });
    const calls = serveRest((call) =>
      call.path === "/api/v1/imports/7" ? json(restImport({ state: "running", report: null })) : NO_SHEETS(call),
    );
    open();
    await screen.findByRole("heading", { level: 1, name: "Import" });
    await choose(csv());
    await answerUpload(sentUpload(), 202, restImport({ state: "queued", report: null }));
    await act(() => vi.advanceTimersByTimeAsync(POLL_MS));
    const polls = () => calls.filter((c) => c.path === "/api/v1/imports/7").length;
    expect(polls()).toBe(1);
    fireEvent.click(screen.getByRole("button", { name: "Close" }));
    await act(() => vi.advanceTimersByTimeAsync(POLL_MS * 5));
    expect(polls()).toBe(1);
  });

  it("stops following an import the API refuses to show, and keeps asking one that failed to answer", async () => {
    vi.useFakeTimers({ toFake: ["setInterval", "clearInterval"] });
    const answers = [
      new Response("upstream gone", { status: 502 }),
      json({ error: "NOT_FOUND", detail: "no import 7" }, 404),
    ];
    const calls = serveRest((call) =>
      call.path === "/api/v1/imports/7" ? (answers.shift() ?? json(restImport())) : NO_SHEETS(call),
    );
    open();
    await screen.findByRole("heading", { level: 1, name: "Import" });
    await choose(csv());
    await answerUpload(sentUpload(), 202, restImport({ state: "queued", report: null }));
    const polls = () => calls.filter((c) => c.path === "/api/v1/imports/7").length;

    await act(() => vi.advanceTimersByTimeAsync(POLL_MS * 2));
    expect(polls()).toBe(2);
    expect(await screen.findByText(/no import 7/)).toBeInTheDocument();

    await act(() => vi.advanceTimersByTimeAsync(POLL_MS * 5));
    expect(polls()).toBe(2);
  });

  it("asks whether dates are day-first or month-first and sends the file again with the answer", async () => {
    await openWithoutSheets();
    await choose(csv("ambiguous.csv"));
    await answerUpload(sentUpload(), 400, {
      error: "BAD_USER_INPUT",
      detail: "the dates never show whether the day or the month comes first",
      needs: "date_order",
    });
    const question = screen.getByRole("group", { name: "Are dates day-first or month-first?" });
    expect(question).toHaveTextContent("ambiguous.csv: the dates never show whether the day or the month comes first");
    const send = screen.getByRole("button", { name: "Import with this date order" });
    expect(send).toBeDisabled();
    fireEvent.click(within(question).getByRole("radio", { name: "Day first (31/01/2026)" }));
    await act(async () => {
      fireEvent.click(send);
    });
    expect(FakeUpload.sent).toHaveLength(2);
    expect(sentUpload(1).fields()).toEqual({ dry_run: "false", date_order: "DMY" });
    expect((sentUpload(1).form?.get("file") as File).name).toBe("ambiguous.csv");
    await answerUpload(sentUpload(1), 200, restImport({ file_name: "ambiguous.csv" }));
    expect(screen.queryByRole("group", { name: "Are dates day-first or month-first?" })).not.toBeInTheDocument();
    expect(screen.getByRole("region", { name: "Import 7 · ambiguous.csv" })).toBeInTheDocument();
  });

  it("says how large a file may be when the API refuses it as too large (413)", async () => {
    await openWithoutSheets();
    await choose(csv("huge.csv"));
    await answerUpload(sentUpload(), 413, {
      error: "PAYLOAD_TOO_LARGE",
      detail: "the request body is larger than the limit of 209715200 bytes",
    });
    expect(screen.getByRole("alert")).toHaveTextContent(/^huge.csv is larger than the upload limit of 200 MB/);
    expect(screen.queryByRole("region", { name: /^Import 7/ })).not.toBeInTheDocument();
  });

  it("shows any other refusal with the API's detail, and a server that did not answer", async () => {
    await openWithoutSheets();
    await choose(csv("empty.csv"));
    await answerUpload(sentUpload(), 400, { error: "BAD_USER_INPUT", detail: "the file has no date column" });
    expect(screen.getByRole("alert")).toHaveTextContent("empty.csv was not imported: the file has no date column.");
    await choose(csv("again.csv"));
    await act(async () => sentUpload(1).fail());
    expect(screen.getByRole("alert")).toHaveTextContent("again.csv was not uploaded: the server did not answer.");
  });

  it("refuses a file that is not a CSV without sending it", async () => {
    await openWithoutSheets();
    await choose(new File(["x"], "sales.xlsx"));
    expect(screen.getByRole("alert")).toHaveTextContent("sales.xlsx is not a CSV file: choose a .csv file.");
    expect(FakeUpload.sent).toHaveLength(0);
  });

  it("takes a file dropped on the drop zone", async () => {
    serveRest(NO_SHEETS);
    open();
    const zone = await screen.findByTestId("import-drop");
    await act(async () => {
      fireEvent.drop(zone, { dataTransfer: { files: [csv("dropped.csv")] } });
    });
    expect((sentUpload().form?.get("file") as File).name).toBe("dropped.csv");
  });
});

describe("the row errors' download", () => {
  it("saves every row error of the import as CSV, fetched with the session's token", async () => {
    const blob = new Blob(["line,column,value,reason\r\n"], { type: "text/csv" });
    vi.mocked(fetchFile).mockResolvedValue({ blob, filename: "import-7-errors.csv" });
    await openWithoutSheets();
    await choose(csv());
    await answerUpload(sentUpload(), 200, restImport());
    await act(async () => {
      fireEvent.click(screen.getByRole("button", { name: "Download all row errors (CSV)" }));
    });
    expect(fetchFile).toHaveBeenCalledWith("/api/v1/imports/7/errors.csv");
    expect(saveFile).toHaveBeenCalledWith("import-7-errors.csv", blob);
  });

  it("is not offered when no row failed", async () => {
    await openWithoutSheets();
    await choose(csv());
    const clean = restImport({ rows_failed: 0, report: { ...restImport().report!, failed: 0, errors: [] } });
    await answerUpload(sentUpload(), 200, clean);
    expect(screen.getByRole("region", { name: "Import 7 · sales.csv" })).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Download all row errors (CSV)" })).not.toBeInTheDocument();
    expect(screen.queryByRole("table", { name: "Row errors" })).not.toBeInTheDocument();
  });
});

describe("the recent imports", () => {
  it("lists them newest first and opens one's report", async () => {
    serveRest(NO_SHEETS);
    open(SESSIONS.analyst, [
      gqlImport({ id: "6", source: "SHEET", fileName: "Store sales", state: "FAILED", error: "HTTP 404", report: null }),
      gqlImport(),
    ]);
    const table = await screen.findByRole("table", { name: "Recent imports" });
    const rows = within(table).getAllByRole("row").slice(1);
    expect(rows[0]).toHaveTextContent(/Store sales#6.*Google Sheet.*Failed/);
    expect(rows[1]).toHaveTextContent(/october.csv#5.*Command line.*Succeeded1,2001,19505/);
    fireEvent.click(within(table).getByRole("button", { name: "Show import 5 (october.csv)" }));
    const details = screen.getByRole("region", { name: "Import 5 · october.csv" });
    expect(within(details).getByLabelText("What the import created")).toHaveTextContent("Orders created410");
    expect(within(details).getByRole("table", { name: "Row errors (the first 1 of 5 failed rows)" })).toHaveTextContent(
      "17amount12,3xnot a number",
    );
    fireEvent.click(within(table).getByRole("button", { name: "Show import 6 (Store sales)" }));
    expect(screen.getByRole("region", { name: "Import 6 · Store sales" })).toHaveTextContent("The import stoppedHTTP 404");
  });

  it("explains where imports come from when there is none", async () => {
    serveRest(NO_SHEETS);
    open();
    expect(await screen.findByRole("heading", { name: "No imports yet" })).toBeInTheDocument();
  });
});

describe("the role gating", () => {
  it("shows an analyst the imports and sheets without the upload or the sheets' buttons", async () => {
    serveRest((call) =>
      call.path === "/api/v1/sheets" ? json({ sheets: [SHEET] }) : problem(404, "NOT_FOUND", "no"),
    );
    open(SESSIONS.analyst);
    expect(await screen.findByRole("table", { name: "Connected sheets" })).toBeInTheDocument();
    expect(screen.queryByRole("region", { name: "Upload a sales file" })).not.toBeInTheDocument();
    expect(screen.queryByLabelText("Sales CSV file")).not.toBeInTheDocument();
    expect(screen.queryByRole("button", { name: /Sync/ })).not.toBeInTheDocument();
    expect(screen.queryByRole("button", { name: /Remove/ })).not.toBeInTheDocument();
    expect(screen.queryByRole("form", { name: "Connect a sheet" })).not.toBeInTheDocument();
  });

  it("gives an admin the upload panel", async () => {
    serveRest(NO_SHEETS);
    open(SESSIONS.admin);
    expect(await screen.findByRole("region", { name: "Upload a sales file" })).toBeInTheDocument();
    expect(screen.getByRole("form", { name: "Connect a sheet" })).toBeInTheDocument();
  });
});

const SHEET: Sheet = {
  id: 3,
  name: "Store sales",
  kind: "csv_url",
  source: "https://docs.google.com/spreadsheets/d/KEY/export?format=csv&gid=0",
  date_order: null,
  created_at: "2026-11-28T10:00:00Z",
  last_synced_at: "2026-11-30T08:00:00Z",
  last_import_id: 6,
  last_state: "failed",
  last_error: "the sheet answered HTTP 404",
  last_report: { rows_read: 10, imported: 8, skipped_duplicate: 0, failed: 2 },
};

describe("the Google Sheets panel", () => {
  it("lists the sheets with their last sync", async () => {
    serveRest((call) => (call.path === "/api/v1/sheets" ? json({ sheets: [SHEET] }) : problem(404, "NOT_FOUND", "no")));
    open();
    const table = await screen.findByRole("table", { name: "Connected sheets" });
    const row = within(table).getByRole("rowheader", { name: /Store sales/ }).closest("tr") as HTMLElement;
    expect(row).toHaveTextContent(SHEET.source);
    expect(within(row).getByText("Failed")).toBeInTheDocument();
    expect(row).toHaveTextContent("82 failed");
    expect(row).toHaveTextContent("the sheet answered HTTP 404");
  });

  it("says when no sheet is connected, and when the list could not be read", async () => {
    serveRest(NO_SHEETS);
    open();
    expect(await screen.findByRole("heading", { name: "No sheets connected" })).toBeInTheDocument();
    vi.unstubAllGlobals();
    stubUploads();
    serveRest(() => problem(403, "FORBIDDEN", "this needs the analytics:read permission"));
    open();
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("The sheets could not be loadedthis needs the analytics:read permission");
  });

  it("syncs a sheet now and follows the sync's import", async () => {
    const calls = serveRest((call) => {
      if (call.path === "/api/v1/sheets") return json({ sheets: [SHEET] });
      if (call.path === "/api/v1/sheets/3/sync") return json({ sheet: { ...SHEET, last_state: "queued" }, import_id: 12 }, 202);
      if (call.path === "/api/v1/imports/12") {
        return json(restImport({ id: 12, source: "sheet", file_name: "Store sales", state: "running", percent: 10, report: null }));
      }
      return problem(404, "NOT_FOUND", "no");
    });
    open();
    const sync = await screen.findByRole("button", { name: "Sync Store sales now" });
    await act(async () => {
      fireEvent.click(sync);
    });
    expect(calls.filter((c) => c.method === "POST").map((c) => c.path)).toEqual(["/api/v1/sheets/3/sync"]);
    const details = await screen.findByRole("region", { name: "Import 12 · Store sales" });
    expect(within(details).getByText("Running")).toBeInTheDocument();
    expect(within(details).getByLabelText("Importing: 10.0%")).toBeInTheDocument();
    // The list is read again (the sheet's state changed).
    expect(calls.filter((c) => c.path === "/api/v1/sheets").length).toBe(2);
  });

  it("says so when a sync of the sheet is already running", async () => {
    serveRest((call) =>
      call.path === "/api/v1/sheets"
        ? json({ sheets: [SHEET] })
        : problem(409, "CONFLICT", "a sync of this sheet is already running: import 11"),
    );
    open();
    const sync = await screen.findByRole("button", { name: "Sync Store sales now" });
    await act(async () => {
      fireEvent.click(sync);
    });
    expect(screen.getByRole("alert")).toHaveTextContent(
      "Store sales could not be synced: a sync of this sheet is already running: import 11.",
    );
  });

  it("removes a sheet after a confirmation", async () => {
    let sheets = [SHEET];
    const calls = serveRest((call) => {
      if (call.path === "/api/v1/sheets") return json({ sheets });
      if (call.method === "DELETE" && call.path === "/api/v1/sheets/3") {
        sheets = [];
        return new Response(null, { status: 204 });
      }
      return problem(404, "NOT_FOUND", "no");
    });
    open();
    fireEvent.click(await screen.findByRole("button", { name: "Remove Store sales" }));
    const confirm = screen.getByRole("group", { name: "Confirm removing Store sales" });
    expect(confirm).toHaveTextContent("Remove Store sales? Rows it imported stay.");
    expect(calls.some((c) => c.method === "DELETE")).toBe(false);
    fireEvent.click(within(confirm).getByRole("button", { name: "Cancel" }));
    expect(calls.some((c) => c.method === "DELETE")).toBe(false);
    fireEvent.click(screen.getByRole("button", { name: "Remove Store sales" }));
    await act(async () => {
      fireEvent.click(screen.getByRole("button", { name: "Yes, remove" }));
    });
    expect(calls.filter((c) => c.method === "DELETE").map((c) => c.path)).toEqual(["/api/v1/sheets/3"]);
    expect(await screen.findByRole("heading", { name: "No sheets connected" })).toBeInTheDocument();
  });
});

describe("connecting a sheet", () => {
  const form = () => screen.getByRole("form", { name: "Connect a sheet" });

  it("posts the name and CSV export URL, then lists the sheet", async () => {
    let sheets: Sheet[] = [];
    const calls = serveRest((call) => {
      if (call.path === "/api/v1/sheets") return json({ sheets });
      if (call.path === "/api/v1/admin/connect-sheets") {
        sheets = [{ ...SHEET, last_state: "never", last_error: null, last_synced_at: null, last_report: null }];
        return json(sheets[0], 201);
      }
      return problem(404, "NOT_FOUND", "no");
    });
    open();
    await screen.findByRole("heading", { name: "No sheets connected" });
    fireEvent.change(within(form()).getByLabelText("Name"), { target: { value: " Store sales " } });
    fireEvent.change(within(form()).getByLabelText("CSV export URL"), { target: { value: SHEET.source } });
    fireEvent.change(within(form()).getByLabelText("Date order"), { target: { value: "DMY" } });
    await act(async () => {
      fireEvent.click(within(form()).getByRole("button", { name: "Connect sheet" }));
    });
    expect(calls.filter((c) => c.method === "POST")).toEqual([
      {
        method: "POST",
        path: "/api/v1/admin/connect-sheets",
        body: { name: "Store sales", csv_url: SHEET.source, date_order: "DMY" },
      },
    ]);
    expect(within(form()).getByRole("status")).toHaveTextContent("Store sales is connected");
    expect(within(form()).getByLabelText("Name")).toHaveValue("");
    const table = await screen.findByRole("table", { name: "Connected sheets" });
    expect(within(table).getByText("Never synced")).toBeInTheDocument();
  });

  it("sends a private sheet with the service account's JSON read from its file", async () => {
    const calls = serveRest((call) =>
      call.path === "/api/v1/sheets" ? json({ sheets: [] }) : json({ ...SHEET, kind: "service_account" }, 201),
    );
    open();
    await screen.findByRole("heading", { name: "No sheets connected" });
    fireEvent.click(within(form()).getByText("Private sheet (service account)"));
    fireEvent.change(within(form()).getByLabelText("Name"), { target: { value: "Private" } });
    fireEvent.change(within(form()).getByLabelText("Spreadsheet URL or key"), { target: { value: "KEY" } });
    fireEvent.change(within(form()).getByLabelText("Worksheet"), { target: { value: "Sheet1" } });
    const key = new File([JSON.stringify({ type: "service_account", client_email: "x@y.iam" })], "key.json");
    fireEvent.change(within(form()).getByLabelText("Service-account key (JSON)"), { target: { files: [key] } });
    await act(async () => {
      fireEvent.click(within(form()).getByRole("button", { name: "Connect sheet" }));
    });
    expect(calls.find((c) => c.method === "POST")?.body).toEqual({
      name: "Private",
      spreadsheet: "KEY",
      worksheet: "Sheet1",
      service_account: { type: "service_account", client_email: "x@y.iam" },
    });
  });

  it("refuses what it can tell is wrong before sending, and shows the API's refusal", async () => {
    const calls = serveRest((call) =>
      call.path === "/api/v1/sheets"
        ? json({ sheets: [] })
        : problem(409, "CONFLICT", "this sheet is registered already (Store sales)"),
    );
    open();
    await screen.findByRole("heading", { name: "No sheets connected" });
    const submit = () =>
      act(async () => {
        fireEvent.click(within(form()).getByRole("button", { name: "Connect sheet" }));
      });
    await submit();
    expect(within(form()).getByRole("alert")).toHaveTextContent("Give the sheet a name.");
    fireEvent.change(within(form()).getByLabelText("Name"), { target: { value: "Sales" } });
    await submit();
    expect(within(form()).getByRole("alert")).toHaveTextContent("Give the sheet's CSV export URL");
    fireEvent.change(within(form()).getByLabelText("CSV export URL"), { target: { value: "ftp://x" } });
    await submit();
    expect(within(form()).getByRole("alert")).toHaveTextContent("should start with https://");
    fireEvent.change(within(form()).getByLabelText("Service-account key (JSON)"), {
      target: { files: [new File(["not json"], "key.json")] },
    });
    fireEvent.change(within(form()).getByLabelText("Spreadsheet URL or key"), { target: { value: "KEY" } });
    await submit();
    expect(within(form()).getByRole("alert")).toHaveTextContent("key.json is not JSON");
    expect(calls.some((c) => c.method === "POST")).toBe(false);

    fireEvent.change(within(form()).getByLabelText("Spreadsheet URL or key"), { target: { value: "" } });
    fireEvent.change(within(form()).getByLabelText("Service-account key (JSON)"), { target: { files: [] } });
    fireEvent.change(within(form()).getByLabelText("CSV export URL"), { target: { value: SHEET.source } });
    await submit();
    expect(within(form()).getByRole("alert")).toHaveTextContent(
      "The sheet was not connected: this sheet is registered already (Store sales).",
    );
  });
});
