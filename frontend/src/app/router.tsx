import { createBrowserRouter } from "react-router-dom";

import { AppLayout } from "@/components/layout/AppLayout";

import { Loading } from "./routes/Loading";
import { NotFound } from "./routes/NotFound";
import { RouteError } from "./routes/RouteError";

// Every page is its own chunk, loaded when first visited: the first load carries the
// Overview only.
export const router = createBrowserRouter([
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
        lazy: async () => ({
          Component: (await import("@/features/overview/components/OverviewPage")).OverviewPage,
        }),
      },
      {
        path: "overview",
        lazy: async () => ({
          Component: (await import("@/features/overview/components/OverviewPage")).OverviewPage,
        }),
      },
      {
        path: "products",
        lazy: async () => ({
          Component: (await import("@/features/products/components/ProductsPage")).ProductsPage,
        }),
      },
      {
        path: "products/:productId",
        lazy: async () => ({
          Component: (await import("@/features/products/components/ProductPage")).ProductPage,
        }),
      },
      {
        path: "customers",
        lazy: async () => ({
          Component: (await import("@/features/customers/components/CustomersPage")).CustomersPage,
        }),
      },
      {
        path: "reps",
        lazy: async () => ({
          Component: (await import("@/features/reps/components/RepsPage")).RepsPage,
        }),
      },
      {
        path: "reps/:repId",
        lazy: async () => ({
          Component: (await import("@/features/reps/components/RepPage")).RepPage,
        }),
      },
      {
        path: "profit",
        lazy: async () => ({
          Component: (await import("@/features/profit/components/ProfitPage")).ProfitPage,
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
]);
