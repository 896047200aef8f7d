// A stub urql client for page tests: it answers every query with a fixed result and
// records the operations it was asked for (their variables).

import { render } from "@testing-library/react";
import type { ReactElement } from "react";
import { MemoryRouter, Route, Routes, useLocation } from "react-router-dom";
import { CombinedError, Provider, type Client, type Operation } from "urql";
import { vi, type Mock } from "vitest";
import { concat, fromValue, never } from "wonka";

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

function Location() {
  const { search } = useLocation();
  return <output aria-label="location">{search}</output>;
}

/** Renders ``page`` at ``url`` (matched by ``path``) with the stub client (or just its
 * executeQuery), for ``session`` (the anonymous demo, which may read everything, unless
 * said); the current search string is readable as the status named "location". */
export function renderPage(
  page: ReactElement,
  stub: Mock | StubClient,
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
