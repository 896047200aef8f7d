import type { SessionState } from "@/hooks/use-session";

const ROLES = { admin: "Admin", analyst: "Analyst", viewer: "Viewer" } as const;

const PERMISSIONS = {
  DASHBOARD_READ: "Dashboard reads",
  ANALYTICS_READ: "Analytics reads",
  WRITE: "Writes (mutations, clearing the cache)",
} as const;

/** Who the server takes the caller for, and what it lets them do. */
export function CallerPanel({ session }: { session: SessionState }) {
  const { role, email, permissions } = session;
  return (
    <section className="panel system-panel" aria-labelledby="system-caller">
      <h2 id="system-caller">You</h2>
      <dl className="system-facts">
        <dt>Signed in as</dt>
        <dd>{role ? email : "Nobody (not signed in)"}</dd>
        <dt>Role</dt>
        <dd>{role ? ROLES[role] : "Anonymous"}</dd>
        <dt>Permissions</dt>
        <dd>
          {permissions.length === 0 ? (
            "None"
          ) : (
            <ul className="system-permissions">
              {permissions.map((permission) => (
                <li key={permission}>{PERMISSIONS[permission]}</li>
              ))}
            </ul>
          )}
        </dd>
      </dl>
    </section>
  );
}
