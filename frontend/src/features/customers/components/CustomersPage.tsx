// Placeholder until this page is built (issue 10); the route and the sidebar link are final.
export function CustomersPage() {
  return (
    <header className="page-header">
      <h1>Customers</h1>
    </header>
  );
}
