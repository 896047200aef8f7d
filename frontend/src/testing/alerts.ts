// Alerts as the API gives them, for the tests of the pages that list them.
import type { AlertFieldsFragment } from "@/gql/graphql";

export const LOW_STOCK: AlertFieldsFragment = {
  id: "3",
  kind: "LOW_STOCK",
  subject: "product:42",
  message: "Trail Boot (SKU-42): 2 in stock, reorder level 10",
  openedAt: "2026-11-30T06:00:00+00:00",
  closedAt: null,
  product: { id: "42", name: "Trail Boot", sku: "SKU-42" },
};

export const JOB_FAILED: AlertFieldsFragment = {
  id: "4",
  kind: "JOB_FAILED",
  subject: "job:partitions",
  message: "partitions failed: OperationalError: database is locked",
  openedAt: "2026-11-30T07:00:00+00:00",
  closedAt: null,
  product: null,
};

export const CLOSED: AlertFieldsFragment = {
  ...LOW_STOCK,
  id: "1",
  closedAt: "2026-11-30T07:30:00+00:00",
};
