import { Link, Outlet, useLocation } from "react-router-dom";

import { isCurrent, PAGES } from "./pages";

export function AppLayout() {
  const { pathname } = useLocation();
  return (
    <div className="layout">
      <nav className="sidebar" aria-label="Pages">
        <p className="sidebar__brand">ShopX</p>
        <ul>
          {PAGES.map((page) => {
            const current = isCurrent(page, pathname);
            return (
              <li key={page.to}>
                <Link
                  to={page.to}
                  className={current ? "sidebar__link active" : "sidebar__link"}
                  aria-current={current ? "page" : undefined}
                >
                  {page.label}
                </Link>
              </li>
            );
          })}
        </ul>
      </nav>
      <main className="main">
        <Outlet />
      </main>
    </div>
  );
}
