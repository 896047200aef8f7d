import { createBrowserRouter, type RouteObject } from "react-router-dom";

import { AppLayout, type RouteHandle } from "@/components/layout/AppLayout";
import { ACCESS } from "@/components/layout/pages";

import { Loading } from "./routes/Loading";
import { NotFound } from "./routes/NotFound";
import { RouteError } from "./routes/RouteError";

// Every page is its own chunk, loaded when first visited: the first load carries the
// Overview only. A route's handle says what its data needs: a caller without it gets the
// layout's role notice instead of the page, whose query is then never sent.
export const routes: RouteObject[] = [
  {
    path: "/login",
    HydrateFallback: Loading,
    lazy: async () => ({ Component: (await import("@/features/auth/components/LoginPage")).LoginPage }),
  },
  {
    path: "/",
    element: <AppLayout />,
    HydrateFallback: Loading,
    errorElement: <RouteError />,
    children: [
      {
        index: true,
        handle: { access: ACCESS.overview } satisfies RouteHandle,
        lazy: async () => ({
          Component: (await import("@/features/overview/components/OverviewPage")).OverviewPage,
        }),
      },
      {
        path: "overview",
        handle: { access: ACCESS.overview } satisfies RouteHandle,
        lazy: async () => ({
          Component: (await import("@/features/overview/components/OverviewPage")).OverviewPage,
        }),
      },
      {
        path: "products",
        handle: { access: ACCESS.products } satisfies RouteHandle,
        lazy: async () => ({
          Component: (await import("@/features/products/components/ProductsPage")).ProductsPage,
        }),
      },
      {
        path: "products/:productId",
        handle: { access: ACCESS.product } satisfies RouteHandle,
        lazy: async () => ({
          Component: (await import("@/features/products/components/ProductPage")).ProductPage,
        }),
      },
      {
        path: "customers",
        handle: { access: ACCESS.customers } satisfies RouteHandle,
        lazy: async () => ({
          Component: (await import("@/features/customers/components/CustomersPage")).CustomersPage,
        }),
      },
      {
        path: "reps",
        handle: { access: ACCESS.reps } satisfies RouteHandle,
        lazy: async () => ({
          Component: (await import("@/features/reps/components/RepsPage")).RepsPage,
        }),
      },
      {
        path: "reps/:repId",
        handle: { access: ACCESS.rep } satisfies RouteHandle,
        lazy: async () => ({
          Component: (await import("@/features/reps/components/RepPage")).RepPage,
        }),
      },
      {
        path: "profit",
        handle: { access: ACCESS.profit } satisfies RouteHandle,
        lazy: async () => ({
          Component: (await import("@/features/profit/components/ProfitPage")).ProfitPage,
        }),
      },
      {
        path: "reports",
        handle: { access: ACCESS.reports } satisfies RouteHandle,
        lazy: async () => ({
          Component: (await import("@/features/reports/components/ReportsPage")).ReportsPage,
        }),
      },
      {
        path: "alerts",
        handle: { access: ACCESS.alerts } satisfies RouteHandle,
        lazy: async () => ({
          Component: (await import("@/features/alerts/components/AlertsPage")).AlertsPage,
        }),
      },
      {
        path: "import",
        handle: { access: ACCESS.imports } satisfies RouteHandle,
        lazy: async () => ({
          Component: (await import("@/features/imports/components/ImportPage")).ImportPage,
        }),
      },
      {
        path: "system",
        lazy: async () => ({
          Component: (await import("@/features/system/components/SystemPage")).SystemPage,
        }),
      },
      { path: "*", element: <NotFound /> },
    ],
  },
];

export const router = createBrowserRouter(routes);
