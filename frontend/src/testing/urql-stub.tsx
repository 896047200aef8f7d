// A stub urql client for page tests: it answers every query with a fixed result and
// records the operations it was asked for (their variables).

import { render } from "@testing-library/react";
import type { ReactElement } from "react";
import { MemoryRouter, Route, Routes, useLocation } from "react-router-dom";
import {
  Client,
  CombinedError,
  Provider,
  cacheExchange,
  getOperationName,
  type Exchange,
  type Operation,
  type OperationResult,
} from "urql";
import { vi, type Mock } from "vitest";
import { concat, filter, fromValue, mergeMap, never, pipe, type Source } from "wonka";

import type { SessionState } from "@/hooks/use-session";

import { SESSIONS, WithSession } from "./session";

// A client's answer stream stays open after its result, as urql's exchanges do (a stream
// that completes makes useQuery drop the error it just showed).
export const answer$ = (result: object) => concat([fromValue(result), never]);

/** What a page test's client does: queries, and the subscriptions or mutations it needs. */
export interface StubClient {
  executeQuery: Mock;
  executeSubscription?: Mock;
  executeMutation?: Mock;
}

/** Answers every query with ``data`` (or ``data(operation)``). */
export function answering<T>(data: T | ((operation: Operation) => T)): Mock {
  return vi.fn((operation: Operation) =>
    answer$({
      operation,
      data: typeof data === "function" ? (data as (operation: Operation) => T)(operation) : data,
      stale: false,
      hasNext: false,
    }),
  );
}

/** Fails every query with ``error``. */
export function failing(error: CombinedError): Mock {
  return vi.fn((operation: Operation) =>
    answer$({ operation, error, stale: false, hasNext: false }),
  );
}

/** Never answers: the page stays loading. */
export const pending = (): Mock => vi.fn(() => never);

/** The variables of the last query the client was asked for. */
export function lastVariables(executeQuery: Mock): unknown {
  const call = executeQuery.mock.lastCall as [Operation] | undefined;
  return call?.[0].variables;
}

/** The queries the client was asked for, in order; only those named ``name`` when given. */
export function queriesOf(executeQuery: Mock, name?: string): Operation[] {
  const operations = executeQuery.mock.calls.map(([operation]) => operation as Operation);
  return name ? operations.filter((o) => getOperationName(o.query) === name) : operations;
}

/**
 * A real urql client (with urql's document cache, as the app's) whose network answers through
 * ``executeQuery`` (and ``executeMutation``): for a page that calls ``client.query`` itself
 * (the next page of a table, every page of an export), which the bare stub does not have, or
 * relies on the cache's refetch after a mutation.
 */
export function networkClient(executeQuery: Mock, executeMutation?: Mock): Client {
  const network: Exchange = () => (operations$) =>
    pipe(
      operations$,
      filter((operation) => operation.kind === "query" || (operation.kind === "mutation" && !!executeMutation)),
      mergeMap(
        (operation) =>
          (operation.kind === "mutation" && executeMutation
            ? executeMutation(operation)
            : executeQuery(operation)) as Source<OperationResult>,
      ),
    );
  return new Client({ url: "http://test/graphql", exchanges: [cacheExchange, network] });
}

function Location() {
  const { search } = useLocation();
  return <output aria-label="location">{search}</output>;
}

/** Renders ``page`` at ``url`` (matched by ``path``) with the stub client (or just its
 * executeQuery, or a networkClient), for ``session`` (the anonymous demo, which may read
 * everything, unless said); the current search string is readable as the status named
 * "location". */
export function renderPage(
  page: ReactElement,
  stub: Mock | StubClient | Client,
  url: string,
  path = "/",
  session: SessionState = SESSIONS.anonymousReader,
) {
  const client = (typeof stub === "function" ? { executeQuery: stub } : stub) as unknown as Client;
  return render(
    <Provider value={client}>
      <WithSession session={session}>
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
          </Routes>
        </MemoryRouter>
      </WithSession>
    </Provider>,
  );
}
