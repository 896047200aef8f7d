import { NavLink, Outlet } from "react-router-dom";

const PAGES = [{ to: "/overview", label: "Overview" }];

export function AppLayout() {
  return (
    <div className="layout">
      <nav className="sidebar" aria-label="Pages">
        <p className="sidebar__brand">ShopX</p>
        <ul>
          {PAGES.map((page) => (
            <li key={page.to}>
              <NavLink to={{ pathname: page.to }} className="sidebar__link">
                {page.label}
              </NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <main className="main">
        <Outlet />
      </main>
    </div>
  );
}
