// Placeholder until this page is built (issue 10); the route and the sidebar link are final.
export function SystemPage() {
  return (
    <header className="page-header">
      <h1>System</h1>
    </header>
  );
}
