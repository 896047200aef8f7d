// Placeholder until this page is built (issue 10); the route and the sidebar link are final.
export function ProductsPage() {
  return (
    <header className="page-header">
      <h1>Products</h1>
    </header>
  );
}
