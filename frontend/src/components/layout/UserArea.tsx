import { Link } from "react-router-dom";

import type { SessionState } from "@/hooks/use-session";

import { loginPath } from "./pages";

interface UserAreaProps {
  session: SessionState;
  /** Where the reader is (path and query), to come back to after signing in. */
  here: string;
  onSignOut: () => void;
}

/** Who is signed in, and the way out (or in). */
export function UserArea({ session, here, onSignOut }: UserAreaProps) {
  if (session.status !== "signed-in") {
    return (
      <div className="user-area">
        <p className="user-area__who">Not signed in</p>
        <Link className="sidebar__link user-area__action" to={loginPath(here)}>
          Sign in
        </Link>
      </div>
    );
  }
  return (
    <div className="user-area">
      <p className="user-area__who">
        <span className="user-area__email">{session.email}</span>
        <span className="user-area__role">{session.role}</span>
      </p>
      <button type="button" className="user-area__action" onClick={onSignOut}>
        Sign out
      </button>
    </div>
  );
}
