import { render, screen, within } from "@testing-library/react";
import { MemoryRouter } from "react-router-dom";
import { CombinedError } from "urql";
import { describe, expect, it, vi } from "vitest";

import type { SessionState } from "@/hooks/use-session";
import { SESSIONS, WithSession } from "@/testing/session";

import { ApiErrorState } from "./ApiErrorState";

const refused = (code: string) =>
  new CombinedError({ graphQLErrors: [{ message: "refused", extensions: { code } }] });

function show(error: CombinedError, session: SessionState, onRetry = vi.fn()) {
  render(
    <WithSession session={session}>
      <MemoryRouter initialEntries={["/customers?period=YEAR"]}>
        <ApiErrorState error={error} what="the customers" onRetry={onRetry} />
      </MemoryRouter>
    </WithSession>,
  );
  return screen.getByRole("alert");
}

describe("ApiErrorState", () => {
  it("links a reader whose sign-in lapsed to the sign-in page, back to this view", () => {
    const alert = show(refused("UNAUTHENTICATED"), SESSIONS.analyst);
    expect(within(alert).getByRole("heading")).toHaveTextContent("Your sign-in is no longer valid");
    expect(within(alert).getByRole("link", { name: "Sign in again" })).toHaveAttribute(
      "href",
      "/login?next=%2Fcustomers%3Fperiod%3DYEAR",
    );
    expect(within(alert).getByRole("button", { name: "Try again" })).toBeInTheDocument();
  });

  it("names the caller's role when the API refused it, with no sign-in link", () => {
    const alert = show(refused("FORBIDDEN"), SESSIONS.viewer);
    expect(alert).toHaveTextContent("Your role (viewer) cannot read this; ask an admin");
    expect(within(alert).queryByRole("link")).not.toBeInTheDocument();
  });
});
