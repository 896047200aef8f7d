// Placeholder until this page is built (issue 10); the route and the sidebar link are final.
export function ProductPage() {
  return (
    <header className="page-header">
      <h1>Product</h1>
    </header>
  );
}
