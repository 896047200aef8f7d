// The Sales reps pages against the seeded server: leaderboard, regions and a rep's page
// equal the API's answers.
import type { Locator, Page } from "@playwright/test";

import { count, expect, gql, money, test } from "./support";
import { csvRows } from "./support/csv";

interface RepRow {
  rank: number | null;
  totalSales: string;
  commissionEarned: string;
  salesRep: { id: string; name: string; email: string; region: string | null };
}

interface RepsAnswer {
  shopInfo: { currency: string };
  topSalesReps: RepRow[];
  regionalPerformance: { region: string; revenue: string; orders: number }[];
}

const REPS = `
  query E2EReps($period: Period!, $region: String) {
    shopInfo { currency }
    topSalesReps(limit: 100, period: $period, region: $region) {
      rank totalSales commissionEarned salesRep { id name email region }
    }
    regionalPerformance(period: $period) { region revenue orders }
  }
`;

interface RepAnswer {
  shopInfo: { currency: string };
  salesRepPerformance: {
    totalSales: string;
    totalOrders: number;
    commissionEarned: string;
    totalProfit: string;
    salesRep: { name: string; email: string };
    trend: { label: string; value: string | null }[];
  };
}

const REP = `
  query E2ERep($id: ID!, $period: Period!, $granularity: Granularity) {
    shopInfo { currency }
    salesRepPerformance(salesRepId: $id, period: $period, granularity: $granularity) {
      totalSales totalOrders commissionEarned totalProfit salesRep { name email }
      trend { label value }
    }
  }
`;

const leaderboard = (page: Page) => page.getByRole("table", { name: /^Sales reps .*by sales/ });

async function expectLeaderboard(table: Locator, api: RepsAnswer): Promise<void> {
  const rows = table.locator("tbody tr");
  await expect(rows).toHaveCount(api.topSalesReps.length);
  for (const [index, row] of api.topSalesReps.entries()) {
    const line = rows.nth(index);
    await expect(line.getByRole("link", { name: row.salesRep.name })).toHaveAttribute(
      "href",
      new RegExp(`^/reps/${row.salesRep.id}\\?`),
    );
    await expect(line).toContainText(row.salesRep.email);
    await expect(line).toContainText(money(row.totalSales, api.shopInfo.currency));
    await expect(line).toContainText(money(row.commissionEarned, api.shopInfo.currency));
  }
}

test("the leaderboard and the regions equal the API's, namesakes apart", async ({ page }) => {
  const api = await gql<RepsAnswer>(REPS, { period: "YEAR" });
  await page.goto("/reps?period=YEAR");
  await expect(page.getByRole("heading", { level: 1, name: "Sales reps" })).toBeVisible();
  await expectLeaderboard(leaderboard(page), api);

  // Reps sharing a name each have their own row, email and link.
  const names = api.topSalesReps.map((row) => row.salesRep.name);
  for (const name of new Set(names.filter((name, index) => names.indexOf(name) !== index))) {
    const namesakes = names.filter((other) => other === name).length;
    const links = leaderboard(page).getByRole("link", { name, exact: true });
    await expect(links).toHaveCount(namesakes);
    const hrefs = await links.evaluateAll((all) => all.map((a) => a.getAttribute("href")));
    expect(new Set(hrefs).size).toBe(namesakes);
  }

  const regions = page.getByRole("table", { name: "Regions by revenue" });
  await expect(regions.locator("tbody tr")).toHaveCount(api.regionalPerformance.length);
  for (const region of api.regionalPerformance) {
    const row = regions.getByRole("row", { name: new RegExp(`^${region.region} `) });
    await expect(row).toContainText(money(region.revenue, api.shopInfo.currency));
    await expect(row).toContainText(count(region.orders));
  }
});

test("the region filter lives in the URL, survives a reload and exports its rows", async ({
  page,
}) => {
  const all = await gql<RepsAnswer>(REPS, { period: "YEAR" });
  const region = all.topSalesReps[0]!.salesRep.region!;
  const api = await gql<RepsAnswer>(REPS, { period: "YEAR", region });

  await page.goto("/reps?period=YEAR");
  await page.getByLabel("Rep region").selectOption(region);
  await expect(page).toHaveURL(
    `/reps?period=YEAR&region=${encodeURIComponent(region).replaceAll("%20", "+")}`,
  );
  await expectLeaderboard(leaderboard(page), api);

  await page.reload();
  await expect(page.getByLabel("Rep region")).toHaveValue(region);
  await expectLeaderboard(leaderboard(page), api);

  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page
      .getByRole("region", { name: "Leaderboard" })
      .getByRole("button", { name: "Export CSV" })
      .click(),
  ]);
  const [header, ...rows] = await csvRows(download);
  expect(header?.slice(0, 6)).toEqual(["Rank", "Rep ID", "Name", "Email", "Region", "Sales"]);
  expect(rows.map((row) => [row[1], row[4], row[5]])).toEqual(
    api.topSalesReps.map((row) => [row.salesRep.id, region, row.totalSales]),
  );
});

test("a rep's page shows the API's figures and trend, with its buckets in the URL", async ({
  page,
}) => {
  const board = await gql<RepsAnswer>(REPS, { period: "YEAR" });
  const rep = board.topSalesReps.at(-1)!.salesRep;
  const api = await gql<RepAnswer>(REP, { id: rep.id, period: "YEAR", granularity: "WEEK" });
  const { currency } = api.shopInfo;
  const detail = api.salesRepPerformance;

  await page.goto("/reps?period=YEAR");
  await leaderboard(page).getByRole("link", { name: rep.name }).last().click();
  await expect(page).toHaveURL(`/reps/${rep.id}?period=YEAR`);
  await expect(page.getByRole("heading", { level: 1, name: rep.name })).toBeVisible();
  await page.getByLabel("Buckets").selectOption("WEEK");
  await expect(page).toHaveURL(`/reps/${rep.id}?period=YEAR&granularity=WEEK`);
  await page.reload();
  await expect(page.getByLabel("Buckets")).toHaveValue("WEEK");

  const figure = (name: string) => page.getByRole("article", { name, exact: true });
  await expect(figure("Sales")).toContainText(money(detail.totalSales, currency));
  await expect(figure("Orders")).toContainText(count(detail.totalOrders));
  await expect(figure("Commission")).toContainText(money(detail.commissionEarned, currency));
  await expect(figure("Profit")).toContainText(money(detail.totalProfit, currency));

  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: "Export CSV" }).click(),
  ]);
  const [, ...rows] = await csvRows(download);
  expect(rows.map((row) => [row[0], row[2]])).toEqual(
    detail.trend.map((point) => [point.label, point.value ?? ""]),
  );
});

test("a rep that does not exist gets a not-found page", async ({ page }) => {
  await page.goto("/reps/987654");
  await expect(page.getByRole("heading", { name: "No such sales rep" })).toBeVisible();
  await expect(page.getByRole("link", { name: "leaderboard" })).toHaveAttribute(
    "href",
    "/reps?period=MONTH",
  );
});
