import type { CustomerSegment } from "@/gql/graphql";

export const SEGMENT_LABELS: Record<CustomerSegment, string> = {
  PREMIUM: "Premium",
  REGULAR: "Regular",
  NEW: "New",
  AT_RISK: "At risk",
  CHURNED: "Churned",
};
