// Placeholder until this page is built (issue 10); the route and the sidebar link are final.
export function RepPage() {
  return (
    <header className="page-header">
      <h1>Sales rep</h1>
    </header>
  );
}
