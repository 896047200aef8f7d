// Placeholder until this page is built (issue 10); the route and the sidebar link are final.
export function RepsPage() {
  return (
    <header className="page-header">
      <h1>Sales reps</h1>
    </header>
  );
}
