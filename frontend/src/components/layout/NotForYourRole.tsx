import { useEffect } from "react";
import { Link, useLocation } from "react-router-dom";

import type { SessionState } from "@/hooks/use-session";

import { loginPath, ROLE_FOR, type Access } from "./pages";

/** Instead of a page whose data the caller may not read: what to ask for (its query is
 * never sent). */
export function NotForYourRole({ access, session }: { access: Access; session: SessionState }) {
  const { pathname, search } = useLocation();
  const { title, subject, needs } = access;
  const shopName = session.shopName;
  useEffect(() => {
    document.title = shopName ? `${title} · ${shopName}` : title;
  }, [title, shopName]);
  const wanted = ROLE_FOR[needs];
  return (
    <>
      <header className="page-header">
        <h1>{title}</h1>
      </header>
      <div className="notice">
        <h2 className="notice__title">Not available to your role</h2>
        {session.role ? (
          <p>
            Your role ({session.role}) cannot see {subject}. Ask an admin for the {wanted} role.
          </p>
        ) : (
          <>
            <p>
              Reading without signing in does not cover {subject}: sign in with the {wanted}{" "}
              role.
            </p>
            <p className="notice__actions">
              <Link className="button" to={loginPath(pathname + search)}>
                Sign in
              </Link>
            </p>
          </>
        )}
      </div>
    </>
  );
}
