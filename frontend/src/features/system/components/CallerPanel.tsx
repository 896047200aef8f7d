import type { Caller } from "@/features/system/api/get-system";

const ROLES = { ADMIN: "Admin", ANALYST: "Analyst", VIEWER: "Viewer" } as const;

const PERMISSIONS = {
  DASHBOARD_READ: "Dashboard reads",
  ANALYTICS_READ: "Analytics reads",
  WRITE: "Writes (mutations, clearing the cache)",
} as const;

/** Who the server takes the caller for, and what it lets them do. */
export function CallerPanel({ caller }: { caller: Caller }) {
  return (
    <section className="panel system-panel" aria-labelledby="system-caller">
      <h2 id="system-caller">You</h2>
      <dl className="system-facts">
        <dt>Signed in as</dt>
        <dd>{caller.role ? caller.subject : "Nobody (no token)"}</dd>
        <dt>Role</dt>
        <dd>{caller.role ? ROLES[caller.role] : "Anonymous"}</dd>
        <dt>Permissions</dt>
        <dd>
          {caller.permissions.length === 0 ? (
            "None"
          ) : (
            <ul className="system-permissions">
              {caller.permissions.map((permission) => (
                <li key={permission}>{PERMISSIONS[permission]}</li>
              ))}
            </ul>
          )}
        </dd>
      </dl>
    </section>
  );
}
