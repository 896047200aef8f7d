// The Overview against the seeded server: what it shows equals what the API answers.
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";

import type { Locator, Page, Request } from "@playwright/test";

import {
  ARTIFACTS_DIR,
  count,
  expect,
  gql,
  isSessionQuery,
  money,
  percent,
  test,
  watchGraphQL,
} from "./support";

type Period = "TODAY" | "YESTERDAY" | "WEEK" | "MONTH" | "QUARTER" | "YEAR";

/** The period buttons' labels. */
const BUTTONS: Record<Period, string> = {
  TODAY: "Today",
  YESTERDAY: "Yesterday",
  WEEK: "This week",
  MONTH: "This month",
  QUARTER: "Quarter",
  YEAR: "Year",
};

interface OverviewAnswer {
  shopInfo: { name: string; currency: string };
  dashboardOverview: {
    overview: {
      totalRevenue: string;
      totalOrders: number;
      averageOrderValue: string;
      uniqueCustomers: number;
      unitsSold: number;
      totalProfit: string;
      profitMargin: number | null;
    };
    topProducts: { product: { name: string } }[];
    topSalesReps: { salesRep: { name: string } }[];
  };
}

const OVERVIEW = `
  query E2EOverview($period: Period!) {
    shopInfo { name currency }
    dashboardOverview(period: $period) {
      overview {
        totalRevenue totalOrders averageOrderValue uniqueCustomers unitsSold totalProfit
        profitMargin
      }
      topProducts { product { name } }
      topSalesReps { salesRep { name } }
    }
  }
`;

function overviewFromApi(period: Period): Promise<OverviewAnswer> {
  return gql<OverviewAnswer>(OVERVIEW, { period });
}

/** Each KPI card's label and the text it must show for the API's answer. */
function expectedFigures({ shopInfo, dashboardOverview }: OverviewAnswer): [string, string][] {
  const o = dashboardOverview.overview;
  return [
    ["Revenue", money(o.totalRevenue, shopInfo.currency)],
    ["Orders", count(o.totalOrders)],
    ["Average order value", money(o.averageOrderValue, shopInfo.currency)],
    ["Customers", count(o.uniqueCustomers)],
    ["Units sold", count(o.unitsSold)],
    ["Profit", money(o.totalProfit, shopInfo.currency)],
    ["Profit margin", percent(o.profitMargin)],
  ];
}

const keyFigures = (page: Page) => page.getByRole("region", { name: "Key figures" });
const productsTable = (page: Page) =>
  page.getByRole("table", { name: "Top products by item sales" });
const repsTable = (page: Page) => page.getByRole("table", { name: "Top sales reps" });
const periodButton = (page: Page, period: Period) =>
  page.getByRole("group", { name: "Period" }).getByRole("button", { name: BUTTONS[period] });

async function expectFigures(page: Page, answer: OverviewAnswer): Promise<void> {
  for (const [label, text] of expectedFigures(answer)) {
    const card = keyFigures(page).getByRole("article", { name: label, exact: true });
    await expect(card.getByText(text, { exact: true }), `${label} shows ${text}`).toBeVisible();
  }
}

/** The page is fully rendered: every KPI card, and both tables (or the no-orders notice). */
async function waitForOverview(page: Page, answer: OverviewAnswer): Promise<void> {
  await expect(keyFigures(page).getByRole("article")).toHaveCount(7);
  if (answer.dashboardOverview.overview.totalOrders > 0) {
    await expect(productsTable(page)).toBeVisible();
    await expect(repsTable(page)).toBeVisible();
  } else {
    await expect(page.getByRole("heading", { name: /^No orders/ })).toBeVisible();
  }
}

async function expectRows(table: Locator, names: string[]): Promise<void> {
  await expect(table.getByRole("rowheader")).toHaveCount(names.length);
  await expect(table.getByRole("rowheader")).toContainText(names);
}

