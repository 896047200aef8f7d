// The Import page against the seeded server: an admin checks a small sales file with a dry
// run (nothing written), then imports it for real and sees the report with its two bad
// rows; the Overview's revenue of the file's month moves by exactly the good rows' amounts.
// The file's dates are in March 2019, before the seeded data, so no other spec's period sees
// them; its order ids are its own, so a second run of the spec on the same server would
// skip the rows as already imported (and the revenue check would say so).
import { readFile } from "node:fs/promises";

import type { Locator, Page } from "@playwright/test";

import { expect, gql, money, signIn, test, USERS } from "./support";

const FILE = [
  "date,order_id,product_name,amount,quantity",
  "2019-03-04,E2E-IMP-1,E2E Import Widget,19.99,1",
  "2019-03-05,E2E-IMP-2,E2E Import Widget,40.00,2",
  "2019-03-06,E2E-IMP-3,E2E Import Gadget,not-a-number,1",
  "2019-03-07,E2E-IMP-4,E2E Import Gadget,15.01,1",
  "2019-13-45,E2E-IMP-5,E2E Import Gadget,5.00,1",
].join("\n");
/** The good rows' amounts: 19.99 + 40.00 + 15.01. */
const GOOD_CENTS = 7500;
const MARCH_2019 = "/?period=CUSTOM&from=2019-03-01&to=2019-03-31";

const upload = { name: "e2e-import.csv", mimeType: "text/csv", buffer: Buffer.from(FILE) };

interface Overview {
  shopInfo: { currency: string };
  dashboardOverview: { overview: { totalRevenue: string } };
}

function marchRevenue(): Promise<Overview> {
  return gql<Overview>(
    `query E2EMarch($range: DateRangeInput!) {
      shopInfo { currency }
      dashboardOverview(period: CUSTOM, dateRange: $range) { overview { totalRevenue } }
    }`,
    { range: { startDate: "2019-03-01", endDate: "2019-03-31" } },
  );
}

const cents = (amount: string) => Math.round(Number(amount) * 100);
const decimal = (value: number) => `${Math.trunc(value / 100)}.${String(value % 100).padStart(2, "0")}`;

async function revenueCard(page: Page): Promise<string> {
  await page.goto(MARCH_2019);
  const card = page.getByRole("article", { name: "Revenue" });
  await expect(card).toBeVisible();
  return (await card.locator(".kpi__value").textContent()) ?? "";
}

/** The figure of the card ``label`` in ``region`` (the import's counts). */
const figure = (region: Locator, label: string) =>
  region.getByRole("article", { name: label, exact: true }).locator(".kpi__value");

async function chooseFile(page: Page) {
  await page.getByLabel("Sales CSV file").setInputFiles(upload);
}

test("an admin checks a file with a dry run, imports it, and reads its row errors", async ({ page }) => {
  const before = await marchRevenue();
  const currency = before.shopInfo.currency;
  expect(await revenueCard(page)).toBe(money(before.dashboardOverview.overview.totalRevenue, currency));

  await page.goto("/login?next=%2Fimport");
  await signIn(page, USERS.admin);
  await expect(page.getByRole("heading", { level: 1, name: "Import" })).toBeVisible();
  // No sheet is connected on the seeded server.
  await expect(page.getByRole("heading", { name: "No sheets connected" })).toBeVisible();

  // The dry run: the report of what would happen, nothing written.
  await page.getByRole("checkbox", { name: /Dry run/ }).check();
  await chooseFile(page);
  const dry = page.getByRole("region", { name: /^Import \d+ · e2e-import\.csv$/ });
  await expect(dry).toContainText("dry run: nothing was written");
  await expect(figure(dry, "Would be imported")).toHaveText("3");
  await expect(figure(dry, "Failed")).toHaveText("2");
  expect((await marchRevenue()).dashboardOverview.overview.totalRevenue).toBe(
    before.dashboardOverview.overview.totalRevenue,
  );

  // The import.
  await page.getByRole("checkbox", { name: /Dry run/ }).uncheck();
  await chooseFile(page);
  const report = page.getByRole("region", { name: /^Import \d+ · e2e-import\.csv$/ });
  await expect(report).not.toContainText("dry run");
  await expect(report.getByText("Succeeded")).toBeVisible();
  await expect(figure(report, "Rows read")).toHaveText("5");
  await expect(figure(report, "Imported")).toHaveText("3");
  await expect(figure(report, "Failed")).toHaveText("2");
  const errors = report.getByRole("table", { name: "Row errors" });
  await expect(errors.getByRole("rowheader")).toHaveText(["4", "6"]);
  await expect(errors.getByRole("row").nth(1)).toContainText("amount");
  await expect(errors.getByRole("row").nth(1)).toContainText("not-a-number");
  await expect(errors.getByRole("row").nth(2)).toContainText("2019-13-45");

  // Every row error as CSV, fetched with the session's token.
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    report.getByRole("button", { name: "Download all row errors (CSV)" }).click(),
  ]);
  const lines = (await readFile(await download.path(), "utf8")).split(/\r?\n/).filter(Boolean);
  expect(lines[0]?.replace(/^\uFEFF/, "")).toBe("line,column,value,reason");
  expect(lines.slice(1).map((line) => line.split(",")[0])).toEqual(["4", "6"]);

  // The import is listed first among the recent imports.
  const recent = page.getByRole("table", { name: "Recent imports" });
  await expect(recent.getByRole("row").nth(1)).toContainText("e2e-import.csv");

  // The Overview's revenue for March 2019 moved by exactly the good rows.
  const after = await marchRevenue();
  const expected = cents(before.dashboardOverview.overview.totalRevenue) + GOOD_CENTS;
  expect(cents(after.dashboardOverview.overview.totalRevenue)).toBe(expected);
  expect(await revenueCard(page)).toBe(money(decimal(expected), currency));
});

test("the anonymous demo reads the imports without the upload", async ({ page }) => {
  await page.goto("/import");
  await expect(page.getByRole("heading", { level: 1, name: "Import" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Google Sheets" })).toBeVisible();
  await expect(page.getByRole("region", { name: "Upload a sales file" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Connect sheet" })).toHaveCount(0);
});
