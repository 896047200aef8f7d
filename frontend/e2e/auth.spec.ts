// Signing in and out against the seeded server (anonymous reads on, as `make run`), as the
// users the global setup created (support/users.ts).
import type { Page } from "@playwright/test";

import { consoleAllowing, expect, gql, signIn, test, USERS, watchGraphQL } from "./support";

const pages = (page: Page) => page.getByRole("navigation", { name: "Pages" });
const signInHeading = (page: Page) => page.getByRole("heading", { name: "Sign in", level: 1 });

test.describe("a wrong password", () => {
  // the browser logs the refused POST /api/v1/auth/login
  test.use({ allowConsole: /status of 401/ });

  test("shows the API's reason and stays on the sign-in page", async ({ page }) => {
    await page.goto("/login");
    await expect(page.getByText("ShopX", { exact: true })).toBeVisible();
    await signIn(page, { email: USERS.viewer.email, password: "not-the-password" });
    await expect(page.getByRole("alert")).toHaveText("Wrong email or password.");
    await expect(page).toHaveURL(/\/login$/);
    await expect(page.getByRole("button", { name: "Sign in" })).toBeEnabled();
  });
});

test.describe("too many attempts", () => {
  // the refused sign-ins, then the rate limit's
  test.use({ allowConsole: consoleAllowing(/status of 401/, /status of 429/) });

  test("says how many seconds to wait, as Retry-After does", async ({ page }) => {
    await page.goto("/login");
    const guess = { email: "e2e-nobody@shop.test", password: "guess" };
    const answers: { status: number; retryAfter?: string }[] = [];
    page.on("response", (response) => {
      if (new URL(response.url()).pathname === "/api/v1/auth/login") {
        answers.push({ status: response.status(), retryAfter: response.headers()["retry-after"] });
      }
    });
    // The default SHOPX_LOGIN_FAILURES_PER_EMAIL: 5 per 15 minutes, in fixed windows (cut at
    // :00, :15, :30, :45). The 6th attempt is refused, unless the attempts straddle a cut:
    // then the count starts again and the 6th of the new window is, at the 11th at most.
    for (let attempt = 1; attempt <= 11; attempt++) {
      await signIn(page, guess);
      await expect.poll(() => answers.length).toBe(attempt);
      await expect(page.getByRole("button", { name: "Sign in" })).toBeEnabled();
      if (answers.at(-1)!.status === 429) break;
    }
    const last = answers.at(-1)!;
    expect(last.status).toBe(429);
    expect(answers.length).toBeGreaterThanOrEqual(6);
    expect(answers.slice(0, -1).every((answer) => answer.status === 401)).toBe(true);
    await expect(page.getByRole("alert")).toHaveText(
      `Too many attempts: try again in ${last.retryAfter} s.`,
    );
  });
});

test("a viewer sees who they are, no admin page, and their role is the API's", async ({ page }) => {
  await page.goto("/login?next=%2Foverview%3Fperiod%3DYEAR");
  await signIn(page, USERS.viewer);
  await expect(page).toHaveURL(/\/overview\?period=YEAR$/);
  await expect(page.getByRole("heading", { name: "Overview", level: 1 })).toBeVisible();
  await expect(pages(page).getByRole("link", { name: "Overview" })).toBeVisible();
  await expect(pages(page).getByRole("link", { name: "System" })).toHaveCount(0);
  await expect(page.getByText(USERS.viewer.email)).toBeVisible();
  await expect(page.getByText("viewer", { exact: true })).toBeVisible();

  // a token from the browser's own refresh cookie: what `me` answers for it is what the
  // user area shows
  const refreshed = await page.request.post("/api/v1/auth/refresh");
  const token = ((await refreshed.json()) as { access_token: string }).access_token;
  const { me } = await gql<{ me: { email: string; role: string; permissions: string[] } }>(
    "{ me { email role permissions } }",
    {},
    token,
  );
  expect(me).toEqual({ email: USERS.viewer.email, role: "VIEWER", permissions: ["DASHBOARD_READ"] });
});

