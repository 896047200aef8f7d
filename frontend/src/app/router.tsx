import { createBrowserRouter } from "react-router-dom";

import { AppLayout } from "@/components/layout/AppLayout";
import { OverviewPage } from "@/features/overview/components/OverviewPage";

import { NotFound } from "./routes/NotFound";

export const router = createBrowserRouter([
  {
    path: "/",
    element: <AppLayout />,
    children: [
      { index: true, element: <OverviewPage /> },
      { path: "overview", element: <OverviewPage /> },
      { path: "*", element: <NotFound /> },
    ],
  },
]);
