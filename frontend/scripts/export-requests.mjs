// The requests the dashboard sends for the views the server's cache-warm job keeps warm,
// exported for it (src/shopx/jobs/dashboard_requests.json, committed): each view's page, the
// permission its route needs, and its POST body as urql builds it (the query printed after
// urql's formatDocument adds __typename, the operation name, the variables the page computes
// from a URL without parameters, or with only ?period= for each Overview preset).
//
//   node scripts/export-requests.mjs            write the file (run after changing a query)
//   node scripts/export-requests.mjs --check    exit 1 when the committed file is out of date
//
// The page modules are bundled with esbuild (Vite's own) so the variables come from the same
// functions the pages call; the typed documents come from src/gql (npm run codegen first).

import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

import { build } from "esbuild";

const here = dirname(fileURLToPath(import.meta.url));
const frontend = resolve(here, "..");
const target = resolve(frontend, "../src/shopx/jobs/dashboard_requests.json");

const entry = `
import { formatDocument } from "@urql/core";
import { makeFetchBody } from "@urql/core/internal";
import { ACCESS } from "@/components/layout/pages";
import { PAGE_SIZE } from "@/features/products/api/catalog";
import { catalogVariables, readCatalog } from "@/features/products/lib/catalog-params";
import { DEFAULT_COHORT_MONTHS, DEFAULT_TOP_LIMIT } from "@/features/customers/utils/view";
import { overviewVariables } from "@/features/overview/api/get-overview";
import { PERIOD_PRESETS, periodVariables, readPeriod } from "@/lib/period";
import { CatalogDocument, CustomersDocument, OverviewDocument } from "@/gql/graphql";

const body = (document, variables) =>
  makeFetchBody({ kind: "query", query: formatDocument(document), variables });
const none = () => new URLSearchParams();

export const views = [
  ...PERIOD_PRESETS.map(({ period }) => ({
    page: "overview",
    needs: ACCESS.overview.needs,
    body: body(OverviewDocument, overviewVariables(readPeriod(new URLSearchParams({ period })))),
  })),
  {
    page: "products",
    needs: ACCESS.products.needs,
    body: body(CatalogDocument, { first: PAGE_SIZE, ...catalogVariables(readCatalog(none())) }),
  },
  {
    page: "customers",
    needs: ACCESS.customers.needs,
    body: body(CustomersDocument, {
      ...periodVariables(readPeriod(none())),
      limit: Number(DEFAULT_TOP_LIMIT),
      months: Number(DEFAULT_COHORT_MONTHS),
    }),
  },
];
`;

async function exported() {
  // Next to node_modules, so that the bundle's imports of packages resolve.
  const bundle = join(frontend, `.export-requests-${process.pid}.mjs`);
  await build({
    stdin: { contents: entry, resolveDir: frontend, loader: "ts" },
    bundle: true,
    platform: "node",
    format: "esm",
    packages: "external",
    alias: { "@": join(frontend, "src") },
    outfile: bundle,
    logLevel: "error",
  });
  try {
    const { views } = await import(pathToFileURL(bundle).href);
    return `${JSON.stringify({ generatedBy: "frontend/scripts/export-requests.mjs", views }, null, 2)}\n`;
  } finally {
    rmSync(bundle, { force: true });
  }
}

const text = await exported();
if (process.argv.includes("--check")) {
  let committed = "";
  try {
    committed = readFileSync(target, "utf8");
  } catch {
    // missing: out of date
  }
  if (committed !== text) {
    console.error(`${target} is out of date: run node frontend/scripts/export-requests.mjs`);
    process.exit(1);
  }
} else {
  writeFileSync(target, text);
}