test("renders this month's figures, top products and top reps", async ({ page }) => {
  const api = await overviewFromApi("MONTH");
  await page.goto("/");

  await expect(page.getByRole("heading", { level: 1, name: "Overview" })).toBeVisible();
  await expect(page).toHaveTitle(`Overview · ${api.shopInfo.name}`);
  await expect(periodButton(page, "MONTH")).toHaveAttribute("aria-pressed", "true");
  await waitForOverview(page, api);
  await expectFigures(page, api);
  if (api.dashboardOverview.overview.totalOrders > 0) {
    await expectRows(
      productsTable(page),
      api.dashboardOverview.topProducts.map((row) => row.product.name),
    );
    await expectRows(
      repsTable(page),
      api.dashboardOverview.topSalesReps.map((row) => row.salesRep.name),
    );
  }
  await expect(page.getByText(/^Data as of /)).toBeVisible();
});

for (const period of ["MONTH", "YEAR"] as const) {
  test(`KPI figures equal the API's dashboardOverview to the cent (${period})`, async ({
    page,
  }) => {
    const api = await overviewFromApi(period);
    await page.goto(`/?period=${period}`);
    await waitForOverview(page, api);
    await expectFigures(page, api);
  });
}

test("a preset changes the URL and the numbers, and reloading restores the view", async ({
  page,
}) => {
  const month = await overviewFromApi("MONTH");
  // Another period whose numbers differ from this month's (in January the year is the
  // month, on the first day of a quarter the quarter is).
  let target: Period | undefined;
  let other: OverviewAnswer | undefined;
  for (const candidate of ["YEAR", "QUARTER", "WEEK", "YESTERDAY"] as const) {
    other = await overviewFromApi(candidate);
    if (
      other.dashboardOverview.overview.totalRevenue !== month.dashboardOverview.overview.totalRevenue
    ) {
      target = candidate;
      break;
    }
  }
  if (!target || !other) throw new Error("every preset has this month's revenue");

  await page.goto("/");
  await expectFigures(page, month);
  await periodButton(page, target).click();
  await expect(page).toHaveURL(new RegExp(`[?&]period=${target}(&|$)`));
  await expect(periodButton(page, target)).toHaveAttribute("aria-pressed", "true");
  await expectFigures(page, other);

  await page.reload();
  await expect(page).toHaveURL(new RegExp(`[?&]period=${target}(&|$)`));
  await expect(periodButton(page, target)).toHaveAttribute("aria-pressed", "true");
  await expect(periodButton(page, "MONTH")).toHaveAttribute("aria-pressed", "false");
  await waitForOverview(page, other);
  await expectFigures(page, other);
});

/** The operation a GraphQL request sent. */
const operationOf = (request: Request) =>
  (request.postDataJSON() as { operationName?: string } | null)?.operationName;

test("loading the Overview is one GraphQL request for its data", async ({ page }) => {
  const api = await overviewFromApi("MONTH");
  const requests = watchGraphQL(page);
  await page.goto("/");
  await waitForOverview(page, api);
  await page.waitForLoadState("networkidle");

  expect(requests.all.filter(isSessionQuery)).toHaveLength(1);
  // The alerts card asks on its own, after the numbers: `alerts` is never cached, and in
  // the Overview's document it would make every Overview miss the response cache.
  const pageRequests = requests.page();
  expect(pageRequests.map(operationOf)).toEqual(["Overview", "OpenAlerts"]);
  // A POST, so the API's response cache answers it (the cache keys POST bodies).
  const request = pageRequests[0]!;
  expect(request.method()).toBe("POST");
  const sent = request.postData() ?? "";
  expect(sent).not.toContain("alerts");
  const response = await request.response();
  expect(response?.headers()["x-cache"]).toMatch(/^(HIT-L1|HIT-L2|MISS)$/);
  for (const field of ["shopInfo", "salesOverview", "salesTrends", "topProducts", "regionalPerformance"]) {
    expect(sent).toContain(field);
  }
});

interface LoadMeasure {
  renderedMs: number;
  domContentLoadedMs: number;
  graphqlMs: number | null;
  scripts: { path: string; transferSize: number; encodedBodySize: number; decodedBodySize: number }[];
}

