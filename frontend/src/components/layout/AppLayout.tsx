import { useState } from "react";
import { Link, Navigate, Outlet, useLocation, useMatches, useNavigate } from "react-router-dom";

import { useSession } from "@/hooks/use-session";

import { FullPageSkeleton } from "./FullPageSkeleton";
import { NotForYourRole } from "./NotForYourRole";
import { isCurrent, loginPath, visiblePages, type Access } from "./pages";
import { UserArea } from "./UserArea";
import "./layout.css";

/** A route's handle (app/router.tsx): what its data needs, if anything. */
export interface RouteHandle {
  access?: Access;
}

/** What the deepest route matched needs, if it is gated. */
function useRouteAccess(): Access | undefined {
  return useMatches()
    .map((match) => (match.handle as RouteHandle | undefined)?.access)
    .findLast(Boolean);
}

export function AppLayout() {
  const { pathname, search } = useLocation();
  const access = useRouteAccess();
  const navigate = useNavigate();
  const session = useSession();
  // Signing out ends on the plain sign-in page, not on the guard's way back to this page.
  const [leaving, setLeaving] = useState(false);
  const signOut = async () => {
    setLeaving(true);
    await session.signOut();
    await navigate("/login", { replace: true });
  };

  if (session.status === "loading" || leaving) return <FullPageSkeleton />;
  // The guard: pages need a sign-in unless the server answers anonymous reads.
  if (session.status === "signed-out") return <Navigate to={loginPath(pathname + search)} replace />;
  return (
    <div className="layout">
      <div className="sidebar">
        <p className="sidebar__brand">ShopX</p>
        <nav aria-label="Pages">
          <ul>
            {visiblePages(session.can).map((page) => {
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
        <UserArea session={session} here={pathname + search} onSignOut={() => void signOut()} />
      </div>
      <main className="main">
        {access && !session.can(access.needs) ? (
          <NotForYourRole access={access} session={session} />
        ) : (
          <Outlet />
        )}
      </main>
    </div>
  );
}
