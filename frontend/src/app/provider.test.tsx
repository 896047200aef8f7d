import { fireEvent, render, screen, within } from "@testing-library/react";
import { createMemoryRouter, RouterProvider } from "react-router-dom";
import { afterEach, describe, expect, it, vi } from "vitest";

import { AppLayout } from "@/components/layout/AppLayout";
import { LoginPage } from "@/features/auth/components/LoginPage";
import { fakeApi, type FakeApiOptions, type FakeUser } from "@/features/auth/testing/fake-api";
import { getSession, logout } from "@/lib/session";

import { AppProvider } from "./provider";

const viewer: FakeUser = { email: "vera@shop.test", password: "viewer-pass", role: "viewer" };
const admin: FakeUser = { email: "ada@shop.test", password: "admin-pass", role: "admin" };

// The app's shape (sign-in page outside the layout, pages inside it) with stand-in pages.
function renderApp(url: string, options: FakeApiOptions = {}) {
  const api = fakeApi({ users: [viewer, admin], ...options });
  vi.stubGlobal("fetch", vi.fn(api.fetch));
  const page = (name: string) => <h1>{name} page</h1>;
  const router = createMemoryRouter(
    [
      { path: "/login", element: <LoginPage /> },
      {
        path: "/",
        element: <AppLayout />,
        children: [
          { index: true, element: page("Overview") },
          { path: "overview", element: page("Overview") },
          { path: "system", element: page("System") },
          { path: "*", element: page("Other") },
        ],
      },
    ],
    { initialEntries: [url] },
  );
  render(
    <AppProvider>
      <RouterProvider router={router} />
    </AppProvider>,
  );
  const location = () => `${router.state.location.pathname}${router.state.location.search}`;
  return { api, location };
}

async function signIn(email: string, password: string) {
  fireEvent.change(await screen.findByLabelText("Email"), { target: { value: email } });
  fireEvent.change(screen.getByLabelText("Password"), { target: { value: password } });
  fireEvent.click(screen.getByRole("button", { name: "Sign in" }));
}

afterEach(async () => {
  await logout();
  vi.unstubAllGlobals();
});

describe("signing in", () => {
  it("sends a reader who is not signed in to the sign-in page, coming back afterwards", async () => {
    const { location } = renderApp("/reps?period=YEAR");
    expect(screen.getByRole("status", { name: "Loading the dashboard" })).toBeInTheDocument();
    expect(await screen.findByRole("heading", { name: "Sign in" })).toBeInTheDocument();
    expect(location()).toBe("/login?next=%2Freps%3Fperiod%3DYEAR");
    expect(screen.getByText("Corner Shop")).toBeInTheDocument();
    expect(screen.queryByRole("link", { name: "Continue without signing in" })).not.toBeInTheDocument();

    await signIn(viewer.email, viewer.password);

    expect(await screen.findByRole("heading", { name: "Other page" })).toBeInTheDocument();
    expect(location()).toBe("/reps?period=YEAR");
  });

  it("shows the API's reason when the password is wrong, and stays", async () => {
    const { location } = renderApp("/login");
    await signIn(viewer.email, "not-it");
    expect(await screen.findByRole("alert")).toHaveTextContent("Wrong email or password.");
    expect(screen.getByRole("button", { name: "Sign in" })).toBeEnabled();
    expect(location()).toBe("/login");
    expect(getSession()).toBeNull();
  });

  it("says how long to wait after too many attempts", async () => {
    renderApp("/login", { lockedOutFor: 42 });
    await signIn(viewer.email, viewer.password);
    expect(await screen.findByRole("alert")).toHaveTextContent("Too many attempts: try again in 42 s.");
  });

  it("never follows a next that leaves the site", async () => {
    const { location } = renderApp("/login?next=%2F%2Fevil.example%2Fx");
    await signIn(admin.email, admin.password);
    expect(await screen.findByRole("heading", { name: "Overview page" })).toBeInTheDocument();
    expect(location()).toBe("/overview");
  });

  it("signs in silently from the refresh cookie, without showing the sign-in page", async () => {
    const { api, location } = renderApp("/system", { cookieFor: admin.email });
    expect(await screen.findByRole("heading", { name: "System page" })).toBeInTheDocument();
    expect(location()).toBe("/system");
    expect(api.requests).toEqual([
      "POST /api/v1/auth/refresh",
      `POST /graphql as Bearer token-1-${admin.email}`,
    ]);
  });

  it("goes straight on from /login when already signed in", async () => {
    const { location } = renderApp("/login?next=%2Fsystem", { cookieFor: admin.email });
    expect(await screen.findByRole("heading", { name: "System page" })).toBeInTheDocument();
    expect(location()).toBe("/system");
  });
});

describe("roles and signing out", () => {
  it("shows a viewer who they are and no System page", async () => {
    renderApp("/overview", { cookieFor: viewer.email });
    const pages = await screen.findByRole("navigation", { name: "Pages" });
    expect(within(pages).getByRole("link", { name: "Overview" })).toBeInTheDocument();
    expect(within(pages).queryByRole("link", { name: "System" })).not.toBeInTheDocument();
    expect(screen.getByText(viewer.email)).toBeInTheDocument();
    expect(screen.getByText("viewer")).toBeInTheDocument();
  });

  it("lists the System page for an admin", async () => {
    renderApp("/overview", { cookieFor: admin.email });
    const pages = await screen.findByRole("navigation", { name: "Pages" });
    expect(within(pages).getByRole("link", { name: "System" })).toBeInTheDocument();
  });

  it("signs out on the server and returns to the sign-in page", async () => {
    const { api, location } = renderApp("/overview", { cookieFor: admin.email });
    fireEvent.click(await screen.findByRole("button", { name: "Sign out" }));
    expect(await screen.findByRole("heading", { name: "Sign in" })).toBeInTheDocument();
    expect(location()).toBe("/login");
    expect(api.requests).toContain("POST /api/v1/auth/logout");
    expect(api.cookie()).toBeNull();
    expect(getSession()).toBeNull();
    // who is asking changed, so the API is asked again, without a token
    expect(api.requests.at(-1)).toBe("POST /graphql as nobody");
  });

  it("lets anyone read when the server allows anonymous reads, with a way to sign in", async () => {
    const { location } = renderApp("/overview", { anonymousReads: true });
    expect(await screen.findByRole("heading", { name: "Overview page" })).toBeInTheDocument();
    expect(screen.getByText("Not signed in")).toBeInTheDocument();
    fireEvent.click(screen.getByRole("link", { name: "Sign in" }));
    expect(await screen.findByRole("heading", { name: "Sign in" })).toBeInTheDocument();
    expect(location()).toBe("/login?next=%2Foverview");
    fireEvent.click(screen.getByRole("link", { name: "Continue without signing in" }));
    expect(await screen.findByRole("heading", { name: "Overview page" })).toBeInTheDocument();
  });
});

describe("when the API does not answer", () => {
  it("says so and tries again on request", async () => {
    const api = fakeApi({ users: [viewer], anonymousReads: true });
    let down = true;
    vi.stubGlobal(
      "fetch",
      vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
        if (down) throw new TypeError("Failed to fetch");
        return api.fetch(input, init);
      }),
    );
    render(
      <AppProvider>
        <h1>Overview page</h1>
      </AppProvider>,
    );
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("The dashboard could not reach the API");
    expect(alert).toHaveTextContent("Check that the server is running");
    down = false;
    fireEvent.click(within(alert).getByRole("button", { name: "Try again" }));
    expect(await screen.findByRole("heading", { name: "Overview page" })).toBeInTheDocument();
  });
});
