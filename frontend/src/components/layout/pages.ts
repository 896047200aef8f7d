import type { Permission } from "@/gql/graphql";
import type { Role } from "@/lib/session";

/** What a route's data needs; a caller without it is told so and its query is not sent. */
export interface Access {
  needs: Permission;
  /** What the route shows, as in "Your role (viewer) cannot see customer analytics". */
  subject: string;
  /** The route's heading when it is not shown. */
  title: string;
}

/** Each gated route's access (app/router.tsx gives them as route handles). The permissions
 * are those the API requires of the fields each page's query asks for. */
export const ACCESS = {
  overview: { needs: "DASHBOARD_READ", subject: "the overview", title: "Overview" },
  products: { needs: "ANALYTICS_READ", subject: "product analytics", title: "Products" },
  product: { needs: "ANALYTICS_READ", subject: "product analytics", title: "Product" },
  customers: { needs: "ANALYTICS_READ", subject: "customer analytics", title: "Customers" },
  reps: { needs: "DASHBOARD_READ", subject: "the sales reps", title: "Sales reps" },
  rep: { needs: "ANALYTICS_READ", subject: "a sales rep's details", title: "Sales rep" },
  profit: { needs: "ANALYTICS_READ", subject: "profit analytics", title: "Profit" },
  reports: { needs: "ANALYTICS_READ", subject: "the reports", title: "Reports" },
  alerts: { needs: "ANALYTICS_READ", subject: "the alerts", title: "Alerts" },
  imports: { needs: "ANALYTICS_READ", subject: "the imports", title: "Import" },
} as const satisfies Record<string, Access>;

/** The least role that has each permission: the one to ask an admin for. */
export const ROLE_FOR: Record<Permission, Role> = {
  DASHBOARD_READ: "viewer",
  ANALYTICS_READ: "analyst",
  WRITE: "admin",
};

/** The sidebar's pages; one is listed to callers who have what it ``needs``. */
export const PAGES = [
  { to: "/overview", label: "Overview", paths: ["/", "/overview"], needs: ACCESS.overview.needs },
  { to: "/products", label: "Products", paths: ["/products"], needs: ACCESS.products.needs },
  { to: "/customers", label: "Customers", paths: ["/customers"], needs: ACCESS.customers.needs },
  { to: "/reps", label: "Sales reps", paths: ["/reps"], needs: ACCESS.reps.needs },
  { to: "/profit", label: "Profit", paths: ["/profit"], needs: ACCESS.profit.needs },
  { to: "/reports", label: "Reports", paths: ["/reports"], needs: ACCESS.reports.needs },
  { to: "/alerts", label: "Alerts", paths: ["/alerts"], needs: ACCESS.alerts.needs },
  // Analysts read the imports and sheets; uploading and the sheets' buttons are an admin's.
  { to: "/import", label: "Import", paths: ["/import"], needs: ACCESS.imports.needs },
  // Listed for admins, whose action it has; its facts are open to every caller and it asks
  // for the cache counters only when the caller may read them, so the route is not gated.
  { to: "/system", label: "System", paths: ["/system"], needs: "WRITE" },
] as const satisfies readonly { to: string; label: string; paths: readonly string[]; needs: Permission }[];

export type Page = (typeof PAGES)[number];

/** The pages the sidebar lists for a caller who ``can`` what it can. */
export function visiblePages(can: (permission: Permission) => boolean): readonly Page[] {
  return PAGES.filter((page) => can(page.needs));
}

/** Is ``pathname`` this page or one below it ("/products/12" is under Products)? */
export function isCurrent(page: Page, pathname: string): boolean {
  return page.paths.some((path) =>
    path === "/" ? pathname === "/" : pathname === path || pathname.startsWith(`${path}/`),
  );
}

/** The sign-in page, coming back to ``path`` (path and query) afterwards. */
export function loginPath(path: string): string {
  return path === "/" || path === "" ? "/login" : `/login?${new URLSearchParams({ next: path })}`;
}