/** Runs in the page the moment it is fully rendered; times are from navigation start. */
function measureLoad(): LoadMeasure {
  const renderedMs = performance.now();
  const [navigation] = performance.getEntriesByType("navigation") as PerformanceNavigationTiming[];
  const resources = performance.getEntriesByType("resource") as PerformanceResourceTiming[];
  // the page's request is the second: the app's session query comes first, the alerts
  // card's once the page has its numbers
  const graphql = resources.filter((r) => new URL(r.name).pathname === "/graphql").at(1);
  return {
    renderedMs,
    domContentLoadedMs: navigation?.domContentLoadedEventEnd ?? 0,
    graphqlMs: graphql ? graphql.responseEnd - graphql.startTime : null,
    scripts: resources
      .filter((r) => new URL(r.name).pathname.endsWith(".js"))
      .map((r) => ({
        path: new URL(r.name).pathname,
        transferSize: r.transferSize,
        encodedBodySize: r.encodedBodySize,
        decodedBodySize: r.decodedBodySize,
      })),
  };
}

const MEASURED_LOADS = 5;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

const round = (value: number) => Math.round(value * 10) / 10;
const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

test("records how fast the Overview renders and how much JS it loads (perf.json)", async ({
  page,
  newPage,
}) => {
  const api = await overviewFromApi("MONTH");
  await page.goto("/"); // warm-up: the server's answer cache, Chromium's processes
  await waitForOverview(page, api);

  // Each measured load is a first visit, in a new browser context: nothing cached.
  const loads: LoadMeasure[] = [];
  for (let i = 0; i < MEASURED_LOADS; i++) {
    const visitor = await newPage();
    await visitor.goto("/", { waitUntil: "commit" });
    await waitForOverview(visitor, api);
    loads.push(await visitor.evaluate(measureLoad));
    await visitor.context().close();
  }

  // And a returning visitor's: the script from the browser's cache.
  const revisits: number[] = [];
  for (let i = 0; i < MEASURED_LOADS; i++) {
    await page.reload({ waitUntil: "commit" });
    await waitForOverview(page, api);
    revisits.push((await page.evaluate(measureLoad)).renderedMs);
  }

  const rendered = loads.map((load) => load.renderedMs);
  const scripts = loads[0]!.scripts;
  const report = {
    measuredAt: new Date().toISOString(),
    page: "/ (Overview, period MONTH)",
    method:
      "navigation start to every KPI card and both tables visible (performance.now() when " +
      "the locators resolved), each load a first visit in a new browser context, server " +
      `cache warm, median of ${MEASURED_LOADS} loads after one warm-up, headless Chromium; ` +
      "revisitRenderedMs: reloads with the script in the browser's cache",
    fullyRenderedMs: {
      median: round(median(rendered)),
      min: round(Math.min(...rendered)),
      max: round(Math.max(...rendered)),
      loads: rendered.map(round),
    },
    revisitRenderedMs: {
      median: round(median(revisits)),
      min: round(Math.min(...revisits)),
      max: round(Math.max(...revisits)),
    },
    domContentLoadedMs: round(median(loads.map((load) => load.domContentLoadedMs))),
    graphqlRequestMs: round(median(loads.map((load) => load.graphqlMs ?? 0))),
    firstLoadJs: {
      files: scripts.map((s) => s.path),
      transferBytes: sum(scripts.map((s) => s.transferSize)),
      encodedBytes: sum(scripts.map((s) => s.encodedBodySize)),
      decodedBytes: sum(scripts.map((s) => s.decodedBodySize)),
    },
  };
  const file = path.join(ARTIFACTS_DIR, "perf.json");
  await mkdir(ARTIFACTS_DIR, { recursive: true });
  await writeFile(file, `${JSON.stringify(report, null, 2)}\n`);
  await test.info().attach("perf.json", { path: file, contentType: "application/json" });
  console.log(
    `perf: Overview fully rendered in ${report.fullyRenderedMs.median} ms (median of ` +
      `${MEASURED_LOADS}, ${report.fullyRenderedMs.min}-${report.fullyRenderedMs.max}; ` +
      `${report.revisitRenderedMs.median} ms revisiting), ` +
      `first-load JS ${(report.firstLoadJs.transferBytes / 1000).toFixed(1)} kB transferred ` +
      `in ${scripts.length} file(s) -> e2e-artifacts/perf.json`,
  );
});
