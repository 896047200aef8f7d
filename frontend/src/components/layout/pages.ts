/** The sidebar's pages; ``adminOnly`` pages are hidden from other roles. */
export const PAGES = [
  { to: "/overview", label: "Overview", paths: ["/", "/overview"], adminOnly: false },
  { to: "/products", label: "Products", paths: ["/products"], adminOnly: false },
  { to: "/customers", label: "Customers", paths: ["/customers"], adminOnly: false },
  { to: "/reps", label: "Sales reps", paths: ["/reps"], adminOnly: false },
  { to: "/profit", label: "Profit", paths: ["/profit"], adminOnly: false },
  { to: "/system", label: "System", paths: ["/system"], adminOnly: true },
] as const;

/** Is ``pathname`` this page or one below it ("/products/12" is under Products)? */
export function isCurrent(page: (typeof PAGES)[number], pathname: string): boolean {
  return page.paths.some((path) =>
    path === "/" ? pathname === "/" : pathname === path || pathname.startsWith(`${path}/`),
  );
}
