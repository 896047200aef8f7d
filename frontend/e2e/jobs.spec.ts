// The System page's background jobs against the seeded server: an admin sees every job the
// API lists and runs one now.
import type { Page } from "@playwright/test";

import { adminToken, expect, gql, signIn, test, USERS } from "./support";

interface JobsAnswer {
  shopInfo: { timezone: string };
  jobs: {
    name: string;
    scheduleDescription: string;
    lastRun: { id: string; outcome: string } | null;
  }[];
}

const JOBS = "{ shopInfo { timezone } jobs { name scheduleDescription lastRun { id outcome } } }";

async function openAsAdmin(page: Page) {
  await page.goto("/login?next=%2Fsystem");
  await signIn(page, USERS.admin);
  await expect(page).toHaveURL(/\/system$/);
  const table = page.getByRole("table", { name: "Background jobs" });
  await expect(table).toBeVisible();
  return table;
}

const jobRow = (page: Page, name: string) =>
  page.getByRole("table", { name: "Background jobs" }).getByRole("row").filter({
    has: page.getByRole("button", { name, exact: true }),
  });

test("an admin sees every job the API lists, with its schedule in the shop's time zone", async ({ page }) => {
  const api = await gql<JobsAnswer>(JOBS, {}, adminToken());
  const table = await openAsAdmin(page);
  await expect(table.getByRole("rowheader")).toHaveCount(api.jobs.length);
  for (const job of api.jobs) {
    const row = jobRow(page, job.name);
    await expect(row).toContainText(job.scheduleDescription);
    if (job.scheduleDescription !== "only when run by hand") await expect(row).toContainText(api.shopInfo.timezone);
  }
});

test("Run now on maintenance ends succeeded and the last run updates", async ({ page }) => {
  const before = await gql<JobsAnswer>(JOBS, {}, adminToken());
  const previous = before.jobs.find((job) => job.name === "maintenance")?.lastRun?.id ?? null;
  await openAsAdmin(page);
  const row = jobRow(page, "maintenance");
  const button = row.getByRole("button", { name: "Run now maintenance" });
  await button.click();
  await expect(row.getByRole("status")).toContainText(/^Succeeded in /, { timeout: 30_000 });
  await expect(button).toBeEnabled();
  await expect(row.locator(".badge")).toContainText("Succeeded");
  await expect(row.getByText(/just now|seconds? ago/)).toBeVisible();

  const after = await gql<JobsAnswer>(JOBS, {}, adminToken());
  const last = after.jobs.find((job) => job.name === "maintenance")?.lastRun;
  expect(last?.outcome).toBe("SUCCEEDED");
  expect(last?.id).not.toBe(previous);

  // Its runs, the new one first, when the job is opened.
  await row.getByRole("button", { name: "maintenance", exact: true }).click();
  const runs = page.getByRole("table", { name: "Recent runs of maintenance" });
  await expect(runs.getByRole("row").nth(1)).toContainText("manual");
  await expect(runs.getByRole("row").nth(1)).toContainText("Succeeded");
});

test("an analyst is not shown the jobs", async ({ page }) => {
  await page.goto("/login?next=%2Fsystem");
  await signIn(page, USERS.analyst);
  await expect(page.getByRole("table", { name: "Cache tiers" })).toBeVisible();
  await expect(page.getByRole("table", { name: "Background jobs" })).toHaveCount(0);
});
