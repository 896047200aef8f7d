// Placeholder until this page is built (issue 10); the route and the sidebar link are final.
export function ProfitPage() {
  return (
    <header className="page-header">
      <h1>Profit</h1>
    </header>
  );
}