test("a viewer's sidebar lists only the pages of dashboard reads", async ({ page }) => {
  await page.goto("/login");
  await signIn(page, USERS.viewer);
  await expect(page).toHaveURL(/\/overview$/);
  await expect(pages(page).getByRole("link")).toHaveText(["Overview", "Sales reps"]);
});

test("a viewer sent to /customers is told to ask for the analyst role, and nothing is refused", async ({
  page,
}) => {
  await page.goto("/login?next=%2Fcustomers");
  const requests = watchGraphQL(page);
  const refused: string[] = [];
  page.on("response", async (response) => {
    if (new URL(response.url()).pathname !== "/graphql") return;
    const body = await response.text().catch(() => "");
    if (body.includes("FORBIDDEN")) refused.push(body);
  });
  await signIn(page, USERS.viewer);
  await expect(page).toHaveURL(/\/customers$/);
  await expect(page.getByRole("heading", { level: 1, name: "Customers" })).toBeVisible();
  await expect(
    page.getByText(
      "Your role (viewer) cannot see customer analytics. Ask an admin for the analyst role.",
    ),
  ).toBeVisible();
  await expect(page.getByRole("alert")).toHaveCount(0);
  await page.waitForLoadState("networkidle");
  // the sign-in's own questions only: the page's query was never sent
  expect(requests.page()).toHaveLength(0);
  expect(refused).toEqual([]);
});

test("a viewer reads the sales reps without a refused field, and gets no rep's page", async ({
  page,
}) => {
  await page.goto("/login?next=%2Freps%3Fperiod%3DYEAR");
  await signIn(page, USERS.viewer);
  const leaderboard = page.getByRole("table", { name: /^Sales reps .*by sales/ });
  await expect(leaderboard.locator("tbody tr").first()).toBeVisible();
  await expect(leaderboard.getByRole("link")).toHaveCount(0);
  await expect(page.getByLabel("Rep region").locator("option")).not.toHaveCount(1);
  await expect(page.getByRole("alert")).toHaveCount(0);
});

test("an admin has the System page", async ({ page }) => {
  await page.goto("/login");
  await signIn(page, USERS.admin);
  await expect(page).toHaveURL(/\/overview$/);
  await pages(page).getByRole("link", { name: "System" }).click();
  await expect(page).toHaveURL(/\/system$/);
  await expect(page.getByText("admin", { exact: true })).toBeVisible();
});

test("a reload signs in again silently, from the refresh cookie", async ({ page }) => {
  await page.goto("/login?next=%2Freps");
  await signIn(page, USERS.analyst);
  await expect(page).toHaveURL(/\/reps$/);
  await page.reload();
  await expect(page.getByText(USERS.analyst.email)).toBeVisible();
  await expect(page).toHaveURL(/\/reps$/);
  await expect(signInHeading(page)).toHaveCount(0);
});

test("signing out returns to the sign-in page and ends the session on the server", async ({
  page,
}) => {
  await page.goto("/login");
  await signIn(page, USERS.admin);
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(signInHeading(page)).toBeVisible();
  await expect(page).toHaveURL(/\/login$/);
  // the cookie was revoked: a refresh with what the browser holds is refused
  const refresh = await page.request.post("/api/v1/auth/refresh");
  expect(refresh.status()).toBe(401);
  await page.reload();
  await expect(signInHeading(page)).toBeVisible();
});

test("anyone may read when anonymous reads are on, and sign in from the sidebar", async ({ page }) => {
  await page.goto("/products");
  await expect(page.getByText("Not signed in")).toBeVisible();
  await expect(pages(page).getByRole("link", { name: "System" })).toHaveCount(0);
  await page.getByRole("link", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/login\?next=%2Fproducts$/);
  await page.getByRole("link", { name: "Continue without signing in" }).click();
  await expect(page).toHaveURL(/\/products$/);
});

test("never leaves the site after signing in, whatever next says", async ({ page }) => {
  await page.goto("/login?next=%2F%2Fevil.example%2Fphish");
  await signIn(page, USERS.viewer);
  await expect(page).toHaveURL(/^http:\/\/127\.0\.0\.1:\d+\/overview$/);
});
