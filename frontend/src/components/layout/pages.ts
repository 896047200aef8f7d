/** The sidebar's pages; ``adminOnly`` pages are hidden from other roles. */
export const PAGES = [
  { to: "/overview", label: "Overview", paths: ["/", "/overview"], adminOnly: false },
  { to: "/products", label: "Products", paths: ["/products"], adminOnly: false },
  { to: "/customers", label: "Customers", paths: ["/customers"], adminOnly: false },
  { to: "/reps", label: "Sales reps", paths: ["/reps"], adminOnly: false },
  { to: "/profit", label: "Profit", paths: ["/profit"], adminOnly: false },
  { to: "/system", label: "System", paths: ["/system"], adminOnly: true },
] as const;

export type Page = (typeof PAGES)[number];

/** The pages the sidebar lists for this caller: admins see all of them. */
export function visiblePages(isAdmin: boolean): readonly Page[] {
  return PAGES.filter((page) => isAdmin || !page.adminOnly);
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
