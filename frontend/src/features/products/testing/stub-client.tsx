import { render } from "@testing-library/react";
import type { ReactNode } from "react";
import { MemoryRouter, Route, Routes, useLocation } from "react-router-dom";
import {
  Client,
  CombinedError,
  Provider,
  cacheExchange,
  makeErrorResult,
  makeResult,
  type Exchange,
  type Operation,
} from "urql";
import { vi } from "vitest";
import { filter, fromValue, mergeMap, never, pipe } from "wonka";

/** What the stub API answers an operation: data, an error, or nothing yet (undefined). */
export type Answer = (operation: Operation) => { data?: object; error?: CombinedError } | undefined;

export function operationName(operation: Operation): string | undefined {
  for (const definition of operation.query.definitions) {
    if (definition.kind === "OperationDefinition") return definition.name?.value;
  }
  return undefined;
}

/**
 * A real urql client whose network answers from ``answer`` (so both useQuery and
 * client.query work), recording every query operation that reached it.
 */
export function stubClient(answer: Answer) {
  const operations: Operation[] = [];
  const exchange: Exchange = () => (operations$) =>
    pipe(
      operations$,
      filter((operation) => operation.kind === "query"),
      mergeMap((operation) => {
        operations.push(operation);
        const answered = answer(operation);
        if (!answered) return never;
        const { data = null, error } = answered;
        if (error?.networkError) return fromValue(makeErrorResult(operation, error.networkError));
        return fromValue(makeResult(operation, { data, errors: error?.graphQLErrors }));
      }),
    );
  // The app's client has urql's document cache in front of the network too.
  const client = new Client({ url: "http://test/graphql", exchanges: [cacheExchange, exchange] });
  const named = (name: string) => operations.filter((operation) => operationName(operation) === name);
  return { client, operations, named };
}

function Location() {
  const { pathname, search } = useLocation();
  return <output aria-label="location">{`${pathname}${search}`}</output>;
}

/** ``page`` at ``url`` under ``path``, with the stub client and the location shown. */
export function renderAt(client: Client, url: string, path: string, page: ReactNode) {
  return render(
    <Provider value={client}>
      <MemoryRouter initialEntries={[url]}>
        <Routes>
          <Route
            path={path}
            element={
              <>
                {page}
                <Location />
              </>
            }
          />
          <Route path="*" element={<Location />} />
        </Routes>
      </MemoryRouter>
    </Provider>,
  );
}

/** Captures what ExportCsvButton hands the browser: the file's name and its text. */
export function captureDownloads() {
  const files: { name: string; blob: Blob }[] = [];
  let pending: Blob | null = null;
  // jsdom has no object URLs: stand them in for the test (vi.restoreAllMocks puts back the rest).
  const create = (blob: Blob) => {
    pending = blob;
    return "blob:test";
  };
  Object.defineProperty(URL, "createObjectURL", { value: create, configurable: true, writable: true });
  Object.defineProperty(URL, "revokeObjectURL", { value: () => undefined, configurable: true, writable: true });
  vi.spyOn(HTMLAnchorElement.prototype, "click").mockImplementation(function (this: HTMLAnchorElement) {
    if (pending) files.push({ name: this.download, blob: pending });
    pending = null;
  });
  return {
    files,
    /** The file's text without the byte-order mark. */
    async text(index = 0): Promise<string> {
      const file = files[index];
      if (!file) throw new Error("nothing was downloaded");
      return (await file.blob.text()).replace(/^\uFEFF/, "");
    },
  };
}

/**
 * jsdom lays nothing out, so a virtualized table would show no row: give every element a
 * 1000 x 600 client box (restored by vi.restoreAllMocks).
 */
export function giveLayout() {
  vi.spyOn(Element.prototype, "clientHeight", "get").mockReturnValue(600);
  vi.spyOn(Element.prototype, "clientWidth", "get").mockReturnValue(1000);
}
