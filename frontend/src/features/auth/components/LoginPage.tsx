// Placeholder until this page is built (issue 10); the route and the sidebar link are final.
export function LoginPage() {
  return (
    <header className="page-header">
      <h1>Sign in</h1>
    </header>
  );
}
